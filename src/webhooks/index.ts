/**
 * `wink-widget/webhooks`: the server half of Smile's event notifications. Verify, type and
 * dedupe signed webhooks with Web Crypto only (Node ≥ 20, Deno, Bun, edge workers). Never part of
 * the browser entry points.
 */
export { verifySignature, type RawBody } from './verify.js';
export { parseWebhook, headerValue, SIGNATURE_HEADER, WebhookVerificationError, type WebhookErrorCode, type WebhookHeaders } from './parse.js';
export { WebhookDeduplicator, type WebhookDeduplicatorOptions } from './dedupe.js';
export { SMILE_WEBHOOK_TYPES, type SmileWebhookType, type SmileWebhookEvent, type GenericSmileWebhookEvent, type SmileWebhookEnvelope, type SmileWebhookDataMap, type UserData, type AccountData, type AccountFailedData, type ArchiveData, type UserDataChange } from './types.js';

import { SMILE_WEBHOOK_TYPES, type SmileWebhookType } from './types.js';

/** True for a type this package has typed `data` for. */
export const isKnownWebhookType = (type: string): type is SmileWebhookType =>
  (SMILE_WEBHOOK_TYPES as readonly string[]).includes(type);
