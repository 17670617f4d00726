/**
 * The options of `createSmileClient`, checked when the client is made (a TypeError for a type, a
 * RangeError for a range, the option named), and the API's two hosts, from the spec's `servers`.
 */

/** The spec's `servers`: Smile's sandbox, and production. */
export const SMILE_API_URLS = {
  sandbox: 'https://sandbox.smileapi.io/v1',
  production: 'https://open.smileapi.io/v1',
} as const;

export type SmileEnvironment = keyof typeof SMILE_API_URLS;

export interface SmileClientOptions {
  /** Your API key; with `apiSecret`, the Basic credentials of every request. Server-side only. */
  apiKey: string;
  apiSecret: string;
  /** `'sandbox'` (the default) or `'production'`. */
  environment?: SmileEnvironment;
  /** Another base URL (a mock of the API, a proxy); it wins over `environment`. */
  baseUrl?: string | URL;
  /** The `fetch` to use; the platform's by default (Node ≥ 20, Deno, Bun, workers). */
  fetch?: typeof globalThis.fetch;
  /** How long one request may take, each retry afresh; 10 s by default. */
  timeoutMs?: number;
  /** How many times a GET is retried after a 429 or a 5xx, or no answer; 2 by default. A POST or DELETE never is. */
  retries?: number;
}

export const SMILE_CLIENT_DEFAULTS = { environment: 'sandbox', timeoutMs: 10_000, retries: 2 } as const;

export interface ResolvedClientOptions {
  authorization: string;
  baseUrl: string;
  fetch: typeof globalThis.fetch;
  timeoutMs: number;
  retries: number;
}

function nonEmptyString(name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '')
    throw new TypeError(`createSmileClient: ${name} must be a non-empty string`);
  return value;
}

/** Encodes Basic credentials without `Buffer`, which workers do not have. */
function basic(key: string, secret: string): string {
  const bytes = new TextEncoder().encode(`${key}:${secret}`);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

export function resolveClientOptions(options: SmileClientOptions): ResolvedClientOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('createSmileClient: options are required');
  const apiKey = nonEmptyString('apiKey', options.apiKey);
  const apiSecret = nonEmptyString('apiSecret', options.apiSecret);
  const environment = options.environment ?? SMILE_CLIENT_DEFAULTS.environment;
  if (!Object.hasOwn(SMILE_API_URLS, environment)) {
    throw new RangeError(
      `createSmileClient: environment must be 'sandbox' or 'production', not ${JSON.stringify(environment)}`,
    );
  }
  let baseUrl: string = SMILE_API_URLS[environment];
  if (options.baseUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new TypeError(
        `createSmileClient: baseUrl must be an absolute URL, not ${JSON.stringify(String(options.baseUrl))}`,
      );
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new RangeError('createSmileClient: baseUrl must be http: or https:');
    baseUrl = url.href;
  }
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== 'function') throw new TypeError('createSmileClient: fetch must be a function');
  const timeoutMs = options.timeoutMs ?? SMILE_CLIENT_DEFAULTS.timeoutMs;
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || !Number.isFinite(timeoutMs)) {
    throw new RangeError('createSmileClient: timeoutMs must be a positive number of milliseconds');
  }
  const retries = options.retries ?? SMILE_CLIENT_DEFAULTS.retries;
  if (!Number.isInteger(retries) || retries < 0 || retries > 10) {
    throw new RangeError('createSmileClient: retries must be a whole number from 0 to 10');
  }
  return {
    authorization: basic(apiKey, apiSecret),
    baseUrl: baseUrl.replace(/\/+$/, ''),
    fetch: fetchImpl,
    timeoutMs,
    retries,
  };
}
