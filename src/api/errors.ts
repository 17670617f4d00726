/**
 * What wink-widget/api rejects with: Smile's own error (its standard error body read into fields),
 * or a request that never got an answer. The credentials are in no field and no message: a request
 * carries them in its `authorization` header only, and nothing of the request's headers is kept.
 */

/** Smile's codes (`ObjectMetadataRefCode`), and the client's own for a request that did not get that far. */
export type SmileApiErrorCode =
  | 'INVALID_CREDENTIALS'
  | 'INVALID_PARAMETERS'
  | 'INVALID_TOKEN'
  | 'UNAUTHORIZED_ACCESS'
  | 'MISSING_RESOURCE'
  | 'REQUEST_LIMIT_EXCEEDED'
  | 'SERVER_ERROR'
  | 'UNSUPPORTED_METHOD'
  | 'SERVER_UNAVAILABLE'
  | 'TIME_LIMIT_EXCEEDED'
  /** No answer within `timeoutMs`. */
  | 'TIMEOUT'
  /** No answer at all: the connection was refused or dropped. */
  | 'NETWORK_ERROR'
  /** An answer that is not what the spec says this operation answers. */
  | 'INVALID_RESPONSE'
  /** A page named, as the next one, a cursor already followed: following it would never end. */
  | 'CURSOR_REPEATED'
  | (string & {});

export interface SmileApiErrorFields {
  /** The HTTP status; 0 when no answer came. */
  status: number;
  code: SmileApiErrorCode;
  message: string;
  /** Smile's `requestId`, for its support, when the answer had one. */
  requestId?: string | undefined;
  /** The operation, as `METHOD /path` (no query, no host). */
  operation: string;
}

export class SmileApiError extends Error implements SmileApiErrorFields {
  override readonly name = 'SmileApiError';
  readonly status: number;
  readonly code: SmileApiErrorCode;
  readonly requestId: string | undefined;
  readonly operation: string;

  constructor({ status, code, message, requestId, operation }: SmileApiErrorFields, options?: ErrorOptions) {
    super(`${operation}: ${message}`, options);
    this.status = status;
    this.code = code;
    this.requestId = requestId;
    this.operation = operation;
  }
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

/** The error a non-2xx answer stands for, from Smile's standard error body when it has one. */
export function errorFromAnswer(operation: string, status: number, body: unknown): SmileApiError {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  return new SmileApiError({
    status,
    operation,
    // An error answer whose code says OK is no error code: the status says what happened.
    code: text(fields.code) && fields.code !== 'OK' ? (fields.code as string) : `HTTP_${status}`,
    message: text(fields.message) ?? `answered ${status}`,
    requestId: text(fields.requestId),
  });
}
