/**
 * Server-Sent Events of the webhooks a page's user may see, as a fetch-style handler like the
 * receiver's (`toNodeHandler` mounts it on Node). The data path is one-directional:
 *   request → its site (cross-site only from `allowedOrigins`) → authorize → the bounds → cursor
 *   → subscribe → history after the cursor → live events,
 * each once, in id order; each open stream is a {@link StreamSession}.
 */
import type { EventBus } from './bus.js';
import { requestCursor } from './cursor.js';
import { Heartbeat } from './heartbeat.js';
import { refuse, resolveStreamOptions, SSE_HEADERS, type EventStreamOptions } from './options.js';
import { StreamRegistry } from './registry.js';
import { StreamSession } from './session.js';

/** The handler, with what a server needs around it. */
export interface EventStream {
  (request: Request): Promise<Response>;
  /** The bus it reads: give the same to `createWebhookHandler({ bus })` or `webhookProcessor`. */
  readonly bus: EventBus;
  /** How many streams are open now. */
  readonly connections: number;
  /** Ends every open stream: their pages reconnect and resume, as after a deploy or to rebalance. */
  endStreams(): void;
  /** Ends the open streams of one user, as at a logout (their reconnect is authorized again); says how many. */
  endStreamsFor(userId: string): number;
  /**
   * For shutdown: ends every open stream, and answers any new one `503 SHUTTING_DOWN` with
   * `Connection: close`, so that its page goes to another instance and this server can close.
   */
  close(): void;
  /**
   * The stream's core, which `toNodeHandler` calls directly: a refusal, or the open stream and
   * its headers, for the server to begin on its own response (`session.attach`).
   */
  readonly open: (request: Request) => Promise<Response | OpenedStream>;
}

/** A stream that `open` has subscribed, with its answer's headers; it begins once attached to a sink. */
export interface OpenedStream {
  readonly session: StreamSession;
  readonly headers: Readonly<Record<string, string>>;
}

/** The users a request may see, or the refusal; `authorize` is the integrator's, and may throw. */
async function authorized(
  request: Request,
  authorize: EventStreamOptions['authorize'],
  headers: Readonly<Record<string, string>>,
) {
  const allowed = await authorize(request);
  if (allowed === null || allowed === undefined) return refuse('UNAUTHORIZED', headers);
  if (!Array.isArray(allowed)) throw new TypeError('authorize must return a list of Smile user ids, or null');
  const userIds = [...new Set(allowed.filter((id): id is string => typeof id === 'string' && id !== ''))];
  return userIds.length ? userIds : refuse('FORBIDDEN', headers);
}

export function createEventStream(options: EventStreamOptions): EventStream {
  const settings = resolveStreamOptions(options);
  const registry = new StreamRegistry<StreamSession>(settings);
  const heartbeat = new Heartbeat(settings.heartbeatMs);
  const retryAfter = String(Math.ceil(settings.retryMs / 1000));
  let closing = false;

  const open = async (request: Request): Promise<Response | OpenedStream> => {
    const site = siteHeaders(request, settings.allowedOrigins);
    if (!site) return refuse('ORIGIN_NOT_ALLOWED', VARY_ORIGIN);
    // A listed origin's preflight (a bearer token is no simple request).
    if (request.method === 'OPTIONS' && 'access-control-allow-origin' in site) {
      return new Response(null, { status: 204, headers: { ...site, ...PREFLIGHT } });
    }
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return refuse('METHOD_NOT_ALLOWED', { ...site, allow: 'GET' });
    if (closing) return refuse('SHUTTING_DOWN', { ...site, connection: 'close', 'retry-after': '1' });
    let users;
    try {
      users = await authorized(request, settings.authorize, site);
    } catch (error) {
      settings.report(error);
      return refuse('INTERNAL_ERROR', site);
    }
    if (users instanceof Response) return users;
    if (registry.full(users)) return refuse('TOO_MANY_STREAMS', { ...site, 'retry-after': retryAfter });
    if (request.method === 'HEAD') return new Response(null, { status: 200, headers: { ...SSE_HEADERS, ...site } });
    const session = new StreamSession(users, requestCursor(request), settings, registry, heartbeat);
    try {
      await session.subscribe();
    } catch (error) {
      settings.report(error);
      return refuse('BUS_UNAVAILABLE', { ...site, 'retry-after': retryAfter });
    }
    return { session, headers: site === NO_CORS ? SSE_HEADERS : { ...SSE_HEADERS, ...site } };
  };
  const handler = async (request: Request): Promise<Response> => {
    const opened = await open(request);
    if (opened instanceof Response) return opened;
    return new Response(opened.session.body(), { status: 200, headers: opened.headers });
  };

  return Object.defineProperties(handler, {
    bus: { value: settings.bus, enumerable: true },
    connections: { get: () => registry.size, enumerable: true },
    endStreams: { value: () => registry.endAll() },
    endStreamsFor: { value: (userId: string) => registry.endFor(userId) },
    close: { value: () => ((closing = true), registry.endAll()) },
    open: { value: open },
  }) as EventStream;
}

const NO_CORS: Readonly<Record<string, string>> = Object.freeze({});
const VARY_ORIGIN: Readonly<Record<string, string>> = Object.freeze({ vary: 'Origin' });
/** What a listed origin's preflight may send: the bearer token and the resume cursor. */
const PREFLIGHT: Readonly<Record<string, string>> = Object.freeze({
  'access-control-allow-methods': 'GET',
  'access-control-allow-headers': 'authorization, last-event-id',
  'access-control-max-age': '600',
});

/**
 * The CORS headers a request gets, by where it comes from; undefined to refuse it. A browser
 * says `Sec-Fetch-Site: cross-site` for another site's page: refused unless its `Origin` is
 * listed. A listed origin gets itself back exactly, never `*`, with credentials; and once any
 * origin is listed, every answer varies by `Origin`, so that no cache hands one site another's.
 */
function siteHeaders(
  request: Request,
  allowedOrigins: ReadonlySet<string>,
): Readonly<Record<string, string>> | undefined {
  const origin = request.headers.get('origin');
  const listed = origin !== null && allowedOrigins.has(origin);
  if (!listed && request.headers.get('sec-fetch-site') === 'cross-site') return undefined;
  if (!listed) return allowedOrigins.size ? VARY_ORIGIN : NO_CORS;
  return { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', vary: 'Origin' };
}
