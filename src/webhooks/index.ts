/**
 * `wink-widget/webhooks`: the server half of Smile's event notifications. Verify, type and
 * receive signed webhooks in Node ≥ 20 (through node:crypto), Deno, Bun and edge workers (through
 * Web Crypto), and push them to the pages of their users. Never part of the browser entry points.
 *
 * The rooms, one flow each (see docs/architecture.md): `signature/` (verify and parse),
 * `receiver/` (the handler as named steps), `dedupe/` (which events were handled), `inbox/` (the
 * durable inbox on BullMQ), `stream/` (Server-Sent Events and their buses), `http/` (the fetch and
 * Node adapters).
 */
export {
  signWebhook,
  verifySignature,
  verifySignatureSync,
  MIN_SECRET_BYTES,
  type RawBody,
  type WebhookSecret,
  type WebhookSecrets,
} from './signature/verify.js';
export {
  parseWebhook,
  parseWebhookSync,
  headerValue,
  DEFAULT_MAX_CLOCK_SKEW_MS,
  DEFAULT_MAX_EVENT_AGE_MS,
  SIGNATURE_HEADER,
  WebhookVerificationError,
  type EventAgeRules,
  type ParseWebhookOptions,
  type WebhookErrorCode,
  type WebhookHeaders,
} from './signature/parse.js';
export { createWebhookHandler, type WebhookHandler } from './receiver/create-handler.js';
export {
  DEFAULT_DONE_TTL_MS,
  DEFAULT_HANDLER_TIMEOUT_MS,
  DEFAULT_LEASE_MS,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_STORE_TIMEOUT_MS,
  WEBHOOK_HANDLER_DEFAULTS,
  QueuePrefixWarning,
  WeakSecretWarning,
  type WebhookHandlerOptions,
} from './receiver/options.js';
export { BodyBudget } from './receiver/body-budget.js';
export type { WebhookAnswer, WebhookAnswerCode } from './receiver/answers.js';
export type { BodyLimits, BodyRefusal, WebhookDelivery } from './receiver/delivery.js';
export { SMILE_WEBHOOK_IPS, clientAddress, normalizeIp, type TrustProxy } from './receiver/client-ip.js';
export {
  DEFAULT_JOB_ATTEMPTS,
  DEFAULT_JOB_BACKOFF_MS,
  webhookJobId,
  webhookProcessor,
  type WebhookProcessorOptions,
  type WebhookJob,
  type WebhookJobData,
  type WebhookQueue,
} from './inbox/processor.js';
export { toNodeHandler, type NodeLikeRequest, type NodeLikeResponse } from './http/node.js';
export type { WebhookClaim, WebhookStore } from './dedupe/store.js';
export { MemoryWebhookStore, type MemoryWebhookStoreOptions } from './dedupe/memory-store.js';
export { redisWebhookStore, type RedisWebhookStoreOptions } from './dedupe/redis-store.js';
export type { IoRedisLikeClient, NodeRedisLikeClient, NodeRedisLikeCluster, RedisLikeClient } from './redis-client.js';
export { createEventStream, type EventStream } from './stream/event-stream.js';
export {
  DEFAULT_BUS_TIMEOUT_MS,
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_MAX_QUEUED_BYTES,
  DEFAULT_RETRY_MS,
  EVENT_STREAM_DEFAULTS,
  type EventStreamAnswerCode,
  type EventStreamOptions,
} from './stream/options.js';
export { readCursor } from './stream/cursor.js';
export type { ResyncReason } from './stream/session.js';
export {
  DEFAULT_HISTORY_AGE_MS,
  DEFAULT_HISTORY_EVENTS,
  type BusEntry,
  type BusListener,
  type EventBus,
  type EventBusOptions,
  type EventHistory,
} from './stream/bus.js';
export { memoryEventBus, type MemoryEventBusOptions } from './stream/memory-bus.js';
export {
  CrossSlotStreamError,
  redisEventBus,
  type RedisEventBusOptions,
  type SubscribingRedisClient,
} from './stream/redis-bus.js';
export { streamedEvent, webhookUserId } from './stream/projection.js';
export {
  STREAMED_DATA_KEYS,
  STREAMED_SESSION_KEYS,
  type PageEvent,
  type StreamedWebhookEvent,
  type StreamedWebhookEventOf,
} from '../page-events.js';
export * from '../webhook-types/index.js';

import { SMILE_WEBHOOK_TYPES, type SmileWebhookType } from '../webhook-types/index.js';

/** True for a type in Smile's spec, which has typed `data`. */
export const isKnownWebhookType = (type: string): type is SmileWebhookType =>
  (SMILE_WEBHOOK_TYPES as readonly string[]).includes(type);
