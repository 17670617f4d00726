/**
 * The Node adapter: Node's `(req, res)`, which `http.createServer` and Express both take, in front
 * of a fetch-style handler. The package's receiver (a {@link WebhookHandler}, whose `receive` it
 * calls) is handed Node's request directly, with no fetch `Request`, `Response` or web stream in
 * between; any other handler gets a `Request`. It uses no Node module, so the webhooks entry stays
 * runtime-agnostic.
 */
import type { WebhookAnswer } from '../receiver/answers.js';
import type { WebhookHandler } from '../receiver/create-handler.js';
import type { BodyLimits, BodyRefusal, WebhookDelivery } from '../receiver/delivery.js';
import { headerValue } from '../signature/parse.js';
import type { EventStream, OpenedStream } from '../stream/event-stream.js';
import type { StreamSession, StreamSink } from '../stream/session.js';
import { concatBytes } from './fetch.js';

/** The part of Node's `IncomingMessage` the adapter reads. */
export interface NodeLikeRequest {
  /** Where the request comes from: the client, or the nearest proxy. */
  socket?: { remoteAddress?: string | undefined } | undefined;
  method?: string | undefined;
  url?: string | undefined;
  headers: Record<string, string | string[] | undefined>;
  /** True once the body has been read to its end: by a body parser, when one ran first. */
  readableEnded?: boolean;
  /** True once the whole request, body included, has arrived. */
  complete?: boolean;
  /** Destroys the request and its socket. */
  destroy?(): unknown;
  on(event: 'data', listener: (chunk: Uint8Array | string) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  off(event: 'data', listener: (chunk: Uint8Array | string) => void): unknown;
  pause(): unknown;
  resume(): unknown;
}

/** The part of Node's `ServerResponse` the adapter writes. */
export interface NodeLikeResponse {
  headersSent?: boolean;
  writeHead(status: number, headers?: Record<string, string>): unknown;
  end(body?: Uint8Array | string): unknown;
  /** For a stream (Server-Sent Events): each chunk as it comes; false while the socket is full. */
  write?(chunk: Uint8Array | string): boolean;
  on?(event: 'close' | 'drain', listener: () => void): unknown;
  off?(event: 'close' | 'drain', listener: () => void): unknown;
  /** The bytes written and not yet sent: a stream whose client does not read is ended past a bound. */
  readonly writableLength?: number;
  readonly destroyed?: boolean;
}

const encoder = new TextEncoder();
// Node's chunks are Buffers, which are Uint8Arrays already: they are read as they are, with no view of their own.
const asBytes = (chunk: Uint8Array | string) => (typeof chunk === 'string' ? encoder.encode(chunk) : chunk);

/**
 * The request's body as a web stream that reads only as fast as it is consumed, and `drop()`,
 * which ends the stream and reads whatever is left of the body only to drop it, so that nothing
 * beyond what was consumed is held and the answer still reaches the client.
 */
function bodyStream(request: NodeLikeRequest): { stream: ReadableStream<Uint8Array>; drop: () => void } {
  let open = true;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const onData = (chunk: Uint8Array | string) => {
    if (!open) return;
    controller.enqueue(asBytes(chunk));
    if ((controller.desiredSize ?? 1) <= 0) request.pause();
  };
  const drop = () => {
    open = false;
    request.off('data', onData);
    request.resume();
  };
  const stream = new ReadableStream<Uint8Array>({
    start(streamController) {
      controller = streamController;
      request.on('data', onData);
      request.on('end', () => open && ((open = false), controller.close()));
      request.on('error', (error) => open && ((open = false), controller.error(error)));
      request.pause();
    },
    pull() {
      request.resume();
    },
    cancel: drop,
  });
  return { stream, drop };
}

const json = (status: number, value: unknown) =>
  new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });

/**
 * A body that something read before the receiver (`express.json()`): its raw bytes, which the
 * signature is over, are gone, and waiting for them would hang. A 5xx, so that Smile sends the
 * event again once the receiver is mounted right.
 */
const BODY_ALREADY_READ = {
  error: 'BODY_ALREADY_READ',
  message:
    'The request body was read before the webhook receiver, most likely by a body parser such as express.json(): mount the receiver before any body parser.',
};

