/**
 * `wink-widget/api`: a typed client of Smile's REST API for what an integrator's server does
 * around the widget (mint Link tokens, register and rotate webhooks, list tasks). Server-side
 * only, since it holds the API secret; no browser entry point reaches it.
 */
export {
  createSmileClient,
  type CreateLinkTokenParams,
  type CreateWebhookParams,
  type ExternalMetadata,
  type LinkToken,
  type SmileClient,
  type Task,
  type TaskListParams,
  type Token,
  type User,
  type Webhook,
  type WebhookEventType,
} from './client.js';
export { SmileApiError, type SmileApiErrorCode, type SmileApiErrorFields } from './errors.js';
export { SMILE_API_URLS, SMILE_CLIENT_DEFAULTS, type SmileClientOptions, type SmileEnvironment } from './options.js';
export type { Page, PageParams } from './pages.js';
export type { components as SmileApiComponents, paths as SmileApiPaths } from './spec-types.js';
