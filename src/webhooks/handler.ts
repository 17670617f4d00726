/**
 * A complete webhook receiver as a fetch-style handler, `(request) => Promise<Response>`, for
 * Deno, Bun, Workers, Hono, Next route handlers, and Node through {@link toNodeHandler}. The data
 * path is one-directional: request → bounded body → verify → claim → `onEvent` → answer.
 */
import { clientAddress, normalizeIp, type TrustProxy } from './client-ip.js';
import { Deadlines } from './deadlines.js';
import type { EventBus } from './event-bus.js';
import {
  answerResponse,
  registerDeliveryReceiver,
  requestDelivery,
  type WebhookAnswer,
  type WebhookDelivery,
} from './delivery.js';
import { DEFAULT_JOB_ATTEMPTS, DEFAULT_JOB_BACKOFF_MS, webhookJobId, type WebhookQueue } from './inbox.js';
import { SIGNATURE_HEADER, WebhookVerificationError, readWebhook } from './parse.js';
import { socketAddress } from './socket-address.js';
import { MemoryWebhookStore, newClaimToken, type WebhookStore } from './store.js';
import type { SmileWebhookEvent } from './types.js';
import { secretList, type WebhookSecrets } from './verify.js';

export interface WebhookHandlerOptions {
  /**
   * The webhook's secret, as registered with Smile; or several while a secret is rotated (a
   * second webhook with the new secret, then the old one deleted): any one of them verifies.
   */
  secret: WebhookSecrets;
  /**
   * Handles one verified event, once, inside the request (the synchronous mode). When it
   * resolves the event is done (200); when it throws, the claim is let go and the answer is 500,
   * so that Smile's retry is handled. Give either this or `queue`.
   */
  onEvent?: (event: SmileWebhookEvent) => unknown;
  /**
   * The durable inbox: a BullMQ `Queue` of yours. A verified event is added as a job, and the
   * answer is 200 once Redis holds it; a `Worker` with {@link webhookProcessor} handles it, with
   * retries for far longer than Smile's. Give either this or `onEvent`.
   */
  queue?: WebhookQueue;
  /** With `queue`: how often a job runs before it stays failed, the dead letter (default 15). */
  jobAttempts?: number;
  /** With `queue`: the first retry's delay, doubling after (default 8 s; about 36 h in all). */
  jobBackoffMs?: number;
  /** Where handled ids are kept; default: a bounded {@link MemoryWebhookStore} of this process. */
  store?: WebhookStore;
  /** The largest body accepted, in bytes (default 1 MB); a larger one is 413, and is never buffered. */
  maxBodyBytes?: number;
  /** How long `onEvent` may take before the answer is 503 (default 10 s). */
  handlerTimeoutMs?: number;
  /** How long a claim lasts before another instance may handle the id (default 15 s). */
  leaseMs?: number;
  /** How long a handled id is answered as a duplicate (default 24 hours). */
  doneTtlMs?: number;
  /**
   * How long one step of the store may take before the answer is 503 `STORE_UNAVAILABLE`
   * (default 1 s), so that a Redis that is down is answered at once, not when the client gives up.
   */
  storeTimeoutMs?: number;
  /**
   * Refuse events whose `createdAt` is older than this (default: `doneTtlMs` less one hour, or
   * half of it when it is under two hours), so that a captured request replayed once its id is
   * forgotten is not handled again. Smile's signature carries no timestamp; this is the only
   * defence. `Infinity` turns it off.
   */
  maxEventAgeMs?: number;
  /** Refuse events whose `createdAt` is more than this in the future (default five minutes). */
  maxClockSkewMs?: number;
  /**
   * Answer only requests from these addresses: `SMILE_WEBHOOK_IPS`, Smile's one address. Off by
   * default. A refused address gets 403 before its body is read.
   */
  allowedIps?: readonly string[];
  /**
   * The proxies in front of the receiver whose `X-Forwarded-For` is believed: how many hops, or
   * their addresses. Never by default, since anyone can send that header.
   */
  trustProxy?: TrustProxy;
  /**
   * The client address of a request, for runtimes that know it (Deno's `info.remoteAddr`, a
   * platform's header); behind {@link toNodeHandler} the socket's is used without it.
   */
  clientIp?: (request: Request) => string | undefined;
  /**
   * Where each event is published once `onEvent` has finished with it, for the pages of its user
   * (see `createEventStream`). With `queue`, give it to `webhookProcessor` instead: the worker
   * publishes. A bus that fails is told to `onError`; the answer stays 200.
   */
  bus?: EventBus;
  /** Told of each failure on the server's side: a throwing or slow `onEvent`, an unreachable store. */
  onError?: (error: unknown, event: SmileWebhookEvent | undefined) => void;
}

