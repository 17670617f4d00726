// What the step tests share: the receiver's settings as the handler makes them, and a delivery
// that is no HTTP request at all, which records what the step did to it.
import { resolveHandlerOptions } from '../../../../dist/webhooks/receiver/options.js';

export const secret = 'whsec_steps_0123456789';

export const settingsOf = (options = {}) => resolveHandlerOptions({ secret, onEvent: () => {}, ...options });

/** A delivery of `body` with `headers`; `dropped` says whether a step let its body go unread. */
/** A header that has the shape of a signature (128 hex digits), right or not. */
export const SIGNATURE_SHAPED = 'ab'.repeat(64);

export function delivery(options = {}) {
  const { method = 'POST', body = '' } = options;
  // A signature-shaped header unless the test names its own (or none, with `smile-signature: undefined`).
  const headers = { 'smile-signature': SIGNATURE_SHAPED, ...options.headers };
  // Given as undefined, it is unknown, as a fetch-style runtime leaves it.
  const socketAddress = 'socketAddress' in options ? options.socketAddress : '127.0.0.1';
  const lower = Object.fromEntries(
    Object.entries(headers)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => [name.toLowerCase(), value]),
  );
  const record = { dropped: false, read: 0 };
  return Object.assign(record, {
    method,
    socketAddress,
    header: (name) => lower[name],
    request: () => ({ headers: new Headers(lower), method, url: 'http://receiver.test/' }),
    declaredLength: lower['content-length'] === undefined ? undefined : Number(lower['content-length']),
    readBody: async () => (record.read++, new TextEncoder().encode(body)),
    dropBody: () => void (record.dropped = true),
  });
}

export const event = (id = 'evt_step', createdAt = new Date().toISOString()) => ({
  id,
  version: 1,
  type: 'USER_CREATED',
  createdAt,
  data: { userId: 'usr_1' },
});
