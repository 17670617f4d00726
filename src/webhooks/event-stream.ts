/**
 * Server-Sent Events of the webhooks a page's user may see, as a fetch-style handler like the
 * receiver's (`toNodeHandler` mounts it on Node). The data path is one-directional: request →
 * authorize → subscribe → history after the cursor → live events, each once, in id order.
 */
import { Deadlines } from './deadlines.js';
import type { BusEntry, EventBus, EventHistory } from './event-bus.js';
import { memoryEventBus } from './memory-event-bus.js';

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
  /** How often a comment keeps the connection open through proxies (default 15 s). */
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
  /** Told of each failure on the server's side: a throwing `authorize`, a bus that is down. */
  onError?: (error: unknown) => void;
}

/** The handler, with what a server needs around it. */
export interface EventStream {
  (request: Request): Promise<Response>;
  /** The bus it reads: give the same to `createWebhookHandler({ bus })` or `webhookProcessor`. */
  readonly bus: EventBus;
  /** How many streams are open now. */
  readonly connections: number;
  /** Ends every open stream: their pages reconnect and resume, as after a deploy or to rebalance. */
  endStreams(): void;
  /**
   * For shutdown: ends every open stream, and answers any new one `503 SHUTTING_DOWN` with
   * `Connection: close`, so that its page goes to another instance and this server can close.
   */
  close(): void;
}

/** What the stream answers with, as `{ error }` in the JSON body of each refusal. */
export type EventStreamAnswerCode =
  'METHOD_NOT_ALLOWED' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'BUS_UNAVAILABLE' | 'SHUTTING_DOWN' | 'INTERNAL_ERROR';

export const DEFAULT_HEARTBEAT_MS = 15_000;
export const DEFAULT_RETRY_MS = 2_000;
export const DEFAULT_BUS_TIMEOUT_MS = 2_000;
export const DEFAULT_MAX_QUEUED_BYTES = 1_000_000;

/** Why a stream starts with `resync`: its cursor could not be read, or history no longer reaches it. */
export type ResyncReason = 'cursor' | 'history';

const STATUS: Record<EventStreamAnswerCode, number> = {
  METHOD_NOT_ALLOWED: 405,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  BUS_UNAVAILABLE: 503,
  SHUTTING_DOWN: 503,
  INTERNAL_ERROR: 500,
};

const refuse = (code: EventStreamAnswerCode, headers?: Record<string, string>) =>
  new Response(JSON.stringify({ error: code }), {
    status: STATUS[code],
    headers: { 'content-type': 'application/json', ...headers },
  });

/** The longest cursor read: an id, or an ISO-8601 time. Anything longer is not one. */
const MAX_CURSOR_LENGTH = 40;

/**
 * The id after which a stream resumes: from `Last-Event-ID` (a reconnect), else from `since`
 * (an id, or a time: events published from then on). `undefined` for none, `NaN` for garbage.
 */
export function readCursor(lastEventId: string | null, since: string | null): number | undefined {
  const value = lastEventId ?? since;
  if (value === null || value === '') return undefined;
  if (value.length > MAX_CURSOR_LENGTH) return NaN;
  if (/^\d+$/.test(value)) {
    const id = Number(value);
    return Number.isSafeInteger(id) ? id : NaN;
  }
  // Only a time with a date in it: Date.parse takes many odd strings.
  if (lastEventId !== null || !/^\d{4}-\d{2}-\d{2}/.test(value)) return NaN;
  const time = Date.parse(value);
  return Number.isNaN(time) ? NaN : time * 1000 - 1;
}

const encoder = new TextEncoder();
const frame = ({ id, json }: BusEntry) => encoder.encode(`id: ${id}\ndata: ${json}\n\n`);

