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

/** Mints a simulator token. */
export function createSimulatorToken(claims: SimulatorTokenClaims): string {
  return PREFIX + toBase64Url(JSON.stringify(claims));
}

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
