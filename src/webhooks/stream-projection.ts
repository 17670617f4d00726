/**
 * What a page may see of a webhook, and whose page it is. By default a page gets each event's
 * `id`, `type` and `createdAt`, and of its `data` only identifiers, statuses, counts and dates:
 * never a login name, an error message, an identity, an income or a document. This module has no
 * runtime dependency, so the browser client can take its types.
 */
import type { SmileWebhookDataMap, SmileWebhookType } from './spec-types.js';
import type { SmileWebhookEvent } from './types.js';

/**
 * The keys of `data` a page gets by default: every identifier, status, count and date that
 * Smile's spec puts in a webhook's `data`, and nothing else.
 */
export const STREAMED_DATA_KEYS = [
  'userId',
  'accountId',
  'sourceId',
  'sourceType',
  'taskType',
  'archiveId',
  'inviteId',
  'identityId',
  'ratingId',
  'recordId',
  'recordType',
  'verificationId',
  'id',
  'providers',
  'datapoints',
  'status',
  'monitorStatus',
  'errorCode',
  'resultCode',
  'count',
  'updatedIds',
  'updatedAt',
  'updatedFrom',
  'updatedTo',
  'session',
] as const;

/** The keys of `data.session` a page gets by default. */
export const STREAMED_SESSION_KEYS = ['userId', 'channel', 'channelId', 'status'] as const;

type StreamedKey = (typeof STREAMED_DATA_KEYS)[number];
type StreamedSessionKey = (typeof STREAMED_SESSION_KEYS)[number];

type Streamed<Data> = {
  [K in keyof Data as K extends StreamedKey ? K : never]: K extends 'session'
    ? { [S in keyof Data[K] as S extends StreamedSessionKey ? S : never]: Data[K][S] }
    : Data[K];
};

/** An event of one type as the default projection gives it to a page. */
export interface StreamedWebhookEventOf<Type extends SmileWebhookType> {
  /** Smile's event id. */
  id: string;
  type: Type;
  /** ISO-8601, as Smile sent it. */
  createdAt: string;
  data: Streamed<SmileWebhookDataMap[Type]>;
}

/** Any event as the default projection gives it to a page, discriminated by `type`. */
export type StreamedWebhookEvent = { [Type in SmileWebhookType]: StreamedWebhookEventOf<Type> }[SmileWebhookType];

/** The page's view of any event: `{ id, type, createdAt }` and an object `data`. */
export interface PageEvent {
  id: string;
  type: string;
  createdAt: string;
  data?: unknown;
}

const pick = (value: unknown, keys: readonly string[]): Record<string, unknown> => {
  const picked: Record<string, unknown> = {};
  if (typeof value !== 'object' || value === null) return picked;
  for (const key of keys) {
    if (Object.prototype.hasOwnProperty.call(value, key)) picked[key] = (value as Record<string, unknown>)[key];
  }
  return picked;
};

/** The default projection: the envelope, and of `data` only {@link STREAMED_DATA_KEYS}. */
export function streamedEvent(event: SmileWebhookEvent): StreamedWebhookEvent {
  const data = pick(event.data, STREAMED_DATA_KEYS);
  if ('session' in data) data.session = pick(data.session, STREAMED_SESSION_KEYS);
  return { id: event.id, type: event.type, createdAt: event.createdAt, data } as StreamedWebhookEvent;
}

/** The Smile user an event is about: `data.userId`, or `data.session.userId`. */
export function webhookUserId(event: SmileWebhookEvent): string | undefined {
  const data = event.data as { userId?: unknown; session?: { userId?: unknown } } | undefined;
  const userId = data?.userId ?? data?.session?.userId;
  return typeof userId === 'string' && userId !== '' ? userId : undefined;
}
