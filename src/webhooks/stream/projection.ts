/**
 * The default projection of a webhook for a page ({@link STREAMED_DATA_KEYS}), and whose page it is.
 */
import { STREAMED_DATA_KEYS, STREAMED_SESSION_KEYS, type StreamedWebhookEvent } from '../../page-events.js';
import type { SmileWebhookEvent } from '../../webhook-types/index.js';

const DATA_KEYS: ReadonlySet<string> = new Set(STREAMED_DATA_KEYS);
const SESSION_KEYS: ReadonlySet<string> = new Set(STREAMED_SESSION_KEYS);

/**
 * The own keys of `value` that are in `keys`, in the order `value` has them. An event's `data`
 * has a few keys of the allowed 26: walking its own is the cheaper side, on every publish.
 */
const pick = (value: unknown, keys: ReadonlySet<string>): Record<string, unknown> => {
  const picked: Record<string, unknown> = {};
  if (typeof value !== 'object' || value === null) return picked;
  for (const key of Object.keys(value)) if (keys.has(key)) picked[key] = (value as Record<string, unknown>)[key];
  return picked;
};

/** The default projection: the envelope, and of `data` only {@link STREAMED_DATA_KEYS}. */
export function streamedEvent(event: SmileWebhookEvent): StreamedWebhookEvent {
  const data = pick(event.data, DATA_KEYS);
  if ('session' in data) data.session = pick(data.session, SESSION_KEYS);
  return { id: event.id, type: event.type, createdAt: event.createdAt, data } as StreamedWebhookEvent;
}

/** The Smile user an event is about: `data.userId`, or `data.session.userId`. */
export function webhookUserId(event: SmileWebhookEvent): string | undefined {
  const data = event.data as { userId?: unknown; session?: { userId?: unknown } } | undefined;
  const userId = data?.userId ?? data?.session?.userId;
  return typeof userId === 'string' && userId !== '' ? userId : undefined;
}
