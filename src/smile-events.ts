/**
 * `wink-widget/events`: the page's end of `createEventStream`. It hears the webhooks of the
 * page's own user as typed DOM events, reconnects with backoff, and never loses or repeats an
 * event across a reconnect: each one carries an id, the stream resumes after the last one heard,
 * and an id heard already is dropped. Framework-agnostic, and no part of the element.
 */
import type { PageEvent, StreamedWebhookEvent } from './page-events.js';
import type { ServerEventSource, SmileEventsHeaders } from './smile-events-fetch.js';

export interface SmileEventsOptions {
  /**
   * Where the first connect resumes: an event id, or a time (such as when the page opened the
   * widget), for the user's events published since. Later connects resume after the last id heard.
   */
  since?: string | number | Date;
  /** Send the page's cookies to another origin's stream (`EventSource`'s own option). */
  withCredentials?: boolean;
  /**
   * Headers to send, such as `{ Authorization: \`Bearer ${token}\` }`: an object, or a function
   * (sync or async) called at each connect, so that a refreshed token is used. With headers, the
   * stream is read over `fetch` (so it is in Node, which has no `EventSource`), with the same
   * reconnects, backoff, `Last-Event-ID`, dropped repeats and `resync`. A function that throws is
   * a refused connect, retried with backoff.
   */
  headers?: SmileEventsHeaders;
  /** The first reconnect's delay after the stream is refused; it doubles up to 30 s (default 1 s). */
  retryMs?: number;
}

/** The detail of `resync`: the history no longer reaches back to the page's last event, or its id was unreadable. */
export interface ResyncDetail {
  reason: 'cursor' | 'history';
}

/** Every event a {@link SmileEvents} dispatches: one per webhook type, `webhook` for any, and `resync`. */
export type SmileEventsEventMap<Event extends PageEvent = StreamedWebhookEvent> = {
  [Type in Event['type']]: CustomEvent<Extract<Event, { type: Type }>>;
} & {
  /** Any webhook, whatever its type. */
  webhook: CustomEvent<Event>;
  /** The stream cannot tell what was missed: refetch what the page shows. */
  resync: CustomEvent<ResyncDetail>;
};

/** Why a {@link SmileEvents.waitFor} gave up. */
export type SmileEventsErrorCode = 'TIMEOUT' | 'CLOSED';

export class SmileEventsError extends Error {
  readonly code: SmileEventsErrorCode;
  constructor(code: SmileEventsErrorCode, message: string) {
    super(message);
    this.name = 'SmileEventsError';
    this.code = code;
  }
}

const MAX_RETRY_MS = 30_000;
// EventSource.CLOSED, which Node has no global of.
const CLOSED = 2;

/**
 * `new SmileEvents('/api/smile/events', { since: openedAt })`, then
 * `addEventListener('TASK_FINISHED', (e) => e.detail.data.datapoints)`, or
 * `await events.waitFor('TASK_FINISHED', (event) => event.data.sourceId === accountId)`.
 * Give `Event` your own type when the server's `project` sends more than the default.
 */
export class SmileEvents<Event extends PageEvent = StreamedWebhookEvent> extends EventTarget {
  readonly url: string;
  readonly #options: SmileEventsOptions;
  #source?: ServerEventSource | undefined;
  /** The last id the server sent: only it, never `since`, tells a repeat. */
  #lastId: string | undefined;
  readonly #since: string | undefined;
  #retryMs: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;
  readonly #waiting = new Set<(error: SmileEventsError) => void>();

  constructor(url: string | URL, options: SmileEventsOptions = {}) {
    super();
    this.url = String(url);
    this.#options = options;
    this.#retryMs = options.retryMs ?? 1000;
    const { since } = options;
    this.#since = since === undefined || typeof since === 'string' ? since : new Date(since).toISOString();
    this.#connect();
  }

  /** The id of the last event heard: where the next connect resumes. */
  get lastEventId(): string | undefined {
    return this.#lastId;
  }

