/**
 * Where a receiver keeps which events it has handled. Smile delivers each event at least once and
 * retries on any non-2xx, so a receiver claims an event's id before handling it, marks it done
 * after, and lets go of it when handling failed, so that the retry is handled.
 */

/** What a claim found: this caller now holds the id, it was handled already, or another holds it. */
export type WebhookClaim = { status: 'claimed'; token: string } | { status: 'done' } | { status: 'busy' };

/**
 * A store of event ids, shared by every instance of a receiver. Each step must be atomic across
 * instances (the Redis store uses `SET … NX PX` and a compare-and-delete script).
 */
export interface WebhookStore {
  /**
   * Claims `id` for `leaseMs`, unless it is done or claimed already. A claim whose holder dies
   * expires after its lease, so that a retry is handled then.
   */
  claim(id: string, leaseMs: number): Promise<WebhookClaim>;
  /** Marks `id` handled for `ttlMs`, so that retries within it are answered as duplicates. */
  complete(id: string, token: string, ttlMs: number): Promise<void>;
  /** Lets go of a claim when handling failed, so that a retry is handled; only the holder's `token` can. */
  release(id: string, token: string): Promise<void>;
}

/** A random claim token: which holder a claim belongs to. */
export const newClaimToken = (): string => crypto.randomUUID();

export interface MemoryWebhookStoreOptions {
  /** How many ids are kept at most; the oldest go first (default 10 000). */
  maxEntries?: number;
  /** The clock, for tests. */
  now?: () => number;
}

type Entry = { token: string | undefined; expiresAt: number };

const DONE: WebhookClaim = Object.freeze({ status: 'done' });
const BUSY: WebhookClaim = Object.freeze({ status: 'busy' });

/**
 * The default store: one process's memory, bounded. Right for a single instance; several
 * instances behind a load balancer need a shared store such as {@link redisWebhookStore}.
 */
export class MemoryWebhookStore implements WebhookStore {
  readonly #maxEntries: number;
  readonly #now: () => number;
  // id → its claim (token set) or its done mark (token undefined), in insertion order.
  readonly #entries = new Map<string, Entry>();
  // One iterator for every eviction: a new one each time would step again over the deleted
  // entries at the front of the map, which V8 keeps until it rehashes, thousands of them.
  #oldest: Iterator<string, undefined> = this.#entries.keys();
  #claims = 0;

  constructor({ maxEntries = 10_000, now = Date.now }: MemoryWebhookStoreOptions = {}) {
    if (!(maxEntries > 0)) throw new RangeError('maxEntries must be positive');
    this.#maxEntries = maxEntries;
    this.#now = now;
  }

  // Synchronous inside: the promises only give this store the interface of a shared one.
  claim(id: string, leaseMs: number): Promise<WebhookClaim> {
    return Promise.resolve(this.claimNow(id, leaseMs));
  }

  /** {@link claim}, answered at once: this store is one process's memory. */
  claimNow(id: string, leaseMs: number): WebhookClaim {
    const entry = this.#live(id);
    if (entry) return entry.token === undefined ? DONE : BUSY;
    // Unique within this process, which is as far as this store reaches.
    const token = String(++this.#claims);
    this.#set(id, { token, expiresAt: this.#now() + leaseMs });
    return { status: 'claimed', token };
  }

  complete(id: string, token: string, ttlMs: number): Promise<void> {
    this.completeNow(id, token, ttlMs);
    return Promise.resolve();
  }

  /** {@link complete}, done at once. */
  completeNow(id: string, _token: string, ttlMs: number): void {
    const entry = this.#entries.get(id);
    // Marked done in its place: the id keeps its age, and the map is not touched.
    if (entry) {
      entry.token = undefined;
      entry.expiresAt = this.#now() + ttlMs;
    } else this.#set(id, { token: undefined, expiresAt: this.#now() + ttlMs });
  }

  release(id: string, token: string): Promise<void> {
    if (this.#entries.get(id)?.token === token) this.#entries.delete(id);
    return Promise.resolve();
  }

  /** How many ids are kept now, expired ones aside. */
  get size(): number {
    let size = 0;
    for (const id of this.#entries.keys()) if (this.#live(id)) size++;
    return size;
  }

  #live(id: string): Entry | undefined {
    const entry = this.#entries.get(id);
    if (!entry || entry.expiresAt > this.#now()) return entry;
    this.#entries.delete(id);
    return undefined;
  }

  /** Adds an id that is not in the map (#live has removed it when it had expired). */
  #set(id: string, entry: Entry): void {
    this.#entries.set(id, entry);
    while (this.#entries.size > this.#maxEntries) {
      let oldest = this.#oldest.next();
      if (oldest.done) oldest = (this.#oldest = this.#entries.keys()).next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
  }
}
