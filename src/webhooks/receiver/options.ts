/**
 * The receiver's options: what each means, their defaults in one literal, and the one place
 * where they are checked and resolved, when the receiver is made.
 */
import type { SmileWebhookEvent } from '../../webhook-types/index.js';
import { Deadlines } from '../deadlines.js';
import type { WebhookStore } from '../dedupe/store.js';
import { MemoryWebhookStore } from '../dedupe/memory-store.js';
import { DEFAULT_JOB_ATTEMPTS, DEFAULT_JOB_BACKOFF_MS, type WebhookQueue } from '../inbox/processor.js';
import { optionReader, safely } from '../options.js';
import { isClusterClient } from '../redis-client.js';
import { ageRules, type EventAgeRules } from '../signature/parse.js';
import { defaultProvider, type HmacProvider } from '../signature/provider.js';
import { MIN_SECRET_BYTES, secretBytes, type WebhookSecrets } from '../signature/verify.js';
import type { EventBus } from '../stream/bus.js';
import { BodyBudget } from './body-budget.js';
import { allowList, type AllowList, type TrustProxy } from './client-ip.js';
import type { BodyLimits } from './delivery.js';

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
  /** How long a body may take to arrive, in all (default 10 s); a slower one is 408, and its connection closed. */
  bodyTimeoutMs?: number;
  /**
   * The bytes of bodies held at once, across every request of this receiver (default 16 MB, at
   * least `maxBodyBytes`): a body that would take it past this is 503 `SERVER_BUSY`, not buffered.
   */
  maxBytesInFlight?: number;
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
   * Refuse events whose `createdAt` is older than this (default one hour, and always below
   * `doneTtlMs`), so that a captured request replayed once its id is forgotten is not handled
   * again. Smile's signature carries no timestamp; this is the only defence. Smile retries within
   * minutes; the memory store may forget an id before its TTL (see `MemoryWebhookStore`), so keep
   * this short. `Infinity` turns it off.
   */
  maxEventAgeMs?: number;
  /** Refuse events whose `createdAt` is more than this in the future (default five minutes). */
  maxClockSkewMs?: number;
  /** The clock of the age check, in ms since the epoch; `Date.now` by default. */
  now?: () => number;
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
   * platform's header such as `fly-client-ip`). Behind `toNodeHandler` it gets a view of Node's
   * request with its headers; without it, the socket's address is used there.
   */
  clientIp?: (request: Pick<Request, 'headers' | 'method' | 'url'>) => string | undefined;
  /**
   * Where each event is published once `onEvent` has finished with it, for the pages of its user
   * (see `createEventStream`). With `queue`, give it to `webhookProcessor` instead: the worker
   * publishes. A publish that fails is told to `onError` and answered 503 `PUBLISH_FAILED`, with
   * the id marked handled: Smile's retry publishes it without running `onEvent` again.
   */
  bus?: EventBus;
  /** Told of each failure on the server's side: a throwing or slow `onEvent`, an unreachable store. */
  onError?: (error: unknown, event: SmileWebhookEvent | undefined) => void;
}

/** The defaults, in one place. */
export const WEBHOOK_HANDLER_DEFAULTS = Object.freeze({
  jobAttempts: DEFAULT_JOB_ATTEMPTS,
  jobBackoffMs: DEFAULT_JOB_BACKOFF_MS,
  maxBodyBytes: 1_000_000,
  bodyTimeoutMs: 10_000,
  maxBytesInFlight: 16_000_000,
  handlerTimeoutMs: 10_000,
  leaseMs: 15_000,
  doneTtlMs: 24 * 60 * 60 * 1000,
  storeTimeoutMs: 1_000,
});

export const DEFAULT_MAX_BODY_BYTES = WEBHOOK_HANDLER_DEFAULTS.maxBodyBytes;
export const DEFAULT_HANDLER_TIMEOUT_MS = WEBHOOK_HANDLER_DEFAULTS.handlerTimeoutMs;
export const DEFAULT_LEASE_MS = WEBHOOK_HANDLER_DEFAULTS.leaseMs;
export const DEFAULT_DONE_TTL_MS = WEBHOOK_HANDLER_DEFAULTS.doneTtlMs;
export const DEFAULT_STORE_TIMEOUT_MS = WEBHOOK_HANDLER_DEFAULTS.storeTimeoutMs;

