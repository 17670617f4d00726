/** Verifying and reading a webhook request in one step. */
import type { SmileWebhookEvent } from './types.js';
import { checkSignature, toBytes, type RawBody, type WebhookSecrets } from './verify.js';

export const SIGNATURE_HEADER = 'smile-signature';

export type WebhookErrorCode = 'MISSING_SIGNATURE' | 'BAD_SIGNATURE' | 'INVALID_JSON' | 'INVALID_EVENT';

/** Why a webhook request was refused. `code` says which check failed; answer it with a 4xx. */
export class WebhookVerificationError extends Error {
  readonly code: WebhookErrorCode;

  constructor(code: WebhookErrorCode, message: string) {
    super(message);
    this.name = 'WebhookVerificationError';
    this.code = code;
  }
}

/** Request headers as a fetch `Headers`, Node's `IncomingHttpHeaders`, or a plain record. */
export type WebhookHeaders = { get(name: string): string | null } | Record<string, string | string[] | undefined>;

/** The value of a header, whatever the shape of `headers` and the case of its names. */
export function headerValue(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    const value = (headers as { get(name: string): unknown }).get(name);
    return typeof value === 'string' ? value : undefined;
  }
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
    if (key.toLowerCase() !== wanted) continue;
    // A repeated header is read as fetch's Headers reads it, joined, so that two signatures
    // never pass as one. Anything but strings is no value.
    const values = (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');
    return values.length ? values.join(', ') : undefined;
  }
  return undefined;
}

// Fatal, so that bytes that are not UTF-8 are refused rather than read with replacement characters.
const utf8 = new TextDecoder('utf-8', { fatal: true });

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Verifies the request's `Smile-Signature` over the exact raw body (under `secret`, or any one of
 * several while a secret is rotated), then reads the event.
 * Throws a {@link WebhookVerificationError}: `MISSING_SIGNATURE`, `BAD_SIGNATURE`,
 * `INVALID_JSON` or `INVALID_EVENT`. Nothing is parsed before the signature checks out.
 */
export async function parseWebhook(
  rawBody: RawBody,
  headers: WebhookHeaders,
  secret: WebhookSecrets,
): Promise<SmileWebhookEvent> {
  return readWebhook(rawBody, headerValue(headers, SIGNATURE_HEADER), secret);
}

/**
 * {@link parseWebhook} given the signature header's value: the event at once where the signature
 * is checked synchronously (node:crypto), a promise of it elsewhere. Throws (or rejects) as it does.
 */
export function readWebhook(
  rawBody: RawBody,
  signature: string | undefined,
  secret: WebhookSecrets,
): SmileWebhookEvent | Promise<SmileWebhookEvent> {
  if (!signature?.trim())
    throw new WebhookVerificationError('MISSING_SIGNATURE', 'The request has no Smile-Signature header.');
  const verified = checkSignature(rawBody, signature, secret);
  return typeof verified === 'boolean'
    ? readVerified(rawBody, verified)
    : verified.then((valid) => readVerified(rawBody, valid));
}

function readVerified(rawBody: RawBody, verified: boolean): SmileWebhookEvent {
  if (!verified) {
    throw new WebhookVerificationError(
      'BAD_SIGNATURE',
      'Smile-Signature does not match the body: wrong secret, or a body that is not the raw one.',
    );
  }
  let event: unknown;
  try {
    event = JSON.parse(typeof rawBody === 'string' ? rawBody : utf8.decode(toBytes(rawBody)));
  } catch {
    throw new WebhookVerificationError('INVALID_JSON', 'The body is not UTF-8 JSON.');
  }
  if (
    !isRecord(event) ||
    typeof event.id !== 'string' ||
    !event.id ||
    typeof event.type !== 'string' ||
    !event.type ||
    typeof event.version !== 'number' ||
    typeof event.createdAt !== 'string' ||
    !isRecord(event.data)
  ) {
    throw new WebhookVerificationError(
      'INVALID_EVENT',
      'The body is not a Smile event: { id, version, type, createdAt, data }.',
    );
  }
  return event as unknown as SmileWebhookEvent;
}
