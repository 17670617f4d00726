/**
 * `wink-widget/webhooks`: the server half of Smile's event notifications. Verify, type and
 * receive signed webhooks in Node ≥ 20 (through node:crypto), Deno, Bun and edge workers (through
 * Web Crypto). Never part of the browser entry points.
 */
export { signWebhook, verifySignature, type RawBody, type WebhookSecret, type WebhookSecrets } from './verify.js';
export {
  parseWebhook,
  headerValue,
  SIGNATURE_HEADER,
  WebhookVerificationError,
  type WebhookErrorCode,
  type WebhookHeaders,
} from './parse.js';
export {
  createWebhookHandler,
  DEFAULT_DONE_TTL_MS,
  DEFAULT_HANDLER_TIMEOUT_MS,
  DEFAULT_LEASE_MS,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_CLOCK_SKEW_MS,
  DEFAULT_STORE_TIMEOUT_MS,
  EVENT_AGE_MARGIN_MS,
  type WebhookAnswerCode,
  type WebhookHandlerOptions,
} from './handler.js';
export {
  DEFAULT_JOB_ATTEMPTS,
  DEFAULT_JOB_BACKOFF_MS,
  webhookJobId,
  webhookProcessor,
  type WebhookProcessorOptions,
  type WebhookJob,
  type WebhookJobData,
  type WebhookQueue,
} from './inbox.js';
export { toNodeHandler, type NodeLikeRequest, type NodeLikeResponse } from './node-handler.js';
export { SMILE_WEBHOOK_IPS, clientAddress, normalizeIp, type TrustProxy } from './client-ip.js';
export { MemoryWebhookStore, type MemoryWebhookStoreOptions, type WebhookClaim, type WebhookStore } from './store.js';
export {
  redisWebhookStore,
  type IoRedisLikeClient,
  type NodeRedisLikeClient,
  type RedisWebhookStoreOptions,
} from './redis-store.js';
export {
  createEventStream,
  readCursor,
  DEFAULT_BUS_TIMEOUT_MS,
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_MAX_QUEUED_BYTES,
  DEFAULT_RETRY_MS,
  type EventStream,
  type EventStreamAnswerCode,
  type EventStreamOptions,
  type ResyncReason,
} from './event-stream.js';
export {
  DEFAULT_HISTORY_AGE_MS,
  DEFAULT_HISTORY_EVENTS,
  type BusEntry,
  type BusListener,
  type EventBus,
  type EventBusOptions,
  type EventHistory,
} from './event-bus.js';
export { memoryEventBus, type MemoryEventBusOptions } from './memory-event-bus.js';
export { redisEventBus, type RedisEventBusOptions, type SubscribingRedisClient } from './redis-event-bus.js';
export {
  STREAMED_DATA_KEYS,
  STREAMED_SESSION_KEYS,
  streamedEvent,
  webhookUserId,
  type PageEvent,
  type StreamedWebhookEvent,
  type StreamedWebhookEventOf,
} from './stream-projection.js';
export * from './types.js';

import { SMILE_WEBHOOK_TYPES, type SmileWebhookType } from './types.js';

/** True for a type in Smile's spec, which has typed `data`. */
export const isKnownWebhookType = (type: string): type is SmileWebhookType =>
  (SMILE_WEBHOOK_TYPES as readonly string[]).includes(type);
