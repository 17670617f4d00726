/**
 * What the receiver answers: a status, a JSON body, and any extra headers; each refusal as
 * `{ error: CODE }`. The answers that carry nothing of their own are made once.
 */

/** What the handler answers with, as `{ error }` in the JSON body of each refusal. */
export type WebhookAnswerCode =
  | 'METHOD_NOT_ALLOWED'
  | 'IP_NOT_ALLOWED'
  | 'BODY_TOO_LARGE'
  | 'BODY_UNREADABLE'
  | 'BODY_TIMEOUT'
  | 'SERVER_BUSY'
  | 'MISSING_SIGNATURE'
  | 'BAD_SIGNATURE'
  | 'INVALID_JSON'
  | 'INVALID_EVENT'
  | 'EVENT_TOO_OLD'
  | 'EVENT_IN_FUTURE'
  | 'IN_PROGRESS'
  | 'HANDLER_FAILED'
  | 'HANDLER_TIMEOUT'
  | 'STORE_UNAVAILABLE'
  | 'PUBLISH_FAILED'
  | 'INTERNAL_ERROR';

/** One answer of the receiver, whatever the server: the adapters write it. */
export interface WebhookAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

const STATUS: Record<WebhookAnswerCode, number> = {
  METHOD_NOT_ALLOWED: 405,
  IP_NOT_ALLOWED: 403,
  BODY_TOO_LARGE: 413,
  BODY_UNREADABLE: 400,
  BODY_TIMEOUT: 408,
  SERVER_BUSY: 503,
  MISSING_SIGNATURE: 401,
  BAD_SIGNATURE: 401,
  INVALID_JSON: 400,
  INVALID_EVENT: 400,
  EVENT_TOO_OLD: 400,
  EVENT_IN_FUTURE: 400,
  IN_PROGRESS: 409,
  HANDLER_FAILED: 500,
  HANDLER_TIMEOUT: 503,
  STORE_UNAVAILABLE: 503,
  PUBLISH_FAILED: 503,
  INTERNAL_ERROR: 500,
};

const refusals = new Map<WebhookAnswerCode, WebhookAnswer>();

/** The refusal of `code`: its status and `{ error: code }`, with extra headers when given. */
export function refuse(code: WebhookAnswerCode, headers?: Readonly<Record<string, string>>): WebhookAnswer {
  if (headers) return { status: STATUS[code], body: { error: code }, headers };
  let answer = refusals.get(code);
  if (!answer)
    refusals.set(code, (answer = Object.freeze({ status: STATUS[code], body: Object.freeze({ error: code }) })));
  return answer;
}

/** 200: a new event was handled. */
export const RECEIVED: WebhookAnswer = Object.freeze({ status: 200, body: Object.freeze({ received: true }) });
/** 200: the inbox holds the event now. */
export const QUEUED: WebhookAnswer = Object.freeze({
  status: 200,
  body: Object.freeze({ received: true, queued: true }),
});
/** 200: the event was handled (or queued) already; nothing runs again. */
export const DUPLICATE: WebhookAnswer = Object.freeze({
  status: 200,
  body: Object.freeze({ received: true, duplicate: true }),
});

/** True for an answer, as a step returns it to stop the pipeline. */
export const isAnswer = (value: unknown): value is WebhookAnswer =>
  typeof value === 'object' && value !== null && typeof (value as WebhookAnswer).status === 'number';