/**
 * What a fetch `Request` is made from, parsed once each: its URL (a path is put after the origin
 * as it is, with no `URL` of its own) and its headers (Node's own object, unless a header came
 * more than once as a list), so that a request costs one URL and one `Headers`, the Request's.
 */
function requestUrl(request: NodeLikeRequest): string {
  const url = request.url ?? '/';
  return url.startsWith('/') && !url.startsWith('//')
    ? `http://localhost${url}`
    : new URL(url, 'http://localhost').href;
}
function requestHeaders(request: NodeLikeRequest): HeadersInit {
  const headers = request.headers;
  for (const name in headers) if (typeof headers[name] !== 'string') return fetchHeaders(request);
  return headers as Record<string, string>;
}

/** The headers of a Node request as fetch's `Headers`. */
function fetchHeaders(request: NodeLikeRequest): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    for (const item of Array.isArray(value) ? value : [value]) if (typeof item === 'string') headers.append(name, item);
  }
  return headers;
}

/** How much of a refused body is read, only to be dropped, before its socket is destroyed. */
const DRAIN_BYTES = 64 * 1024;
/** How long a refused body is read, only to be dropped, before its socket is destroyed. */
const DRAIN_MS = 2000;

/**
 * Reads what is left of a body the receiver will not use, only to drop it, so that the answer
 * reaches a client still sending; bounded: past {@link DRAIN_BYTES} or {@link DRAIN_MS} the
 * socket is destroyed instead. Its answer says `Connection: close` (see respondWith).
 */
function drain(request: NodeLikeRequest): void {
  if (request.complete || request.readableEnded) return;
  let drained = 0;
  const stop = (destroy: boolean) => {
    clearTimeout(timer);
    request.off('data', count);
    if (destroy) request.destroy?.();
  };
  const count = (chunk: Uint8Array | string) => {
    drained += typeof chunk === 'string' ? chunk.length : chunk.byteLength;
    if (drained > DRAIN_BYTES) stop(true);
  };
  const timer = setTimeout(() => stop(true), DRAIN_MS);
  request.on('data', count);
  request.on('end', () => stop(false));
  request.on('close', () => stop(false));
  request.resume();
}

/**
 * A Node request as a delivery: its headers as Node gives them, its body read from its events.
 * One object with its methods on the class, so that a delivery makes no closure of its own but
 * for its body's listeners.
 */
class NodeDelivery implements WebhookDelivery {
  readonly method: string;
  readonly declaredLength: number | undefined;
  readonly #request: NodeLikeRequest;
  #dropped = false;

  constructor(request: NodeLikeRequest) {
    this.#request = request;
    this.method = request.method ?? 'GET';
    const declared = this.header('content-length');
    this.declaredLength = declared === undefined ? undefined : Number(declared);
  }

  header(name: string): string | undefined {
    const headers = this.#request.headers;
    const value = headers[name];
    if (typeof value === 'string') return value;
    // Node's names are lowercase; a record from elsewhere may not be.
    return value === undefined ? headerValue(headers, name) : value.join(', ');
  }

  get socketAddress(): string | undefined {
    return this.#request.socket?.remoteAddress;
  }

  /** Made only when clientIp asks: a view with the same headers, as a fetch Request has them. */
  request(): Pick<Request, 'headers' | 'method' | 'url'> {
    const request = this.#request;
    return {
      headers: fetchHeaders(request),
      method: this.method,
      url: new URL(request.url ?? '/', 'http://localhost').href,
    };
  }

