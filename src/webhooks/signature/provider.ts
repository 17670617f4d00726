/**
 * The HMAC-SHA512 behind every signature check, as Stripe has its crypto providers: `node:crypto`,
 * whose HMAC is synchronous and many times cheaper in Node than Web Crypto's, and Web Crypto,
 * asynchronous, for Deno, Bun and edge workers. One interface; the sync step exists only where
 * the provider has one.
 */

/** A key as Web Crypto or node:crypto holds it, made once per text secret. */
type Key = object;

/** The HMAC-SHA512 of bytes under a secret's bytes, and the constant-time check of a signature. */
export interface HmacProvider {
  readonly name: 'node:crypto' | 'web-crypto';
  /** The synchronous check, where the provider has one (node:crypto). */
  readonly verifySync?: (body: Uint8Array, signature: Uint8Array, secrets: readonly Uint8Array[]) => boolean;
  /** True when `signature` is the HMAC of `body` under any one of `secrets`; never leaks how close a guess was. */
  verify(body: Uint8Array, signature: Uint8Array, secrets: readonly Uint8Array[]): Promise<boolean>;
  sign(body: Uint8Array, secret: Uint8Array): Promise<Uint8Array>;
}

/** The part of `node:crypto` used here. */
interface NodeCrypto {
  createSecretKey(key: Uint8Array): Key;
  createHmac(algorithm: 'sha512', key: Key): { update(data: Uint8Array): { digest(): Uint8Array } };
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
}

// Keys made once per secret's bytes. Bounded: a handful of secrets is what a receiver has.
const KEY_CACHE_SIZE = 16;

/**
 * A cache of keys: by the secret's array first (a receiver's are its own copies, made once and
 * never changed), else by its bytes, bounded, so that equal bytes in a new array are one key.
 */
function keyCache<K extends object | Promise<object>>(make: (secret: Uint8Array) => K): (secret: Uint8Array) => K {
  const byArray = new WeakMap<Uint8Array, K>();
  const byBytes = new Map<string, K>();
  const decoder = new TextDecoder('latin1');
  return (secret) => {
    let key = byArray.get(secret);
    if (key !== undefined) return key;
    const bytes = decoder.decode(secret);
    key = byBytes.get(bytes);
    if (key === undefined) {
      if (byBytes.size >= KEY_CACHE_SIZE) byBytes.delete(byBytes.keys().next().value!);
      key = make(secret);
      byBytes.set(bytes, key);
    }
    byArray.set(secret, key);
    return key;
  };
}

/** `node:crypto`: synchronous, and what Node uses by default. */
export function nodeCryptoProvider(node: NodeCrypto): HmacProvider {
  const keyOf = keyCache((secret) => node.createSecretKey(secret));
  const mac = (body: Uint8Array, secret: Uint8Array) => node.createHmac('sha512', keyOf(secret)).update(body).digest();
  const verifySync = (body: Uint8Array, signature: Uint8Array, secrets: readonly Uint8Array[]) => {
    // Both are 64 bytes: a signature of any other length never reaches here.
    for (const secret of secrets) if (node.timingSafeEqual(mac(body, secret), signature)) return true;
    return false;
  };
  return {
    name: 'node:crypto',
    verifySync,
    verify: (body, signature, secrets) => Promise.resolve(verifySync(body, signature, secrets)),
    sign: (body, secret) => Promise.resolve(mac(body, secret)),
  };
}

/** Web Crypto (`crypto.subtle`): asynchronous, for every runtime that is not Node. */
export function webCryptoProvider(subtle: SubtleCrypto = globalThis.crypto.subtle): HmacProvider {
  const keyOf = keyCache((secret) => {
    const key = subtle.importKey('raw', secret as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-512' }, false, [
      'sign',
      'verify',
    ]);
    return key;
  });
  return {
    name: 'web-crypto',
    async verify(body, signature, secrets) {
      for (const secret of secrets) {
        const key = await keyOf(secret);
        if (await subtle.verify('HMAC', key, signature as Uint8Array<ArrayBuffer>, body as Uint8Array<ArrayBuffer>)) {
          return true;
        }
      }
      return false;
    },
    async sign(body, secret) {
      return new Uint8Array(await subtle.sign('HMAC', await keyOf(secret), body as Uint8Array<ArrayBuffer>));
    },
  };
}

/**
 * `node:crypto` where the runtime is Node (or lends its modules the same way), found through
 * `process.getBuiltinModule` so that no bundler for a worker meets an import of it; Web Crypto
 * everywhere else.
 */
function runtimeProvider(): HmacProvider {
  const node = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.(
    'node:crypto',
  ) as NodeCrypto | undefined;
  return node ? nodeCryptoProvider(node) : webCryptoProvider();
}

/** The provider of this runtime. */
export const defaultProvider: HmacProvider = runtimeProvider();
