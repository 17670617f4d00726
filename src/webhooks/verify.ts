/**
 * Verification of Smile's `Smile-Signature` header: the lowercase hex HMAC-SHA512 of the exact
 * raw request body, keyed with the webhook's secret. Web Crypto only, so it runs in Node ≥ 20,
 * Deno, Bun and edge workers alike.
 */

/** The raw body as received: a string (decoded as UTF-8 by the server) or the bytes. */
export type RawBody = string | ArrayBuffer | ArrayBufferView;

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

/**
 * True when `signatureHeader` is the HMAC-SHA512 of `rawBody` under `secret`. The comparison is
 * Web Crypto's `verify`, which does not leak how much of a guess was right. An empty, missing or
 * malformed header, or one of the wrong length, is simply false.
 */
export async function verifySignature(
  rawBody: RawBody,
  signatureHeader: string | null | undefined,
  secret: string | ArrayBuffer | ArrayBufferView,
): Promise<boolean> {
  const signature = readSignature(signatureHeader);
  if (!signature) return false;
  const key = await crypto.subtle.importKey('raw', toBytes(secret), { name: 'HMAC', hash: 'SHA-512' }, false, [
    'verify',
  ]);
  return crypto.subtle.verify('HMAC', key, signature, toBytes(rawBody));
}