  dropBody(): void {
    if (this.#dropped) return;
    this.#dropped = true;
    drain(this.#request);
  }

  /**
   * The body, read from the request's events within its limits: never more than `max`, each
   * chunk taken from the budget as it comes (all given back on a refusal), within `timeoutMs`.
   */
  readBody({ max, timeoutMs, budget }: BodyLimits): Promise<Uint8Array | BodyRefusal> {
    const request = this.#request;
    return new Promise((resolve) => {
      const chunks: Uint8Array[] = [];
      let size = 0;
      let settled = false;
      const settle = (result: Uint8Array | BodyRefusal) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (typeof result === 'string') {
          // After the end no chunk comes; before it, the rest is dropped, not taken.
          request.off('data', onData);
          budget.give(size);
          this.dropBody();
        }
        resolve(result);
      };
      const onData = (chunk: Uint8Array | string) => {
        const bytes = asBytes(chunk);
        if (size + bytes.byteLength > max) return settle('too-large');
        if (!budget.take(bytes.byteLength)) return settle('busy');
        size += bytes.byteLength;
        chunks.push(bytes);
      };
      const timer = setTimeout(settle, timeoutMs, 'timeout');
      if (this.#dropped) return settle('unreadable');
      request.on('data', onData);
      request.on('end', () => settle(concatBytes(chunks, size)));
      // The client went away mid-body, or the stream broke: a close before the end.
      const unreadable = () => settle('unreadable');
      request.on('error', unreadable);
      request.on('close', unreadable);
      request.resume();
    });
  }
}

const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'content-type': 'application/json' });

const CLOSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({ ...JSON_HEADERS, connection: 'close' });

/** Writes an answer; one given before the body was all there closes the connection after it. */
function respondWith(
  request: NodeLikeRequest,
  response: NodeLikeResponse,
  { status, body, headers }: WebhookAnswer,
): void {
  if (response.headersSent) return;
  const base = request.complete === false ? CLOSE_HEADERS : JSON_HEADERS;
  response.writeHead(status, headers ? { ...base, ...headers } : base);
  response.end(JSON.stringify(body));
}

/** The package's receiver, handed Node's request directly. */
function receiveDirectly(
  receive: (delivery: WebhookDelivery) => Promise<WebhookAnswer>,
  request: NodeLikeRequest,
  response: NodeLikeResponse,
): Promise<void> {
  const delivery = new NodeDelivery(request);
  return receive(delivery).then((result) => {
    // An answer given before the body was read (405 for a PUT) leaves the rest to drop.
    delivery.dropBody();
    respondWith(request, response, result);
  });
}

/**
 * An open event stream written straight to Node's response: no `Response`, web stream or read
 * loop per stream. Node buffers what the socket has not taken yet; the session ends a stream
 * whose buffer passes `maxQueuedBytes`, and is cancelled when the client goes away.
 */
