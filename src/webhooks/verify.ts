/**
 * Verification of Smile's `Smile-Signature` header: the lowercase hex HMAC-SHA512 of the exact
 * raw request body, keyed with the webhook's secret. In Node it goes through `node:crypto`, found
 * at run time; everywhere else (Deno, Bun, edge workers) through Web Crypto.
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
    : value instanceof Uint8Array
      ? (value as Uint8Array<ArrayBuffer>)
      : value instanceof ArrayBuffer
        ? new Uint8Array(value)
        : new Uint8Array(value.buffer as ArrayBuffer, value.byteOffset, value.byteLength);

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
const nodeBuffer = (globalThis as { Buffer?: { from(text: string, encoding: 'hex'): Uint8Array<ArrayBuffer> } }).Buffer;

/** The header's signature bytes, or undefined when it is not 128 hex digits (case and surrounding whitespace aside). */
function readSignature(header: string | null | undefined): Uint8Array<ArrayBuffer> | undefined {
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

/** The part of `node:crypto` that signing and verifying use. */
interface NodeHmac {
  createSecretKey(key: Uint8Array): object;
  createHmac(algorithm: 'sha512', key: object): { update(data: Uint8Array): { digest(): Uint8Array } };
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
}

/**
 * `node:crypto` where the runtime is Node (or lends its modules the same way): its HMAC is
 * synchronous and many times cheaper there than Web Crypto's async `verify`. Found through
 * `process.getBuiltinModule`, so that no bundler for a worker meets an import of it.
 */
const nodeHmac = (
  globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
).process?.getBuiltinModule?.('node:crypto') as NodeHmac | undefined;

// Keys imported once per secret text. Bounded: a handful of secrets is what a receiver has.
const KEY_CACHE_SIZE = 16;
const keys = new Map<string, Promise<CryptoKey>>();
const nodeKeys = new Map<string, object>();

/** The `node:crypto` key of a secret; made once for a text secret, each time for bytes. */
function nodeKey(node: NodeHmac, secret: WebhookSecret): object {
  if (typeof secret !== 'string') return node.createSecretKey(toBytes(secret));
  let key = nodeKeys.get(secret);
  if (!key) {
    if (nodeKeys.size >= KEY_CACHE_SIZE) nodeKeys.delete(nodeKeys.keys().next().value!);
    key = node.createSecretKey(toBytes(secret));
    nodeKeys.set(secret, key);
  }
  return key;
}

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
 * of several secrets while a secret is rotated. The comparison (node:crypto's `timingSafeEqual`,
 * or Web Crypto's `verify`) does not leak how much of a guess was right. An empty, missing or
 * malformed header, or one of the wrong length, is simply false.
 */
export async function verifySignature(
  rawBody: RawBody,
  signatureHeader: string | null | undefined,
  secret: WebhookSecrets,
): Promise<boolean> {
  return checkSignature(rawBody, signatureHeader, secret);
}

/**
 * {@link verifySignature}, answered at once where node:crypto is (its HMAC is synchronous), so
 * that the receiver spends no turn of the event loop on it; a promise elsewhere.
 */
export function checkSignature(
  rawBody: RawBody,
  signatureHeader: string | null | undefined,
  secret: WebhookSecrets,
): boolean | Promise<boolean> {
  const signature = readSignature(signatureHeader);
  const secrets = secretList(secret);
  if (!signature) return false;
  const body = toBytes(rawBody);
  if (!nodeHmac) return verifyWithWebCrypto(body, signature, secrets);
  for (const one of secrets) {
    // Both are 64 bytes: readSignature takes nothing else.
    const mac = nodeHmac.createHmac('sha512', nodeKey(nodeHmac, one)).update(body).digest();
    if (nodeHmac.timingSafeEqual(mac, signature)) return true;
  }
  return false;
}

async function verifyWithWebCrypto(
  body: Uint8Array<ArrayBuffer>,
  signature: Uint8Array<ArrayBuffer>,
  secrets: readonly WebhookSecret[],
): Promise<boolean> {
  for (const one of secrets) {
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
  const signature = nodeHmac
    ? nodeHmac.createHmac('sha512', nodeKey(nodeHmac, key)).update(toBytes(rawBody)).digest()
    : new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(key), toBytes(rawBody)));
  return Array.from(signature, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
