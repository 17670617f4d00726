/**
 * Smile's `Smile-Signature` header: the lowercase hex HMAC-SHA512 of the exact raw request body,
 * keyed with the webhook's secret. Checked asynchronously everywhere, or synchronously where the
 * runtime's provider can (node:crypto), as Stripe has `constructEventAsync` and `constructEvent`.
 */
import { defaultProvider, type HmacProvider } from './provider.js';

/** The raw body as received: a string (decoded as UTF-8 by the server) or the bytes. */
export type RawBody = string | ArrayBuffer | ArrayBufferView;

/** A webhook's secret, as registered with Smile: text, or its bytes. */
export type WebhookSecret = string | ArrayBuffer | ArrayBufferView;

/**
 * One secret, or several while a secret is being rotated: Smile has no rotation, so the new
 * secret is a second webhook, and both deliver until the old one is deleted. Any one verifies.
 */
export type WebhookSecrets = WebhookSecret | readonly WebhookSecret[];

const SHA512_HEX_LENGTH = 128;
const encoder = new TextEncoder();

export const toBytes = (value: RawBody): Uint8Array =>
  typeof value === 'string'
    ? encoder.encode(value)
    : value instanceof Uint8Array
      ? value
      : value instanceof ArrayBuffer
        ? new Uint8Array(value)
        : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);

/** The value of one hex digit's character code, or -1 for any other character. */
const hexDigit = (code: number): number =>
  code >= 48 && code <= 57
    ? code - 48
    : code >= 97 && code <= 102
      ? code - 87
      : code >= 65 && code <= 70
        ? code - 55
        : -1;

/**
 * Node's `Buffer`, whose hex decoding is native: it stops at the first pair that is not hex, so a
 * result of the full length means every digit was one.
 */
const nodeBuffer = (globalThis as { Buffer?: { from(text: string, encoding: 'hex'): Uint8Array } }).Buffer;

/** The header's signature bytes, or undefined when it is not 128 hex digits (case and surrounding whitespace aside). */
export function readSignature(header: string | null | undefined): Uint8Array | undefined {
  if (typeof header !== 'string') return undefined;
  const hex = header.length === SHA512_HEX_LENGTH ? header : header.trim();
  if (hex.length !== SHA512_HEX_LENGTH) return undefined;
  if (nodeBuffer) {
    const decoded = nodeBuffer.from(hex, 'hex');
    return decoded.length === SHA512_HEX_LENGTH / 2 ? decoded : undefined;
  }
  const bytes = new Uint8Array(SHA512_HEX_LENGTH / 2);
  for (let index = 0; index < bytes.length; index++) {
    const high = hexDigit(hex.charCodeAt(index * 2));
    const low = hexDigit(hex.charCodeAt(index * 2 + 1));
    if (high < 0 || low < 0) return undefined;
    bytes[index] = high * 16 + low;
  }
  return bytes;
}

/** A secret shorter than this is warned of: it can be guessed (Smile takes up to 64 characters). */
export const MIN_SECRET_BYTES = 16;

/**
 * The secrets of a {@link WebhookSecrets}, as bytes, each copied (so that bytes changed later
 * under the same object change nothing). A TypeError for none, and for any secret of zero bytes,
 * in whatever form (`''`, an empty Buffer, `Buffer.from(env ?? '', 'hex')`): under an empty key
 * anyone can sign.
 */
export function secretBytes(secrets: WebhookSecrets): Uint8Array[] {
  const list: readonly unknown[] = Array.isArray(secrets) ? secrets : [secrets];
  if (list.length === 0) {
    throw new TypeError('The webhook secret is missing: give it, or a list of them while one is rotated');
  }
  return list.map((secret) => {
    if (typeof secret !== 'string' && !(secret instanceof ArrayBuffer) && !ArrayBuffer.isView(secret)) {
      throw new TypeError('A webhook secret must be a string or bytes (an ArrayBuffer or a view of one)');
    }
    const bytes = toBytes(secret);
    if (bytes.byteLength === 0) {
      throw new TypeError('A webhook secret is empty (zero bytes): with it anyone could sign; check how it is read');
    }
    return new Uint8Array(bytes);
  });
}

/**
 * True when `signatureHeader` is the HMAC-SHA512 of `rawBody` under `secret`, or under any one
 * of several secrets while a secret is rotated. The comparison does not leak how much of a guess
 * was right. An empty, missing or malformed header, or one of the wrong length, is simply false.
 */
export function verifySignature(
  rawBody: RawBody,
  signatureHeader: string | null | undefined,
  secret: WebhookSecrets,
  provider: HmacProvider = defaultProvider,
): Promise<boolean> {
  // Checked before any promise: a wrong secret is a TypeError thrown at once.
  const secrets = secretBytes(secret);
  const signature = readSignature(signatureHeader);
  return signature ? provider.verify(toBytes(rawBody), signature, secrets) : Promise.resolve(false);
}

/**
 * {@link verifySignature}, answered at once: for Node (node:crypto). Elsewhere it throws a
 * TypeError that says to use {@link verifySignature}, since Web Crypto has no synchronous HMAC.
 */
export function verifySignatureSync(
  rawBody: RawBody,
  signatureHeader: string | null | undefined,
  secret: WebhookSecrets,
  provider: HmacProvider = defaultProvider,
): boolean {
  if (!provider.verifySync) {
    throw new TypeError(`${provider.name} has no synchronous HMAC: use verifySignature, which is async`);
  }
  const secrets = secretBytes(secret);
  const signature = readSignature(signatureHeader);
  return signature ? provider.verifySync(toBytes(rawBody), signature, secrets) : false;
}

/**
 * The `Smile-Signature` Smile would send with `rawBody`: the lowercase hex HMAC-SHA512 of the
 * exact bytes, keyed with `secret`. For tests and local tools that play Smile's side.
 */
export function signWebhook(
  rawBody: RawBody,
  secret: WebhookSecret,
  provider: HmacProvider = defaultProvider,
): Promise<string> {
  const [key] = secretBytes(secret);
  return provider
    .sign(toBytes(rawBody), key)
    .then((signature) => Array.from(signature, (byte) => byte.toString(16).padStart(2, '0')).join(''));
}
