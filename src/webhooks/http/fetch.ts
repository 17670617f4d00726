/**
 * The fetch adapter: a `Request` as a {@link WebhookDelivery}, and a {@link WebhookAnswer} as a
 * `Response`. The receiver's own handler is made of these.
 */
import type { WebhookAnswer } from '../receiver/answers.js';
import type { BodyRefusal, WebhookDelivery } from '../receiver/delivery.js';

/** A fetch `Request` as a delivery. Its socket address is unknown: `clientIp` says it, where a runtime knows it. */
export function fetchDelivery(request: Request): WebhookDelivery {
  const declared = request.headers.get('content-length');
  return {
    method: request.method,
    header: (name) => request.headers.get(name) ?? undefined,
    socketAddress: undefined,
    request: () => request,
    declaredLength: declared === null ? undefined : Number(declared),
    readBody: (max) => readRequestBody(request, max),
    dropBody: () => void request.body?.cancel().catch(() => undefined),
  };
}

const JSON_TYPE = Object.freeze({ 'content-type': 'application/json' });

/** A fetch `Response` of an answer. */
export const toResponse = ({ status, body, headers }: WebhookAnswer): Response =>
  new Response(JSON.stringify(body), { status, headers: headers ? { ...JSON_TYPE, ...headers } : JSON_TYPE });

/** The body's bytes, read with a bound: never more than `max` bytes are held. */
async function readRequestBody(request: Request, max: number): Promise<Uint8Array | BodyRefusal> {
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