/** The options as the steps use them: checked, with their defaults, and what is made of them once. */
export interface ReceiverSettings {
  readonly secrets: readonly Uint8Array[];
  readonly provider: HmacProvider;
  readonly onEvent: ((event: SmileWebhookEvent) => unknown) | undefined;
  readonly queue: WebhookQueue | undefined;
  readonly jobAttempts: number;
  readonly jobBackoffMs: number;
  readonly store: WebhookStore;
  /** The bounds each body is read within: `maxBodyBytes`, `bodyTimeoutMs`, and the budget of all. */
  readonly body: BodyLimits;
  readonly handlerTimeoutMs: number;
  readonly leaseMs: number;
  readonly doneTtlMs: number;
  readonly age: Required<EventAgeRules>;
  /** The allowlist, when there is one. */
  readonly allowed: AllowList | undefined;
  /** A hop count, or the trusted proxies' list. */
  readonly trustProxy: number | AllowList | undefined;
  readonly clientIp: WebhookHandlerOptions['clientIp'];
  readonly bus: EventBus | undefined;
  /** A store step, failing once it takes longer than `storeTimeoutMs` (none for an in-process store). */
  readonly bounded: <T>(step: Promise<T>, name: string) => Promise<T>;
  /** Bounds a step of the bus's (a publish) the same way, whatever the store. */
  readonly boundedBus: <T>(step: Promise<T>, name: string) => Promise<T>;
  /** Bounds a step of the queue's (Redis) the same way. */
  readonly boundedQueue: <T>(step: Promise<T>, name: string) => Promise<T>;
  /** Tells `onError`, which never changes an answer. */
  readonly report: (error: unknown, event?: SmileWebhookEvent) => void;
}

const MAKER = 'createWebhookHandler';
const FORGOTTEN = { done: 'the handled', claimed: 'a claim of', handled: 'the handled, unpublished' } as const;