class ResponseSink implements StreamSink {
  readonly #response: Required<Pick<NodeLikeResponse, 'write' | 'end'>> & NodeLikeResponse;
  constructor(response: Required<Pick<NodeLikeResponse, 'write' | 'end'>> & NodeLikeResponse) {
    this.#response = response;
  }
  write(text: string): void {
    // Gone before its 'close' has told the session: nothing to write to.
    if (!this.#response.destroyed) this.#response.write(text);
  }
  get queued(): number {
    return this.#response.writableLength ?? 0;
  }
  close(): void {
    this.#response.end();
  }
}

/** The package's event stream, opened with a fetch `Request` (for `authorize`) and begun on Node's response. */
async function streamDirectly(
  open: EventStream['open'],
  request: NodeLikeRequest,
  response: NodeLikeResponse & Required<Pick<NodeLikeResponse, 'write' | 'on' | 'off'>>,
): Promise<void> {
  // A client that leaves before the stream is open (its page closed meanwhile).
  let left = false;
  const onLeave = () => (left = true);
  response.on('close', onLeave);
  let opened: Response | OpenedStream;
  try {
    opened = await open(new Request(requestUrl(request), { method: 'GET', headers: requestHeaders(request) }));
  } catch {
    opened = json(500, { error: 'INTERNAL_ERROR' });
  }
  response.off('close', onLeave);
  if (opened instanceof Response) return respond(response, opened);
  const { session } = opened;
  if (left || response.headersSent) return session.cancel();
  response.writeHead(200, opened.headers);
  (response as StreamResponse)[STREAM_SESSION] = session;
  response.on('close', cancelStream);
  session.attach(new ResponseSink(response));
}

/** Where a response holds its stream's session, for {@link cancelStream}. */
const STREAM_SESSION = Symbol('wink-widget stream session');
type StreamResponse = NodeLikeResponse & { [STREAM_SESSION]?: StreamSession };
/**
 * One `close` listener for every stream's response (Node calls it with the response as `this`),
 * rather than a closure per stream: at 10,000 streams, each closure and its scope is memory.
 */
function cancelStream(this: StreamResponse): void {
  this[STREAM_SESSION]?.cancel();
}

/** True for the package's event stream, which the adapter begins on Node's response directly. */
const isEventStream = (handler: object): handler is EventStream =>
  typeof (handler as Partial<EventStream>).open === 'function';

/** True for the package's receiver, which the adapter hands Node's request directly. */
const isWebhookHandler = (handler: object): handler is WebhookHandler =>
  typeof (handler as Partial<WebhookHandler>).receive === 'function';

/**
 * Answers Node's `(req, res)` with a fetch-style handler: the package's receiver (read directly,
 * see above), its event stream, or any other. Mount it before any body parser. The function it
 * returns is not itself async: it hands back the promise of the path it took, so that a delivery
 * costs no promise of its own beyond that path's.
 */
export function toNodeHandler(
  handler: ((request: Request) => Promise<Response>) | WebhookHandler,
): (request: NodeLikeRequest, response: NodeLikeResponse) => Promise<void> {
  const receive = isWebhookHandler(handler) ? handler.receive : undefined;
  const open = isEventStream(handler) ? handler.open : undefined;
  return (request, response) => {
    const method = request.method ?? 'GET';
    if (request.readableEnded && method !== 'GET' && method !== 'HEAD') {
      return respond(response, json(500, BODY_ALREADY_READ));
    }
    if (receive) return receiveDirectly(receive, request, response);
    if (open && method === 'GET' && response.write && response.on && response.off) {
      return streamDirectly(open, request, response as Parameters<typeof streamDirectly>[2]);
    }
    return throughFetch(handler, method, request, response);
  };
}

/** Any other handler: given a fetch `Request`, its body streamed from Node's. */
async function throughFetch(
  handler: (request: Request) => Promise<Response>,
  method: string,
  request: NodeLikeRequest,
  response: NodeLikeResponse,
): Promise<void> {
  let answer: Response;
  const body = method === 'GET' || method === 'HEAD' ? undefined : bodyStream(request);
  // A client that leaves before the answer is ready (a stream's page closed meanwhile).
  let left = false;
  const onLeave = () => (left = true);
  response.on?.('close', onLeave);
  try {
    const fetchRequest = new Request(requestUrl(request), {
      method,
      headers: requestHeaders(request),
      body: body?.stream ?? null,
      // Required by fetch for a streamed request body.
      duplex: 'half',
    } as RequestInit);
    answer = await handler(fetchRequest);
  } catch {
    answer = json(500, { error: 'INTERNAL_ERROR' });
  }
  response.off?.('close', onLeave);
  // An answer given before the body was read (405 for a PUT) leaves the rest to drop.
  body?.drop();
  if (left) return void (await answer.body?.cancel().catch(() => undefined));
  await respond(response, answer);
}

async function respond(response: NodeLikeResponse, answer: Response): Promise<void> {
  if (response.headersSent) {
    await answer.body?.cancel();
    return;
  }
  response.writeHead(answer.status, Object.fromEntries(answer.headers));
  const streamed = answer.body && answer.headers.get('content-type')?.startsWith('text/event-stream');
  if (!streamed || !response.write || !response.on || !response.off) {
    response.end(new Uint8Array(await answer.arrayBuffer()));
    return;
  }
  await pipeStream(answer.body, response as Required<NodeLikeResponse>);
}

/**
 * Writes a stream that may never end as it comes, no faster than the socket takes it, and
 * cancels it when the client goes away, so that its source lets go of what it holds.
 */
async function pipeStream(body: ReadableStream<Uint8Array>, response: Required<NodeLikeResponse>): Promise<void> {
  const reader = body.getReader();
  let gone = false;
  let drained: (() => void) | undefined;
  const onClose = () => {
    gone = true;
    drained?.();
    reader.cancel().catch(() => undefined);
  };
  const onDrain = () => drained?.();
  response.on('close', onClose);
  response.on('drain', onDrain);
  try {
    while (!gone) {
      const { done, value } = await reader.read();
      if (done || gone) break;
      if (!response.write(value)) await new Promise<void>((resolve) => (drained = resolve));
      drained = undefined;
    }
  } catch {
    // The stream broke: end the response, and the client reconnects.
  } finally {
    response.off('close', onClose);
    response.off('drain', onDrain);
    if (!gone) response.end();
  }
}
