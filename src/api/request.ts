/**
 * One request to Smile's API: Basic credentials, JSON in and out, a deadline through
 * `AbortSignal.timeout`, and for a GET (and only a GET, which changes nothing) retries after a 429,
 * a 5xx or a dropped connection, with backoff and `Retry-After`. A non-2xx answer rejects with a
 * {@link SmileApiError} read from Smile's standard error body.
 */
import { SmileApiError, errorFromAnswer } from './errors.js';
import type { ResolvedClientOptions } from './options.js';

export interface ApiRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** The path below the base URL, its parameters already encoded. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
}

/** The first retry waits about this long, the next twice as long; `Retry-After` wins when the answer has one. */
const BACKOFF_MS = 250;
/** A `Retry-After` longer than this is not waited for: the error is the answer. */
const MAX_RETRY_AFTER_MS = 30_000;

/** Retry-After, in milliseconds, as seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The body as JSON; undefined when empty or not JSON. Read under the request's own deadline. */
async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Sends one request (and its retries); resolves with the 2xx answer's body as JSON. */
export async function send(options: ResolvedClientOptions, request: ApiRequest): Promise<Record<string, unknown>> {
  const { method, path, query, body } = request;
  // Named by method and path only: a query may hold a user's id, and the host says nothing.
  const operation = `${method} ${path.split('?')[0]}`;
  const url = new URL(`${options.baseUrl}${path}`);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.set(name, String(value));
  }
  const headers: Record<string, string> = { authorization: options.authorization, accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const retries = method === 'GET' ? options.retries : 0;

  for (let attempt = 0; ; attempt++) {
    let failure: SmileApiError;
    let delay = BACKOFF_MS * 2 ** attempt * (0.5 + Math.random());
    try {
      const response = await options.fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      const answer = await readJson(response);
      if (response.ok) {
        if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) {
          throw new SmileApiError({
            status: response.status,
            code: 'INVALID_RESPONSE',
            message: 'answered with no JSON object',
            operation,
          });
        }
        return answer as Record<string, unknown>;
      }
      failure = errorFromAnswer(operation, response.status, answer);
      if (response.status !== 429 && response.status < 500) throw failure;
      const after = retryAfterMs(response.headers.get('retry-after'));
      if (after !== undefined) {
        if (after > MAX_RETRY_AFTER_MS) throw failure;
        delay = after;
      }
    } catch (error) {
      if (error instanceof SmileApiError) throw error;
      const timedOut = (error as Error | null)?.name === 'TimeoutError';
      failure = new SmileApiError(
        {
          status: 0,
          code: timedOut ? 'TIMEOUT' : 'NETWORK_ERROR',
          message: timedOut
            ? `no answer within ${options.timeoutMs} ms`
            : `no answer (${(error as Error)?.message ?? error})`,
          operation,
        },
        { cause: error },
      );
      // A request that timed out has had its whole time: waiting as long again, twice, is not what a caller asked for.
      if (timedOut) throw failure;
    }
    if (attempt >= retries) throw failure;
    await wait(delay);
  }
}