/** What the handler answers with, as `{ error }` in the JSON body of each refusal. */
export type WebhookAnswerCode =
  | 'METHOD_NOT_ALLOWED'
  | 'IP_NOT_ALLOWED'
  | 'BODY_TOO_LARGE'
  | 'BODY_UNREADABLE'
  | 'MISSING_SIGNATURE'
  | 'BAD_SIGNATURE'
  | 'INVALID_JSON'
  | 'INVALID_EVENT'
  | 'EVENT_TOO_OLD'
  | 'EVENT_IN_FUTURE'
  | 'IN_PROGRESS'
  | 'HANDLER_FAILED'
  | 'HANDLER_TIMEOUT'
  | 'STORE_UNAVAILABLE'
  | 'INTERNAL_ERROR';

export const DEFAULT_MAX_BODY_BYTES = 1_000_000;
export const DEFAULT_HANDLER_TIMEOUT_MS = 10_000;
export const DEFAULT_LEASE_MS = 15_000;
export const DEFAULT_DONE_TTL_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_STORE_TIMEOUT_MS = 1000;
/** How much shorter than the dedupe window the accepted age of an event is, for clock skew. */
export const EVENT_AGE_MARGIN_MS = 60 * 60 * 1000;
export const DEFAULT_MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

const STATUS: Record<WebhookAnswerCode, number> = {
  METHOD_NOT_ALLOWED: 405,
  IP_NOT_ALLOWED: 403,
  BODY_TOO_LARGE: 413,
  BODY_UNREADABLE: 400,
  MISSING_SIGNATURE: 401,
  BAD_SIGNATURE: 401,
  INVALID_JSON: 400,
  INVALID_EVENT: 400,
  EVENT_TOO_OLD: 400,
  EVENT_IN_FUTURE: 400,
  IN_PROGRESS: 409,
  HANDLER_FAILED: 500,
  HANDLER_TIMEOUT: 503,
  STORE_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
};

const answer = (status: number, body: unknown, headers?: Record<string, string>): WebhookAnswer => ({
  status,
  body,
  headers,
});

const refuse = (code: WebhookAnswerCode, headers?: Record<string, string>) =>
  answer(STATUS[code], { error: code }, headers);

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  (typeof value === 'object' || typeof value === 'function') &&
  value !== null &&
  typeof (value as { then?: unknown }).then === 'function';

/**
 * Creates the receiver. Its answers: 405 for anything but POST, 413 for a body over
 * `maxBodyBytes`, 401 for a missing or bad signature, 400 for a body that is not an event; then
 * 200 once `onEvent` has handled a new event, 200 `{ duplicate: true }` for one handled already,
 * 409 while another delivery of it is being handled, 500 when `onEvent` threw and 503 when it
 * took too long or the store could not be reached: Smile retries each non-2xx. It never throws.
 */
