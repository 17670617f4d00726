/**
 * Server-Sent Events of the webhooks a page's user may see, as a fetch-style handler like the
 * receiver's (`toNodeHandler` mounts it on Node). The data path is one-directional:
 *   request → authorize → cursor → subscribe → history after the cursor → live events,
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
  /**
   * For shutdown: ends every open stream, and answers any new one `503 SHUTTING_DOWN` with
   * `Connection: close`, so that its page goes to another instance and this server can close.
   */
  close(): void;
}

/** The users a request may see, or the refusal; `authorize` is the integrator's, and may throw. */
async function authorized(request: Request, authorize: EventStreamOptions['authorize']) {
  const allowed = await authorize(request);
  if (allowed === null || allowed === undefined) return refuse('UNAUTHORIZED');
  if (!Array.isArray(allowed)) throw new TypeError('authorize must return a list of Smile user ids, or null');
  const userIds = [...new Set(allowed.filter((id): id is string => typeof id === 'string' && id !== ''))];
  return userIds.length ? userIds : refuse('FORBIDDEN');
}

export function createEventStream(options: EventStreamOptions): EventStream {
  const settings = resolveStreamOptions(options);
  const registry = new StreamRegistry<StreamSession>();
  const heartbeat = new Heartbeat(settings.heartbeatMs);
  const retryAfter = { 'retry-after': String(Math.ceil(settings.retryMs / 1000)) };
  let closing = false;

  const handler = async (request: Request): Promise<Response> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse('METHOD_NOT_ALLOWED', { allow: 'GET' });
    if (closing) return refuse('SHUTTING_DOWN', { connection: 'close', 'retry-after': '1' });
    let users;
    try {
      users = await authorized(request, settings.authorize);
    } catch (error) {
      settings.report(error);
      return refuse('INTERNAL_ERROR');
    }
    if (users instanceof Response) return users;
    if (request.method === 'HEAD') return new Response(null, { status: 200, headers: SSE_HEADERS });
    const session = new StreamSession(users, requestCursor(request), settings, registry, heartbeat);
    try {
      await session.subscribe();
    } catch (error) {
      settings.report(error);
      return refuse('BUS_UNAVAILABLE', retryAfter);
    }
    return new Response(session.body(), { status: 200, headers: SSE_HEADERS });
  };

  return Object.defineProperties(handler, {
    bus: { value: settings.bus, enumerable: true },
    connections: { get: () => registry.size, enumerable: true },
    endStreams: { value: () => registry.endAll() },
    close: { value: () => ((closing = true), registry.endAll()) },
  }) as EventStream;
}
