/**
 * An `EventSource` over `fetch`, for a stream that needs request headers (a bearer token, which
 * `EventSource` cannot send), and for Node, which has no `EventSource`. It does what `SmileEvents`
 * asks of `EventSource`, the way the HTML standard says: a dropped stream reconnects by itself
 * after the server's `retry` with `Last-Event-ID`; a refusal (not 200, or not
 * `text/event-stream`) closes it, and `SmileEvents` reconnects with its backoff. The wire format is
 * read by `eventsource-parser`, which the build bundles into this module (the browser entries
 * depend on `lit` only); `SmileEvents` loads it only when it is needed.
 */
import { createParser } from 'eventsource-parser';

/** Headers for each connect: an object, or a function called at each connect, so that a refreshed token is sent. */
export type SmileEventsHeaders = HeadersInit | (() => HeadersInit | PromiseLike<HeadersInit>);

/** What `SmileEvents` needs of a source of server-sent events: `EventSource`, or this. */
export interface ServerEventSource {
  readonly readyState: number;
  onopen: ((event: Event) => unknown) | null;
  onmessage: ((event: MessageEvent) => unknown) | null;
  onerror: ((event: Event) => unknown) | null;
  /** Of a named event (`resync`), a `MessageEvent`. */
  addEventListener(type: string, listener: (event: Event) => void): void;
  close(): void;
}

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 2;
// What browsers wait before a reconnect when the server has said no `retry`.
const DEFAULT_RETRY_MS = 3000;
// No line of the stream is longer: a server that sends one is cut, not buffered without end.
const MAX_LINE_CHARS = 1024 * 1024;

export class FetchEventSource extends EventTarget implements ServerEventSource {
  readyState: number = CONNECTING;
  onopen: ((event: Event) => unknown) | null = null;
  onmessage: ((event: MessageEvent) => unknown) | null = null;
  onerror: ((event: Event) => unknown) | null = null;
  readonly url: string;
  readonly #headers: SmileEventsHeaders | undefined;
  readonly #credentials: RequestCredentials;
  #lastEventId = '';
  #retryMs = DEFAULT_RETRY_MS;
  #controller: AbortController | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(url: string | URL, init: { headers?: SmileEventsHeaders; withCredentials?: boolean } = {}) {
    super();
    this.url = String(url);
    this.#headers = init.headers;
    this.#credentials = init.withCredentials ? 'include' : 'same-origin';
    // After the caller has set its handlers, as EventSource does: never an event in the constructor.
    queueMicrotask(() => void this.#connect());
  }

  close(): void {
    this.readyState = CLOSED;
    clearTimeout(this.#timer);
    this.#controller?.abort();
  }

  async #connect(): Promise<void> {
    const controller = (this.#controller = new AbortController());
    let headers: Headers;
    try {
      headers = new Headers(typeof this.#headers === 'function' ? await this.#headers() : this.#headers);
    } catch {
      // No headers to send (the token could not be had): a refusal, which SmileEvents retries.
      return this.#fail();
    }
    if (this.readyState === CLOSED) return;
    headers.set('accept', 'text/event-stream');
    if (this.#lastEventId) headers.set('last-event-id', this.#lastEventId);
    let response: Response;
    try {
      response = await fetch(this.url, {
        headers,
        credentials: this.#credentials,
        cache: 'no-store',
        signal: controller.signal,
      });
    } catch {
      // A network error: reconnect, as EventSource does.
      return this.#dropped();
    }
    const type = response.headers.get('content-type') ?? '';
    if (response.status !== 200 || !/^text\/event-stream\b/i.test(type) || !response.body) {
      void response.body?.cancel().catch(() => {});
      return this.#fail();
    }
    if (this.readyState === CLOSED) return;
    this.readyState = OPEN;
    this.#dispatch('open', new Event('open'));
    await this.#read(response.body);
    this.#dropped();
  }

  /** Feeds the body to the parser until it ends, is cut, or is closed; resolves, never rejects. */
  async #read(body: ReadableStream<Uint8Array>): Promise<void> {
    const parser = createParser({
      onEvent: ({ id, event, data }) => {
        if (this.readyState === CLOSED) return;
        // The standard's last event ID buffer: kept across messages, and set by each `id:`.
        if (id !== undefined && !id.includes('\0')) this.#lastEventId = id;
        const type = event || 'message';
        this.#dispatch(type, new MessageEvent(type, { data, lastEventId: this.#lastEventId }));
      },
      onRetry: (ms) => (this.#retryMs = ms),
      maxBufferSize: MAX_LINE_CHARS,
      // A line it cannot read (a bad retry, an unknown field) is skipped by design.
      onError: () => {},
    });
    const reader = body.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done || this.readyState === CLOSED) break;
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } catch {
      // Cut off, aborted by close(), or a line over the bound (the parser throws then): the
      // stream is over.
    } finally {
      void reader.cancel().catch(() => {});
    }
  }

  /** The stream ended or could not be reached: reconnect after `retry`, unless closed. */
  #dropped(): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CONNECTING;
    this.#dispatch('error', new Event('error'));
    if (this.readyState === CLOSED) return;
    this.#timer = setTimeout(() => void this.#connect(), this.#retryMs);
  }

  /** Refused: closed for good, as EventSource is; its owner decides whether to connect again. */
  #fail(): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    this.#dispatch('error', new Event('error'));
  }

  #dispatch(type: string, event: Event): void {
    const handler =
      type === 'open' ? this.onopen : type === 'message' ? this.onmessage : type === 'error' ? this.onerror : null;
    handler?.call(this, event as MessageEvent);
    this.dispatchEvent(event);
  }
}
