/**
 * One webhook request as the receiver reads it, whatever the server: its method, headers, client
 * address and a bounded body. A fetch `Request` is one source of it; Node's `(req, res)` is
 * another, read directly by {@link toNodeHandler}, so that in Node no `Request`, `Response` or
 * web stream is made for a delivery.
 */

/** What the receiver needs of a request. */
export interface WebhookDelivery {
  readonly method: string;
  /** A header's value (repeated ones joined with `, `, as fetch does), by its lowercase name. */
  header(name: string): string | undefined;
  /** The socket's address, when the server knows it. */
  readonly socketAddress: string | undefined;
  /** The declared body length, when there is one: a larger one is refused before reading. */
  readonly declaredLength: number | undefined;
  /** The body's bytes, never more than `max` of them held. */
  readBody(max: number): Promise<Uint8Array | 'too-large' | 'unreadable'>;
  /** Lets the body go unread, so that the answer still reaches the client. */
  dropBody(): void;
}

/** What the receiver answers: a status, a JSON body, and any extra headers. */
export interface WebhookAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The delivery reader behind each fetch-style handler that has one: {@link toNodeHandler} hands
 * it Node's request directly. Kept off the function itself, so that the handler stays a plain
 * `(request) => Promise<Response>`.
 */
const receivers = new WeakMap<object, (delivery: WebhookDelivery) => Promise<WebhookAnswer>>();

export const registerDeliveryReceiver = (
  handler: object,
  receive: (delivery: WebhookDelivery) => Promise<WebhookAnswer>,
): void => void receivers.set(handler, receive);

export const deliveryReceiver = (
  handler: object,
): ((delivery: WebhookDelivery) => Promise<WebhookAnswer>) | undefined => receivers.get(handler);

/** A fetch `Request` as a delivery; its socket address is given by whoever knows it. */
export function requestDelivery(request: Request, socketAddress: string | undefined): WebhookDelivery {
  const declared = request.headers.get('content-length');
  return {
    method: request.method,
    header: (name) => request.headers.get(name) ?? undefined,
    socketAddress,
    declaredLength: declared === null ? undefined : Number(declared),
    readBody: (max) => readRequestBody(request, max),
    dropBody: () => void request.body?.cancel().catch(() => undefined),
  };
}

/** A fetch answer of a {@link WebhookAnswer}. */
export const answerResponse = ({ status, body, headers }: WebhookAnswer): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** The body's bytes, read with a bound: never more than `max` bytes are held. */
async function readRequestBody(request: Request, max: number): Promise<Uint8Array | 'too-large' | 'unreadable'> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        await reader.cancel().catch(() => undefined);
        return 'too-large';
      }
      chunks.push(value);
    }
  } catch {
    // The client went away mid-body, or the stream broke.
    return 'unreadable';
  }
  return concatBytes(chunks, size);
}

/** One array of the chunks' bytes; the one chunk itself when there is only one. */
export function concatBytes(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
