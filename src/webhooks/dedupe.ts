/**
 * Smile delivers each event at least once and retries up to twice, so a receiver sees some events
 * more than once, with the same `id`. This remembers the ids it has seen for a while, in bounded
 * memory.
 */
export interface WebhookDeduplicatorOptions {
  /** How long an id is remembered, in ms (default: 24 hours, well past Smile's retries). */
  ttlMs?: number;
  /** How many ids are remembered at most; the oldest go first (default: 10 000). */
  maxEntries?: number;
  /** The clock, for tests. */
  now?: () => number;
}

export class WebhookDeduplicator {
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  // id → when it is forgotten. Insertion order is expiry order, as every entry lives as long.
  readonly #seen = new Map<string, number>();

  constructor({ ttlMs = 24 * 60 * 60 * 1000, maxEntries = 10_000, now = Date.now }: WebhookDeduplicatorOptions = {}) {
    if (!(ttlMs > 0) || !(maxEntries > 0)) throw new RangeError('ttlMs and maxEntries must be positive');
    this.#ttlMs = ttlMs;
    this.#maxEntries = maxEntries;
    this.#now = now;
  }

  /** True the first time `id` is seen (and remembers it); false for a repeat within the TTL. */
  firstSeen(id: string): boolean {
    this.#expire();
    if (this.#seen.has(id)) return false;
    this.#seen.set(id, this.#now() + this.#ttlMs);
    if (this.#seen.size > this.#maxEntries) this.#seen.delete(this.#seen.keys().next().value!);
    return true;
  }

  /** Forgets `id`, so that a retry is processed: call it when handling the event failed. */
  forget(id: string): void {
    this.#seen.delete(id);
  }

  /** How many ids are remembered now. */
  get size(): number {
    this.#expire();
    return this.#seen.size;
  }

  #expire(): void {
    const now = this.#now();
    for (const [id, expiresAt] of this.#seen) {
      if (expiresAt > now) break;
      this.#seen.delete(id);
    }
  }
}
