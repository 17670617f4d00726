// The demo's page sessions: random ids that only this server issues, each bound to the Smile user
// its Link token was minted for, forgotten after an hour without use, and never more than a
// bound of them at once (the oldest go first). A cookie naming any other id is no session.
import { randomBytes } from 'node:crypto';

export const SESSION_TTL_MS = 60 * 60 * 1000;
export const MAX_SESSIONS = 10_000;

export function sessionStore({ ttlMs = SESSION_TTL_MS, max = MAX_SESSIONS, now = Date.now } = {}) {
  // id → { userId, expiresAt }, least recently used first.
  const sessions = new Map();
  const live = (id) => {
    const session = typeof id === 'string' ? sessions.get(id) : undefined;
    if (!session) return undefined;
    sessions.delete(id);
    if (session.expiresAt <= now()) return undefined;
    // Used: it moves to the back, and its hour starts again.
    session.expiresAt = now() + ttlMs;
    sessions.set(id, session);
    return session;
  };
  return {
    ttlMs,
    /** A new session id, with no user yet. */
    issue() {
      const id = randomBytes(16).toString('hex');
      sessions.set(id, { userId: undefined, expiresAt: now() + ttlMs });
      while (sessions.size > max) sessions.delete(sessions.keys().next().value);
      return id;
    },
    /** True for a session this server issued and has not forgotten. */
    has: (id) => live(id) !== undefined,
    /** The Smile user of a live session. */
    userOf: (id) => live(id)?.userId,
    /** Binds a live session to the Smile user its token was minted for. */
    bind(id, userId) {
      const session = live(id);
      if (session) session.userId = userId;
    },
    get size() {
      return sessions.size;
    },
  };
}
