/**
 * Verification of Smile's `Smile-Signature` header: the lowercase hex HMAC-SHA512 of the exact
 * raw request body, keyed with the webhook's secret. Web Crypto only, so it runs in Node ≥ 20,
 * Deno, Bun and edge workers alike.
 */

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

export const toBytes = (value: RawBody): Uint8Array<ArrayBuffer> =>
  typeof value === 'string'
    ? encoder.encode(value)
    : value instanceof ArrayBuffer
      ? new Uint8Array(value)
      : new Uint8Array(value.buffer as ArrayBuffer, value.byteOffset, value.byteLength);

/** The header's signature bytes, or undefined when it is not 128 hex digits (case and surrounding whitespace aside). */
function readSignature(header: string | null | undefined): Uint8Array<ArrayBuffer> | undefined {
  const hex = typeof header === 'string' ? header.trim().toLowerCase() : '';
  if (hex.length !== SHA512_HEX_LENGTH || !/^[0-9a-f]+$/.test(hex)) return undefined;
  const bytes = new Uint8Array(SHA512_HEX_LENGTH / 2);
  for (let index = 0; index < bytes.length; index++) bytes[index] = parseInt(hex.slice(index * 2, index * 2 + 2), 16);
  return bytes;
}

// Keys imported once per secret text. Bounded: a handful of secrets is what a receiver has.
const KEY_CACHE_SIZE = 16;
const keys = new Map<string, Promise<CryptoKey>>();

/** The HMAC-SHA512 key of a secret; imported once for a text secret, each time for bytes. */
function hmacKey(secret: WebhookSecret): Promise<CryptoKey> {
  const importKey = () =>
    crypto.subtle.importKey('raw', toBytes(secret), { name: 'HMAC', hash: 'SHA-512' }, false, ['sign', 'verify']);
  // Bytes can change under the same object, so only text secrets are cached.
  if (typeof secret !== 'string') return importKey();
  let key = keys.get(secret);
  if (!key) {
    if (keys.size >= KEY_CACHE_SIZE) keys.delete(keys.keys().next().value!);
    key = importKey();
    keys.set(secret, key);
    // A secret that could not be imported is not kept.
    key.catch(() => keys.delete(secret));
  }
  return key;
}

/** The secrets of a {@link WebhookSecrets}, as a list; a TypeError for none or an empty one. */
export function secretList(secrets: WebhookSecrets): readonly WebhookSecret[] {
  const list: readonly WebhookSecret[] = Array.isArray(secrets) ? secrets : [secrets as WebhookSecret];
  if (list.length === 0 || list.some((secret) => secret == null || (typeof secret === 'string' && !secret))) {
    throw new TypeError('The webhook secret is missing or empty');
  }
  return list;
}

/**
 * True when `signatureHeader` is the HMAC-SHA512 of `rawBody` under `secret`, or under any one
 * of several secrets while a secret is rotated. The comparison is Web Crypto's `verify`, which
 * does not leak how much of a guess was right. An empty, missing or malformed header, or one of
 * the wrong length, is simply false.
 */
export async function verifySignature(
  rawBody: RawBody,
  signatureHeader: string | null | undefined,
  secret: WebhookSecrets,
): Promise<boolean> {
  const signature = readSignature(signatureHeader);
  if (!signature) return false;
  const body = toBytes(rawBody);
  for (const one of secretList(secret)) {
    if (await crypto.subtle.verify('HMAC', await hmacKey(one), signature, body)) return true;
  }
  return false;
}

/**
 * The `Smile-Signature` Smile would send with `rawBody`: the lowercase hex HMAC-SHA512 of the
 * exact bytes, keyed with `secret`. For tests and local tools that play Smile's side.
 */
export async function signWebhook(rawBody: RawBody, secret: WebhookSecret): Promise<string> {
  const [key] = secretList(secret);
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(key), toBytes(rawBody)));
  return Array.from(signature, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