/** Checks the options and makes what the steps share; throws a TypeError or a RangeError naming the option. */
export function resolveHandlerOptions(options: WebhookHandlerOptions): ReceiverSettings {
  const read = optionReader(MAKER, options);
  const onEvent = read.fn<(event: SmileWebhookEvent) => unknown>('onEvent');
  const queue = read.of<WebhookQueue>(
    'queue',
    (value) => typeof value === 'object' && value !== null,
    'a BullMQ Queue',
  );
  const bus = read.of<EventBus>('bus', (value) => typeof (value as EventBus)?.publish === 'function', 'an EventBus');
  if (bus && queue) {
    throw new TypeError(
      `${MAKER}: with a queue, the worker publishes: give the bus to webhookProcessor(onEvent, { bus })`,
    );
  }
  if (Boolean(onEvent) === Boolean(queue)) {
    throw new TypeError(`${MAKER} needs either an onEvent function or a queue (the durable inbox)`);
  }
  let secrets: Uint8Array[];
  try {
    secrets = secretBytes(options.secret);
  } catch (error) {
    throw new TypeError(`${MAKER}: ${(error as Error).message}`, { cause: error });
  }
  const report = safely(read.fn<NonNullable<WebhookHandlerOptions['onError']>>('onError'));
  // BullMQ's scripts touch several keys of a queue: on a Cluster they must share one slot.
  const prefix = queue?.opts?.prefix ?? 'bull';
  if (queue && isClusterClient(queue.opts?.connection) && !/\{[^}]+\}/.test(prefix)) {
    report(
      new QueuePrefixWarning(
        `${MAKER}: the queue's connection is a Redis Cluster, and its prefix '${prefix}' has no hash tag: BullMQ's scripts will fail with CROSSSLOT; give the Queue, its QueueEvents and its Worker prefix: '{smile}'`,
      ),
      undefined,
    );
  }
  for (const secret of secrets.filter(({ byteLength }) => byteLength < MIN_SECRET_BYTES)) {
    report(
      new WeakSecretWarning(
        `${MAKER}: a webhook secret of ${secret.byteLength} bytes is shorter than ${MIN_SECRET_BYTES}: whoever guesses it can sign; register a long random one with Smile`,
      ),
      undefined,
    );
  }
  const defaults = WEBHOOK_HANDLER_DEFAULTS;
  const maxBodyBytes = read.number('maxBodyBytes', defaults.maxBodyBytes, { integer: true });
  const bodyTimeoutMs = read.number('bodyTimeoutMs', defaults.bodyTimeoutMs, { integer: true });
  const maxBytesInFlight = read.number('maxBytesInFlight', defaults.maxBytesInFlight, { integer: true });
  if (maxBytesInFlight < maxBodyBytes) {
    throw new RangeError(`${MAKER}: maxBytesInFlight must be at least maxBodyBytes, or no body of that size would fit`);
  }
  const doneTtlMs = read.number('doneTtlMs', defaults.doneTtlMs, { integer: true });
  const storeTimeoutMs = read.number('storeTimeoutMs', defaults.storeTimeoutMs, { infinity: true });
  const age = ageRules(MAKER, options);
  if (!(age.maxEventAgeMs < doneTtlMs) && age.maxEventAgeMs !== Infinity) {
    throw new RangeError(
      `${MAKER}: maxEventAgeMs must be below doneTtlMs: a replay older than the dedupe window would be handled again`,
    );
  }
  const store =
    read.of<WebhookStore>(
      'store',
      // With a bus, a failed publish is marked on the store, so that its retry only publishes.
      (value) =>
        typeof (value as WebhookStore)?.claim === 'function' &&
        (!bus || typeof (value as WebhookStore).handled === 'function'),
      bus ? 'a WebhookStore with handled(), which a bus needs' : 'a WebhookStore',
    ) ??
    new MemoryWebhookStore({
      onEvict: ({ id, state, msLeft }) =>
        report(
          new Error(
            `The memory store forgot ${FORGOTTEN[state]} id ${id} ${Math.round(msLeft / 1000)} s early (it holds 10,000): a retry of it would be handled again; use redisWebhookStore, or a MemoryWebhookStore with a larger maxEntries`,
          ),
          undefined,
        ),
    });
  const deadlines = new Deadlines(storeTimeoutMs);
  /** Bounds the steps of one party (the store, the bus, the queue); a step's message is made only when it is late. */
  const boundOf =
    (party: string) =>
    <T>(step: Promise<T>, name: string): Promise<T> =>
      deadlines.bound(step, () => `The webhook ${party}'s ${name} took longer than ${storeTimeoutMs} ms`);
  const allowedIps = read.of<readonly string[]>('allowedIps', Array.isArray, 'a list of addresses and CIDR ranges');
  const trustedProxies = read.of<TrustProxy>(
    'trustProxy',
    (value) => Array.isArray(value) || (Number.isInteger(value) && (value as number) >= 0),
    'a number of hops or a list of addresses and CIDR ranges',
  );
  const trustProxy = Array.isArray(trustedProxies)
    ? allowList(trustedProxies, `${MAKER}: trustProxy`)
    : (trustedProxies as number | undefined);
  return {
    secrets,
    provider: defaultProvider,
    onEvent,
    queue,
    jobAttempts: read.number('jobAttempts', defaults.jobAttempts, { integer: true, min: 1 }),
    jobBackoffMs: read.number('jobBackoffMs', defaults.jobBackoffMs, { integer: true }),
    store,
    body: { max: maxBodyBytes, timeoutMs: bodyTimeoutMs, budget: new BodyBudget(maxBytesInFlight) },
    handlerTimeoutMs: read.number('handlerTimeoutMs', defaults.handlerTimeoutMs, { integer: true }),
    leaseMs: read.number('leaseMs', defaults.leaseMs, { integer: true }),
    doneTtlMs,
    age,
    allowed: allowedIps && allowList(allowedIps, `${MAKER}: allowedIps`),
    trustProxy,
    clientIp: read.fn('clientIp'),
    bus,
    bounded: store.inProcess ? (step) => step : boundOf('store'),
    boundedBus: boundOf('bus'),
    boundedQueue: boundOf('queue'),
    report,
  };
}

/** Told to `onError` once, when a receiver is made with a queue on a Redis Cluster whose prefix has no hash tag. */
export class QueuePrefixWarning extends Error {
  override name = 'QueuePrefixWarning';
  readonly code = 'QUEUE_PREFIX_NOT_HASH_TAGGED';
}

/** Told to `onError` when a receiver is made with a secret under {@link MIN_SECRET_BYTES} bytes. */
export class WeakSecretWarning extends Error {
  override name = 'WeakSecretWarning';
  readonly code = 'WEAK_SECRET';
}
