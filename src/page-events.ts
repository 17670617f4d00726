/**
 * What a page may see of a webhook: the types and keys that the page (`wink-widget/events`, the
 * framework typings) and the server's default projection share. By default a page gets each
 * event's `id`, `type` and `createdAt`, and of its `data` only identifiers, statuses, counts and
 * dates: never a login name, an error message, an identity, an income or a document. Nothing here
 * is server code; the projection itself is `webhooks/stream/projection.ts`.
 */
import type { SmileWebhookDataMap, SmileWebhookType } from './webhook-types/spec-types.js';

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
