/**
 * Simulator Link tokens. Real tokens are opaque; the simulator's carry their user and expiry so
 * that a page or a test can mint one offline and make it expire when it wants:
 * `sim.<base64url of JSON { userId, expiresAt }>`. Any other string is accepted as a token that
 * never expires, for a user derived from it.
 */
export interface SimulatorTokenClaims {
  userId: string;
  /** ISO-8601, like the `expiresAt` of a real token object. */
  expiresAt?: string;
}

const PREFIX = 'sim.';

const toBase64Url = (text: string) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(text)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

const fromBase64Url = (text: string) =>
  new TextDecoder().decode(Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)));

/** The user of a token minted without one. */
export const DEFAULT_SIMULATOR_USER = 'usr_simulator';

/** What `createSimulatorToken` throws for claims it cannot mint: `code` is `INVALID_SIMULATOR_CLAIMS`. */
export class SimulatorTokenError extends TypeError {
  readonly code = 'INVALID_SIMULATOR_CLAIMS';
  override name = 'SimulatorTokenError';
}

/**
 * Mints a simulator token, for `userId` (default {@link DEFAULT_SIMULATOR_USER}) and, when given,
 * an expiry: a `Date`, or an ISO-8601 date-time string. Anything else is refused with a
 * {@link SimulatorTokenError}, so a token never carries an expiry the simulator cannot read.
 */
export function createSimulatorToken({
  userId = DEFAULT_SIMULATOR_USER,
  expiresAt,
}: { userId?: string; expiresAt?: string | Date } = {}): string {
  if (typeof userId !== 'string' || !userId) {
    throw new SimulatorTokenError(`userId must be a non-empty string, not ${JSON.stringify(userId)}`);
  }
  const claims: SimulatorTokenClaims = { userId };
  if (expiresAt !== undefined) {
    const time = expiresAt instanceof Date ? expiresAt.getTime() : isoTime(expiresAt);
    if (Number.isNaN(time)) {
      throw new SimulatorTokenError(
        `expiresAt must be a Date or an ISO-8601 date-time such as 2026-12-01T12:00:00Z, not ${JSON.stringify(expiresAt)}`,
      );
    }
    claims.expiresAt = new Date(time).toISOString();
  }
  return PREFIX + toBase64Url(JSON.stringify(claims));
}

/** The time of an ISO-8601 date-time string; NaN for anything else (Date.parse reads more). */
const isoTime = (value: unknown): number =>
  typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)
    ? Date.parse(value)
    : NaN;

/** Reads a token: its claims, or a stable user for a token that is not a simulator token. */
export function readSimulatorToken(token: string): SimulatorTokenClaims {
  if (token.startsWith(PREFIX)) {
    try {
      const claims = JSON.parse(fromBase64Url(token.slice(PREFIX.length))) as Partial<SimulatorTokenClaims>;
      if (typeof claims.userId === 'string') {
        return typeof claims.expiresAt === 'string'
          ? { userId: claims.userId, expiresAt: claims.expiresAt }
          : { userId: claims.userId };
      }
    } catch {
      // not one of ours after all: fall through
    }
  }
  let hash = 0;
  for (const char of token) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) >>> 0;
  return { userId: `usr_sim_${hash.toString(16).padStart(8, '0')}` };
}