export function createWebhookHandler(options: WebhookHandlerOptions): (request: Request) => Promise<Response> {
  const {
    secret,
    onEvent,
    queue,
    jobAttempts = DEFAULT_JOB_ATTEMPTS,
    jobBackoffMs = DEFAULT_JOB_BACKOFF_MS,
    store = new MemoryWebhookStore(),
    maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
    handlerTimeoutMs = DEFAULT_HANDLER_TIMEOUT_MS,
    leaseMs = DEFAULT_LEASE_MS,
    doneTtlMs = DEFAULT_DONE_TTL_MS,
    storeTimeoutMs = DEFAULT_STORE_TIMEOUT_MS,
    maxEventAgeMs = doneTtlMs - Math.min(EVENT_AGE_MARGIN_MS, doneTtlMs / 2),
    maxClockSkewMs = DEFAULT_MAX_CLOCK_SKEW_MS,
    allowedIps,
    trustProxy,
    clientIp,
    bus,
    onError,
  } = options;
  if (bus && queue) {
    throw new TypeError('With a queue, the worker publishes: give the bus to webhookProcessor(onEvent, { bus })');
  }
  if ((typeof onEvent === 'function') === Boolean(queue)) {
    throw new TypeError('createWebhookHandler needs either an onEvent function or a queue (the durable inbox)');
  }
  try {
    secretList(secret);
  } catch {
    throw new TypeError('createWebhookHandler needs the webhook secret (or a list of them while one is rotated)');
  }
  if (!(maxEventAgeMs < doneTtlMs) && maxEventAgeMs !== Infinity) {
    throw new TypeError(
      'maxEventAgeMs must be below doneTtlMs: a replay older than the dedupe window would be handled again',
    );
  }
  const allowed = allowedIps && new Set(allowedIps.map(normalizeIp));
  // Not awaited: the answer does not wait for the pages. Once done, so that a retry of the event,
  // a duplicate by then, is not pushed again.
  const publish = (event: SmileWebhookEvent) => {
    if (!bus) return;
    try {
      bus.publish(event).catch((error: unknown) => report(error, event));
    } catch (error) {
      report(error, event);
    }
  };
  const report = (error: unknown, event?: SmileWebhookEvent) => {
    try {
      onError?.(error, event);
    } catch {
      // A failing reporter must not change the answer.
    }
  };

  // The memory store (not a subclass, which might wait) is stepped synchronously: in one process
  // it needs no timer, and no turn of the event loop.
  const memoryStore =
    Object.getPrototypeOf(store) === MemoryWebhookStore.prototype ? (store as MemoryWebhookStore) : undefined;
  const deadlines = new Deadlines(storeTimeoutMs);
  const bounded = <T>(step: Promise<T>, name: string): Promise<T> =>
    deadlines.bound(step, () => `The webhook store's ${name} took longer than ${storeTimeoutMs} ms`);
  const bound: <T>(step: Promise<T>, name: string) => Promise<T> = memoryStore ? (step) => step : bounded;

  const receive = async (delivery: WebhookDelivery): Promise<WebhookAnswer> => {
    if (delivery.method !== 'POST') {
      delivery.dropBody();
      return refuse('METHOD_NOT_ALLOWED', { allow: 'POST' });
    }
    if (allowed) {
      const address = clientAddress(delivery.socketAddress, delivery.header('x-forwarded-for'), trustProxy);
      if (!address) report(new Error('allowedIps is set, but the request has no client address: pass clientIp'));
      if (!address || !allowed.has(address)) {
        delivery.dropBody();
        return refuse('IP_NOT_ALLOWED');
      }
    }
    if (delivery.declaredLength !== undefined && delivery.declaredLength > maxBodyBytes) {
      delivery.dropBody();
      return refuse('BODY_TOO_LARGE');
    }
    const body = await delivery.readBody(maxBodyBytes);
    if (body === 'too-large') return refuse('BODY_TOO_LARGE');
    if (body === 'unreadable') return refuse('BODY_UNREADABLE');

    let event: SmileWebhookEvent;
    try {
      const read = readWebhook(body, delivery.header(SIGNATURE_HEADER), secret);
      event = isThenable(read) ? await read : read;
    } catch (error) {
      if (error instanceof WebhookVerificationError) return refuse(error.code);
      throw error;
    }
    // Smile signs no timestamp, so a captured request stays valid: refuse it once it is older than
    // the time its id is remembered for.
    const age = Date.now() - Date.parse(event.createdAt);
    if (Number.isNaN(age)) return refuse('INVALID_EVENT');
    if (age > maxEventAgeMs) return refuse('EVENT_TOO_OLD');
    if (-age > maxClockSkewMs) return refuse('EVENT_IN_FUTURE');

    if (queue) return enqueue(queue, event);

    let claim;
    try {
      claim = memoryStore
        ? memoryStore.claimNow(event.id, leaseMs)
        : await bound(store.claim(event.id, leaseMs), 'claim');
    } catch (error) {
      report(error, event);
      return refuse('STORE_UNAVAILABLE');
    }
    if (claim.status === 'done') return answer(200, { received: true, duplicate: true });
    if (claim.status === 'busy') return refuse('IN_PROGRESS');

    const { token } = claim;
    const finish = (handled: boolean) =>
      bound(
        handled ? store.complete(event.id, token, doneTtlMs) : store.release(event.id, token),
        handled ? 'complete' : 'release',
      ).then(
        () => handled && publish(event),
        (error: unknown) => report(error, event),
      );
    const failed = async (error: unknown) => {
      report(error, event);
      await finish(false);
      return refuse('HANDLER_FAILED');
    };
    let result: unknown;
    try {
      result = onEvent!(event);
    } catch (error) {
      return failed(error);
    }
    if (isThenable(result)) {
      const handling = Promise.resolve(result).then(
        () => finish(true).then(() => 'handled' as const),
        (error: unknown) => failed(error),
      );
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(resolve, handlerTimeoutMs, 'timeout')));
      const outcome = await Promise.race([handling, timeout]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        // Still running: it keeps its claim, and settles it (done or let go) when it ends.
        report(new Error(`onEvent took longer than ${handlerTimeoutMs} ms`), event);
        return refuse('HANDLER_TIMEOUT');
      }
      if (outcome !== 'handled') return outcome;
    } else {
      // A synchronous onEvent has finished already: no timer is needed for it.
      if (memoryStore) {
        memoryStore.completeNow(event.id, token, doneTtlMs);
        publish(event);
      } else await finish(true);
    }
    return answer(200, { received: true });
  };

  /**
   * Adds the event as its job; 200 once Redis holds it. A duplicate's add is a no-op, whatever
   * state its job is in, which the delivery stamp of the stored job tells.
   */
  const enqueue = async (inbox: WebhookQueue, event: SmileWebhookEvent): Promise<WebhookAnswer> => {
    const jobId = webhookJobId(event.id);
    const delivery = newClaimToken();
    let stored;
    try {
      await bounded(
        inbox.add(
          event.type,
          { event, delivery },
          {
            jobId,
            attempts: jobAttempts,
            backoff: { type: 'exponential', delay: jobBackoffMs },
            // Kept for the dedupe window, so that a late retry is still a duplicate, and no longer.
            removeOnComplete: { age: Math.ceil(doneTtlMs / 1000) },
            // The dead letter stays until it is retried or removed by hand.
            removeOnFail: false,
          },
        ),
        'add',
      );
      stored = await bounded(inbox.getJob(jobId), 'getJob');
    } catch (error) {
      report(error, event);
      return refuse('STORE_UNAVAILABLE');
    }
    const ours = (stored?.data as { delivery?: unknown } | undefined)?.delivery;
    return ours === undefined || ours === delivery
      ? answer(200, { received: true, queued: true })
      : answer(200, { received: true, duplicate: true });
  };

  const internalError = (error: unknown) => {
    report(error);
    return refuse('INTERNAL_ERROR');
  };
  const receiveSafely = (delivery: WebhookDelivery): Promise<WebhookAnswer> => receive(delivery).catch(internalError);
  const handler = async (request: Request): Promise<Response> => {
    let address: string | undefined;
    try {
      // Only the allowlist needs the address; clientIp is the integrator's code, and may throw.
      if (allowed) address = clientIp ? clientIp(request) : socketAddress(request);
    } catch (error) {
      report(error);
      return answerResponse(refuse('INTERNAL_ERROR'));
    }
    return answerResponse(await receiveSafely(requestDelivery(request, address)));
  };
  // Behind toNodeHandler, Node's request is read directly, unless clientIp needs a fetch Request.
  if (!clientIp) registerDeliveryReceiver(handler, receiveSafely);
  return handler;
}
