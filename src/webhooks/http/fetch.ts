/**
 * The fetch adapter: a `Request` as a {@link WebhookDelivery}, and a {@link WebhookAnswer} as a
 * `Response`. The receiver's own handler is made of these.
 */
import type { WebhookAnswer } from '../receiver/answers.js';
import type { BodyLimits, BodyRefusal, WebhookDelivery } from '../receiver/delivery.js';

/** A fetch `Request` as a delivery. Its socket address is unknown: `clientIp` says it, where a runtime knows it. */
export function fetchDelivery(request: Request): WebhookDelivery {
  const declared = request.headers.get('content-length');
  return {
    method: request.method,
    header: (name) => request.headers.get(name) ?? undefined,
    socketAddress: undefined,
    request: () => request,
    declaredLength: declared === null ? undefined : Number(declared),
    readBody: (limits) => readRequestBody(request, limits),
    dropBody: () => void request.body?.cancel().catch(() => undefined),
  };
}

const JSON_TYPE = Object.freeze({ 'content-type': 'application/json' });

/** A fetch `Response` of an answer. */
export const toResponse = ({ status, body, headers }: WebhookAnswer): Response =>
  new Response(JSON.stringify(body), { status, headers: headers ? { ...JSON_TYPE, ...headers } : JSON_TYPE });

/**
 * The body's bytes, read within its limits: never more than `max`, each chunk taken from the
 * budget as it comes (all given back on a refusal), and all of it within `timeoutMs`.
 */
async function readRequestBody(
  request: Request,
  { max, timeoutMs, budget }: BodyLimits,
): Promise<Uint8Array | BodyRefusal> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'timeout'>((resolve) => (timer = setTimeout(resolve, timeoutMs, 'timeout')));
  const refuse = (refusal: BodyRefusal) => {
    budget.give(size);
    void reader.cancel().catch(() => undefined);
    return refusal;
  };
  try {
    for (;;) {
      const read = await Promise.race([reader.read(), late]);
      if (read === 'timeout') return refuse('timeout');
      if (read.done) break;
      if (size + read.value.byteLength > max) return refuse('too-large');
      if (!budget.take(read.value.byteLength)) return refuse('busy');
      size += read.value.byteLength;
      chunks.push(read.value);
    }
  } catch {
    // The client went away mid-body, or the stream broke.
    return refuse('unreadable');
  } finally {
    clearTimeout(timer);
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