export function createEventStream(options: EventStreamOptions): EventStream {
  const {
    authorize,
    bus = memoryEventBus(),
    heartbeatMs = DEFAULT_HEARTBEAT_MS,
    retryMs = DEFAULT_RETRY_MS,
    busTimeoutMs = DEFAULT_BUS_TIMEOUT_MS,
    maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES,
    onError,
  } = options;
  if (typeof authorize !== 'function') {
    throw new TypeError(
      "createEventStream needs authorize(request), which returns the Smile user ids of the request's own session",
    );
  }
  const report = (error: unknown) => {
    try {
      onError?.(error);
    } catch {
      // A failing reporter must not change the answer.
    }
  };
  const deadlines = new Deadlines(busTimeoutMs);
  const open = new Set<() => void>();
  let closing = false;
  const endStreams = () => {
    for (const end of [...open]) end();
  };

  const handler = async (request: Request): Promise<Response> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse('METHOD_NOT_ALLOWED', { allow: 'GET' });
    if (closing) return refuse('SHUTTING_DOWN', { connection: 'close', 'retry-after': '1' });
    let userIds: string[];
    try {
      const allowed = await authorize(request);
      if (allowed === null || allowed === undefined) return refuse('UNAUTHORIZED');
      if (!Array.isArray(allowed)) throw new TypeError('authorize must return a list of Smile user ids, or null');
      userIds = [...new Set(allowed.filter((id): id is string => typeof id === 'string' && id !== ''))];
    } catch (error) {
      report(error);
      return refuse('INTERNAL_ERROR');
    }
    if (userIds.length === 0) return refuse('FORBIDDEN');
    if (request.method === 'HEAD') return new Response(null, { status: 200, headers: SSE_HEADERS });

    let since: string | null = null;
    try {
      since = new URL(request.url).searchParams.get('since');
    } catch {
      // A relative URL (some adapters): no `since`.
    }
    const cursor = readCursor(request.headers.get('last-event-id'), since);

    // Subscribed before history is read: an event published in between is in one or the other.
    let live: BusEntry[] | undefined = [];
    let send: (entry: BusEntry) => void = (entry) => live?.push(entry);
    let end: () => void = () => (live = undefined);
    let unsubscribe: (() => void) | undefined;
    let history: EventHistory | undefined;
    try {
      unsubscribe = await deadlines.bound(
        bus.subscribe(userIds, { entry: (entry) => send(entry), lost: () => end() }),
        () => `The event bus took longer than ${busTimeoutMs} ms to subscribe`,
      );
      if (cursor !== undefined) {
        // Garbage reads no history, but learns the head to resync from.
        history = await deadlines.bound(
          bus.history(userIds, Number.isNaN(cursor) ? Number.MAX_SAFE_INTEGER : cursor),
          () => `The event bus took longer than ${busTimeoutMs} ms to read history`,
        );
      }
    } catch (error) {
      unsubscribe?.();
      report(error);
      return refuse('BUS_UNAVAILABLE', { 'retry-after': String(Math.ceil(retryMs / 1000)) });
    }
    if (!live) {
      unsubscribe();
      return refuse('BUS_UNAVAILABLE', { 'retry-after': String(Math.ceil(retryMs / 1000)) });
    }

    let heartbeat: ReturnType<typeof setInterval> | undefined;
    let closed = false;
    const cleanup = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
      open.delete(end);
    };
    const body = new ReadableStream<Uint8Array>(
      {
        start(controller) {
          let lastSent = 0;
          const write = (bytes: Uint8Array) => {
            if (closed) return;
            controller.enqueue(bytes);
            // A client that does not read: end its stream, and let it resume from its last id.
            if ((controller.desiredSize ?? 0) < -maxQueuedBytes) end();
          };
          end = () => {
            if (closed) return;
            cleanup();
            controller.close();
          };
          open.add(end);
          write(encoder.encode(`retry: ${retryMs}\n\n`));
          const buffered = live!;
          live = undefined;
          if (history && (Number.isNaN(cursor) || !history.complete)) {
            // The page must refetch what it shows; the stream goes on from the bus's newest id.
            const reason: ResyncReason = Number.isNaN(cursor) ? 'cursor' : 'history';
            lastSent = history.head;
            write(encoder.encode(`id: ${lastSent}\nevent: resync\ndata: ${JSON.stringify({ reason })}\n\n`));
          } else if (history) {
            // A cursor from the future counts as the newest id, so that no later event is skipped.
            lastSent = Math.min(cursor!, history.head);
            for (const entry of history.entries) {
              if (entry.id > lastSent) {
                lastSent = entry.id;
                write(frame(entry));
              }
            }
          }
          send = (entry) => {
            if (entry.id <= lastSent) return;
            lastSent = entry.id;
            write(frame(entry));
          };
          for (const entry of buffered) send(entry);
          heartbeat = setInterval(() => write(HEARTBEAT), heartbeatMs);
          (heartbeat as { unref?: () => void }).unref?.();
        },
        cancel: cleanup,
      },
      { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
    );
    return new Response(body, { status: 200, headers: SSE_HEADERS });
  };

  return Object.defineProperties(handler, {
    bus: { value: bus, enumerable: true },
    connections: { get: () => open.size, enumerable: true },
    endStreams: { value: endStreams },
    close: {
      value: () => {
        closing = true;
        endStreams();
      },
    },
  }) as EventStream;
}

const HEARTBEAT = encoder.encode(':\n\n');

const SSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store, no-transform',
  // nginx buffers a proxied response unless told otherwise.
  'x-accel-buffering': 'no',
});