  /** Stops for good: no reconnect, and every pending `waitFor` rejects with `CLOSED`. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#source?.close();
    this.#source = undefined;
    for (const reject of [...this.#waiting]) reject(new SmileEventsError('CLOSED', 'The event stream was closed'));
  }

  /**
   * The next event of `type` that `matches`, such as the `TASK_FINISHED` of the account just
   * connected. Rejects with `TIMEOUT` after `timeout` ms, with the signal's reason when it aborts,
   * and with `CLOSED` on `close()`.
   */
  waitFor<Type extends Event['type']>(
    type: Type,
    matches?: (event: Extract<Event, { type: Type }>) => boolean,
    { signal, timeout }: { signal?: AbortSignal; timeout?: number } = {},
  ): Promise<Extract<Event, { type: Type }>> {
    return new Promise((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const settle = (outcome: () => void) => {
        this.removeEventListener(type, listener);
        signal?.removeEventListener('abort', aborted);
        clearTimeout(timer);
        this.#waiting.delete(fail);
        outcome();
      };
      const fail = (error: Error) => settle(() => reject(error));
      const aborted = () => fail(signal!.reason as Error);
      const listener = (event: globalThis.Event) => {
        const detail = (event as CustomEvent<Extract<Event, { type: Type }>>).detail;
        try {
          if (!matches || matches(detail)) settle(() => resolve(detail));
        } catch (error) {
          fail(error as Error);
        }
      };
      if (signal?.aborted) return reject(signal.reason as Error);
      if (this.#closed) return reject(new SmileEventsError('CLOSED', 'The event stream was closed'));
      this.addEventListener(type, listener);
      signal?.addEventListener('abort', aborted);
      this.#waiting.add(fail);
      if (timeout !== undefined) {
        timer = setTimeout(() => fail(new SmileEventsError('TIMEOUT', `No ${type} within ${timeout} ms`)), timeout);
      }
    });
  }

  override addEventListener<Type extends keyof SmileEventsEventMap<Event>>(
    type: Type,
    listener: (this: SmileEvents<Event>, event: SmileEventsEventMap<Event>[Type]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void {
    super.addEventListener(type, listener, options);
  }

  override removeEventListener<Type extends keyof SmileEventsEventMap<Event>>(
    type: Type,
    listener: (this: SmileEvents<Event>, event: SmileEventsEventMap<Event>[Type]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  override removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void;
  override removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void {
    super.removeEventListener(type, listener, options);
  }

  #connect(): void {
    const { headers, withCredentials = false } = this.#options;
    // Over fetch only when asked to (headers), or where there is no EventSource (Node): its module
    // is loaded then, and only then.
    if (headers === undefined && typeof EventSource === 'function') {
      this.#listen(new EventSource(this.#resumeUrl(), { withCredentials }));
      return;
    }
    import('./smile-events-fetch.js').then(
      ({ FetchEventSource }) => {
        if (!this.#closed) this.#listen(new FetchEventSource(this.#resumeUrl(), { headers, withCredentials }));
      },
      // Not loaded (offline, a CDN's hiccup): tried again with backoff, as a refusal is.
      () => this.#retry(),
    );
  }

  /** The stream's URL, resuming after the last id heard (or `since`, before any). */
  #resumeUrl(): URL {
    const url = new URL(this.url, globalThis.location?.href);
    const resumeAfter = this.#lastId ?? this.#since;
    if (resumeAfter !== undefined) url.searchParams.set('since', resumeAfter);
    return url;
  }

  /** Connects again after the backoff, which doubles each time up to 30 s. */
  #retry(): void {
    if (this.#closed) return;
    const delay = this.#retryMs * (0.5 + Math.random() / 2);
    this.#retryMs = Math.min(this.#retryMs * 2, MAX_RETRY_MS);
    this.#timer = setTimeout(() => this.#closed || this.#connect(), delay);
  }

  #listen(source: ServerEventSource): void {
    this.#source = source;
    source.onopen = () => (this.#retryMs = this.#options.retryMs ?? 1000);
    source.onmessage = (message) => {
      // A repeat, from a reconnect that overlapped what was heard: dropped.
      if (message.lastEventId && this.#isOld(message.lastEventId)) return;
      let event: Event;
      try {
        event = JSON.parse(message.data as string) as Event;
      } catch {
        // Not one of the stream's events: ignored by design.
        return;
      }
      if (message.lastEventId) this.#lastId = message.lastEventId;
      this.dispatchEvent(new CustomEvent(event.type, { detail: event }));
      this.dispatchEvent(new CustomEvent('webhook', { detail: event }));
    };
    source.addEventListener('resync', (event) => {
      const message = event as MessageEvent;
      this.#lastId = message.lastEventId || undefined;
      let detail: ResyncDetail = { reason: 'history' };
      try {
        detail = JSON.parse(message.data as string) as ResyncDetail;
      } catch {
        // Still a resync.
      }
      this.dispatchEvent(new CustomEvent('resync', { detail }));
    });
    source.onerror = () => {
      // The browser reconnects by itself after a dropped connection, with Last-Event-ID. It gives
      // up on a refusal (a 503 while the bus is down, a 401): then this reconnects, with backoff.
      if (source.readyState === CLOSED && this.#source === source) this.#retry();
    };
  }

  #isOld(id: string): boolean {
    const last = this.#lastId;
    return last !== undefined && /^\d+$/.test(last) && /^\d+$/.test(id) && Number(id) <= Number(last);
  }
}

export type { PageEvent, StreamedWebhookEvent, StreamedWebhookEventOf } from './page-events.js';
