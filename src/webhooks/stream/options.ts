/**
 * The event stream's options: what each means, their defaults in one literal, and the one place
 * where they are checked and resolved, when the stream is made; and its refusals.
 */
import { Deadlines } from '../deadlines.js';
import { optionReader, safely } from '../options.js';
import type { EventBus } from './bus.js';
import { memoryEventBus } from './memory-bus.js';

export interface EventStreamOptions {
  /**
   * The Smile user ids this request may see, from your app's own session (a cookie, a header):
   * never from the URL. `null` or `undefined` refuses it with 401, an empty list with 403.
   */
  authorize: (
    request: Request,
  ) => readonly string[] | null | undefined | PromiseLike<readonly string[] | null | undefined>;
  /** Where the receiver publishes; default a {@link memoryEventBus} of this process. */
  bus?: EventBus;
  /** How often a comment keeps the connection open through proxies (default 15 s, at least 10 ms). */
  heartbeatMs?: number;
  /** How long `EventSource` waits before it reconnects, sent as `retry` (default 2 s). */
  retryMs?: number;
  /** How long the bus may take to subscribe and read history before the answer is 503 (default 2 s). */
  busTimeoutMs?: number;
  /**
   * How much may wait for a client that reads too slowly before its stream is ended, for it to
   * resume from its last id (default 1 MB).
   */
  maxQueuedBytes?: number;
  /** How many streams one user may have open at once (default 10); one more is 429 `TOO_MANY_STREAMS`. */
  maxStreamsPerUser?: number;
  /** How many streams may be open at once on this instance (default 20,000); one more is 429 too. */
  maxStreams?: number;
  /**
   * How long a stream stays open before it is ended (default one hour, less up to a tenth at
   * random so that pages do not all come back at once; checked at each heartbeat), so that its
   * reconnect is authorized again. `EventSource` resumes with `Last-Event-ID`: nothing is lost.
   */
  maxStreamMs?: number;
  /**
   * The origins of other sites allowed to open the stream (`https://app.example`): a request
   * whose `Sec-Fetch-Site` is `cross-site` from any other is refused 403 `ORIGIN_NOT_ALLOWED`.
   * A listed origin gets exact-match CORS with credentials. Default: none.
   */
  allowedOrigins?: readonly string[];
  /** Told of each failure on the server's side: a throwing `authorize`, a bus that is down. */
  onError?: (error: unknown) => void;
}

/** The defaults, in one place. */
export const EVENT_STREAM_DEFAULTS = Object.freeze({
  heartbeatMs: 15_000,
  retryMs: 2_000,
  busTimeoutMs: 2_000,
  maxQueuedBytes: 1_000_000,
  maxStreamsPerUser: 10,
  maxStreams: 20_000,
  maxStreamMs: 60 * 60 * 1000,
});

export const DEFAULT_HEARTBEAT_MS = EVENT_STREAM_DEFAULTS.heartbeatMs;
export const DEFAULT_RETRY_MS = EVENT_STREAM_DEFAULTS.retryMs;
export const DEFAULT_BUS_TIMEOUT_MS = EVENT_STREAM_DEFAULTS.busTimeoutMs;
export const DEFAULT_MAX_QUEUED_BYTES = EVENT_STREAM_DEFAULTS.maxQueuedBytes;

/** The options as the stream uses them: checked, with their defaults. */
export interface StreamSettings {
  readonly authorize: EventStreamOptions['authorize'];
  readonly bus: EventBus;
  readonly heartbeatMs: number;
  readonly retryMs: number;
  readonly maxQueuedBytes: number;
  readonly maxStreamsPerUser: number;
  readonly maxStreams: number;
  readonly maxStreamMs: number;
  /** The origins of other sites that may open the stream, exactly as browsers send `Origin`. */
  readonly allowedOrigins: ReadonlySet<string>;
  /** A bus step, failing once it takes longer than `busTimeoutMs`. */
  readonly bounded: <T>(step: Promise<T>, what: string) => Promise<T>;
  readonly report: (error: unknown) => void;
}

const MAKER = 'createEventStream';

/** An origin as browsers send it in `Origin` (`https://app.example`, no path), or a TypeError. */
function readOrigin(value: unknown): string {
  let origin: string | undefined;
  try {
    origin = typeof value === 'string' ? new URL(value).origin : undefined;
  } catch {
    // Not a URL: said below.
  }
  if (!origin || origin === 'null' || origin !== value) {
    throw new TypeError(
      `${MAKER}: allowedOrigins takes origins such as https://app.example (got ${JSON.stringify(value)})`,
    );
  }
  return origin;
}

export function resolveStreamOptions(options: EventStreamOptions): StreamSettings {
  const read = optionReader(MAKER, options);
  const authorize = read.fn<EventStreamOptions['authorize']>('authorize');
  if (!authorize) {
    throw new TypeError(
      `${MAKER} needs authorize(request), which returns the Smile user ids of the request's own session`,
    );
  }
  const defaults = EVENT_STREAM_DEFAULTS;
  const busTimeoutMs = read.number('busTimeoutMs', defaults.busTimeoutMs, { infinity: true });
  const deadlines = new Deadlines(busTimeoutMs);
  return {
    authorize,
    bus:
      read.of<EventBus>('bus', (value) => typeof (value as EventBus)?.subscribe === 'function', 'an EventBus') ??
      memoryEventBus(),
    heartbeatMs: read.number('heartbeatMs', defaults.heartbeatMs, { min: 10, integer: true }),
    retryMs: read.number('retryMs', defaults.retryMs, { min: 0, integer: true }),
    maxQueuedBytes: read.number('maxQueuedBytes', defaults.maxQueuedBytes, { integer: true }),
    maxStreamsPerUser: read.number('maxStreamsPerUser', defaults.maxStreamsPerUser, { integer: true }),
    maxStreams: read.number('maxStreams', defaults.maxStreams, { integer: true }),
    maxStreamMs: read.number('maxStreamMs', defaults.maxStreamMs, { integer: true }),
    allowedOrigins: new Set(
      (read.of<readonly string[]>('allowedOrigins', Array.isArray, 'a list of origins') ?? []).map(readOrigin),
    ),
    bounded: (step, what) =>
      deadlines.bound(step, () => `The event bus took longer than ${busTimeoutMs} ms to ${what}`),
    report: safely(read.fn('onError')),
  };
}

/** What the stream answers with, as `{ error }` in the JSON body of each refusal. */
export type EventStreamAnswerCode =
  | 'METHOD_NOT_ALLOWED'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'ORIGIN_NOT_ALLOWED'
  | 'TOO_MANY_STREAMS'
  | 'BUS_UNAVAILABLE'
  | 'SHUTTING_DOWN'
  | 'INTERNAL_ERROR';

const STATUS: Record<EventStreamAnswerCode, number> = {
  METHOD_NOT_ALLOWED: 405,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  ORIGIN_NOT_ALLOWED: 403,
  TOO_MANY_STREAMS: 429,
  BUS_UNAVAILABLE: 503,
  SHUTTING_DOWN: 503,
  INTERNAL_ERROR: 500,
};

export const refuse = (code: EventStreamAnswerCode, headers?: Readonly<Record<string, string>>): Response =>
  new Response(JSON.stringify({ error: code }), {
    status: STATUS[code],
    headers: { 'content-type': 'application/json', 'x-content-type-options': 'nosniff', ...headers },
  });

export const SSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store, no-transform',
  'x-content-type-options': 'nosniff',
  // nginx buffers a proxied response unless told otherwise.
  'x-accel-buffering': 'no',
});
