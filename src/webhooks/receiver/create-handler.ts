/**
 * A complete webhook receiver: a fetch-style handler, `(request) => Promise<Response>`, for Deno,
 * Bun, Workers, Hono and Next route handlers, and Node through `toNodeHandler`. Its data path is
 * one-directional, each step a file of `steps/`:
 *   request → admit (method, allowlist, declared length) → bounded body → authenticate (signature,
 *   shape, age) → enqueue (the inbox) or handle inline (claim → onEvent → done → publish) → answer.
 */
import { fetchDelivery, toResponse } from '../http/fetch.js';
import { SIGNATURE_HEADER } from '../signature/parse.js';
import { isAnswer, refuse, type WebhookAnswer } from './answers.js';
import type { WebhookDelivery } from './delivery.js';
import { resolveHandlerOptions, type WebhookHandlerOptions } from './options.js';
import { admit } from './steps/admit.js';
import { authenticatorAsync, authenticatorSync } from './steps/authenticate.js';
import { enqueuer } from './steps/enqueue.js';
import { inlineHandler } from './steps/handle-inline.js';

/** The receiver: a fetch-style handler, and its core, which the Node adapter calls directly. */
export interface WebhookHandler {
  (request: Request): Promise<Response>;
  /** One delivery in, its answer out; never rejects. `toNodeHandler` hands it Node's request. */
  readonly receive: (delivery: WebhookDelivery) => Promise<WebhookAnswer>;
}

const BODY_REFUSALS = {
  'too-large': refuse('BODY_TOO_LARGE'),
  unreadable: refuse('BODY_UNREADABLE'),
  // The rest of a body that did not come in time will not come: the connection closes after this.
  timeout: refuse('BODY_TIMEOUT', { connection: 'close' }),
  busy: refuse('SERVER_BUSY', { 'retry-after': '1' }),
} as const;

/**
 * Creates the receiver. Its answers: 405 for anything but POST, 413 for a body over
 * `maxBodyBytes`, 401 for a missing or bad signature, 400 for a body that is not an event; then
 * 200 once `onEvent` has handled a new event, 200 `{ duplicate: true }` for one handled already,
 * 409 while another delivery of it is being handled, 500 when `onEvent` threw and 503 when it
 * took too long, the store could not be reached, or the publish to the pages failed (whose retry
 * only publishes): Smile retries each non-2xx. It never throws.
 */
export function createWebhookHandler(options: WebhookHandlerOptions): WebhookHandler {
  const settings = resolveHandlerOptions(options);
  // node:crypto verifies at once; Web Crypto takes a turn. Which one is known here, once.
  const authenticateSync = authenticatorSync(settings);
  const authenticateAsync = authenticatorAsync(settings);
  const handle = settings.queue ? enqueuer(settings) : inlineHandler(settings);

  const receive = async (delivery: WebhookDelivery): Promise<WebhookAnswer> => {
    try {
      const refused = admit(delivery, settings);
      if (refused) return refused;
      const body = await delivery.readBody(settings.body);
      if (typeof body === 'string') return BODY_REFUSALS[body];
      try {
        const signature = delivery.header(SIGNATURE_HEADER);
        const event = authenticateSync ? authenticateSync(body, signature) : await authenticateAsync(body, signature);
        return isAnswer(event) ? event : await handle(event);
      } finally {
        // The body is let go: its bytes count no more against what all bodies may hold.
        settings.body.budget.give(body.byteLength);
      }
    } catch (error) {
      settings.report(error);
      return refuse('INTERNAL_ERROR');
    }
  };
  const handler = (request: Request) => receive(fetchDelivery(request)).then(toResponse);
  return Object.assign(handler, { receive });
}
