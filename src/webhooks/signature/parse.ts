/**
 * Verifying and reading a webhook request in one step: the signature over the exact raw body,
 * then the event's shape, then its age, since Smile's signature carries no timestamp and the age
 * is the only bound on a replay. Async everywhere ({@link parseWebhook}), or sync where the
 * runtime can (node:crypto, {@link parseWebhookSync}).
 */
import type { SmileWebhookEvent } from '../../webhook-types/index.js';
import { optionReader } from '../options.js';
import { defaultProvider, type HmacProvider } from './provider.js';
import { readSignature, secretBytes, toBytes, type RawBody, type WebhookSecrets } from './verify.js';

export const SIGNATURE_HEADER = 'smile-signature';

/**
 * Refuse events older than this by default: one hour. Smile retries within minutes, and the memory
 * store may forget an id sooner than its TTL (10,000 newer ids, or a restart), so the window is
 * kept far inside what dedupe remembers.
 */
export const DEFAULT_MAX_EVENT_AGE_MS = 60 * 60 * 1000;
/** Refuse events further ahead than this by default: clocks disagree by less. */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

export type WebhookErrorCode =
  'MISSING_SIGNATURE' | 'BAD_SIGNATURE' | 'INVALID_JSON' | 'INVALID_EVENT' | 'EVENT_TOO_OLD' | 'EVENT_IN_FUTURE';

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

/** How old, or how far ahead, a verified event may be. */
export interface EventAgeRules {
  /** Refuse events whose `createdAt` is older than this (default one hour). `Infinity` turns it off. */
  maxEventAgeMs?: number;
  /** Refuse events whose `createdAt` is more than this in the future (default five minutes). */
  maxClockSkewMs?: number;
  /** The clock, in ms since the epoch; `Date.now` by default. */
  now?: () => number;
}

export interface ParseWebhookOptions extends EventAgeRules {
  /** The HMAC behind the check; this runtime's by default. */
  provider?: HmacProvider;
}

/** Age rules with their defaults, checked. */
export function ageRules(maker: string, options: EventAgeRules): Required<EventAgeRules> {
  const read = optionReader(maker, options);
  return {
    maxEventAgeMs: read.number('maxEventAgeMs', DEFAULT_MAX_EVENT_AGE_MS, { infinity: true }),
    maxClockSkewMs: read.number('maxClockSkewMs', DEFAULT_MAX_CLOCK_SKEW_MS, { min: 0, infinity: true }),
    now: read.fn<() => number>('now') ?? Date.now,
  };
}

/** The header's signature, or the refusal: missing (empty), or not 128 hex digits. */
export function requireSignature(header: string | undefined): Uint8Array {
  if (!header?.trim())
    throw new WebhookVerificationError('MISSING_SIGNATURE', 'The request has no Smile-Signature header.');
  const signature = readSignature(header);
  if (!signature) throw badSignature();
  return signature;
}

const badSignature = () =>
  new WebhookVerificationError(
    'BAD_SIGNATURE',
    'Smile-Signature does not match the body: wrong secret, or a body that is not the raw one.',
  );

// Fatal, so that bytes that are not UTF-8 are refused rather than read with replacement characters.
const utf8 = new TextDecoder('utf-8', { fatal: true });

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The event in a body whose signature has been checked (`verified`): its shape, then its age.
 * Nothing is parsed before the signature checks out.
 */
export function readVerifiedEvent(
  rawBody: RawBody,
  verified: boolean,
  { maxEventAgeMs, maxClockSkewMs, now }: Required<EventAgeRules>,
): SmileWebhookEvent {
  if (!verified) throw badSignature();
  let event: unknown;
  try {
    event = JSON.parse(typeof rawBody === 'string' ? rawBody : utf8.decode(toBytes(rawBody)));
  } catch {
    throw new WebhookVerificationError('INVALID_JSON', 'The body is not UTF-8 JSON.');
  }
  const createdAt = isRecord(event) && typeof event.createdAt === 'string' ? Date.parse(event.createdAt) : NaN;
  if (
    !isRecord(event) ||
    typeof event.id !== 'string' ||
    !event.id ||
    typeof event.type !== 'string' ||
    !event.type ||
    typeof event.version !== 'number' ||
    Number.isNaN(createdAt) ||
    !isRecord(event.data)
  ) {
    throw new WebhookVerificationError(
      'INVALID_EVENT',
      'The body is not a Smile event: { id, version, type, createdAt (a time), data }.',
    );
  }
  // Smile signs no timestamp, so a captured request stays valid: refuse it once it is older than
  // the time its id is remembered for.
  const age = now() - createdAt;
  if (age > maxEventAgeMs)
    throw new WebhookVerificationError('EVENT_TOO_OLD', `The event is older than ${maxEventAgeMs} ms.`);
  if (-age > maxClockSkewMs) {
    throw new WebhookVerificationError('EVENT_IN_FUTURE', `The event is more than ${maxClockSkewMs} ms in the future.`);
  }
  return event as unknown as SmileWebhookEvent;
}

/**
 * Verifies the request's `Smile-Signature` over the exact raw body (under `secret`, or any one of
 * several while a secret is rotated), then reads the event and checks its age. Rejects with a
 * {@link WebhookVerificationError}: `MISSING_SIGNATURE`, `BAD_SIGNATURE`, `INVALID_JSON`,
 * `INVALID_EVENT`, `EVENT_TOO_OLD` or `EVENT_IN_FUTURE`.
 */
export function parseWebhook(
  rawBody: RawBody,
  headers: WebhookHeaders,
  secret: WebhookSecrets,
  options: ParseWebhookOptions = {},
): Promise<SmileWebhookEvent> {
  // A wrong secret or option is a TypeError (or a RangeError) thrown at once; a wrong request is
  // a rejection with a WebhookVerificationError.
  const rules = ageRules('parseWebhook', options);
  const secrets = secretBytes(secret);
  const provider = options.provider ?? defaultProvider;
  return Promise.resolve(headerValue(headers, SIGNATURE_HEADER))
    .then(requireSignature)
    .then((signature) => provider.verify(toBytes(rawBody), signature, secrets))
    .then((verified) => readVerifiedEvent(rawBody, verified, rules));
}

/**
 * {@link parseWebhook}, answered at once: for Node (node:crypto). Elsewhere it throws a TypeError
 * that says to use {@link parseWebhook}. Throws as that rejects.
 */
export function parseWebhookSync(
  rawBody: RawBody,
  headers: WebhookHeaders,
  secret: WebhookSecrets,
  options: ParseWebhookOptions = {},
): SmileWebhookEvent {
  const provider = options.provider ?? defaultProvider;
  if (!provider.verifySync) {
    throw new TypeError(`${provider.name} has no synchronous HMAC: use parseWebhook, which is async`);
  }
  const rules = ageRules('parseWebhookSync', options);
  const secrets = secretBytes(secret);
  const signature = requireSignature(headerValue(headers, SIGNATURE_HEADER));
  return readVerifiedEvent(rawBody, provider.verifySync(toBytes(rawBody), signature, secrets), rules);
}
