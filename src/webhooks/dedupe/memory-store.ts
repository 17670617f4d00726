/**
 * The default store: one process's memory, bounded. Right for a single instance; several
 * instances behind a load balancer need a shared store such as `redisWebhookStore`. It forgets
 * every id when the process restarts, and the oldest ids once it holds `maxEntries`: a replay of
 * a forgotten id within the receiver's `maxEventAgeMs` would be handled again.
 */
import { optionReader } from '../options.js';
import type { WebhookClaim, WebhookStore } from './store.js';

export interface MemoryWebhookStoreOptions {
  /** How many ids are kept at most; the oldest go first (default 10 000). */
  maxEntries?: number;
  /** The clock, for tests. */
  now?: () => number;
  /**
   * Told when the bound makes the store forget an id before its time: a handled id whose retry
   * would then be handled again, or a claim another delivery could then take. The receiver's
   * default store tells `onError`.
   */
  onEvict?: (eviction: { id: string; state: 'done' | 'claimed' | 'handled'; msLeft: number }) => void;
}

/**
 * A claim (its holder's `token`, until `expiresAt`, its lease), a done mark, or a handled mark
 * (until `expiresAt`), whose publish is held by `token` until `leaseEndsAt` when it is taken.
 */
type Entry = {
  state: 'claimed' | 'done' | 'handled';
  token: string | undefined;
  expiresAt: number;
  leaseEndsAt: number;
};

// The answers that carry nothing of their own, made once.
const DONE: Promise<WebhookClaim> = Promise.resolve(Object.freeze({ status: 'done' }));
const BUSY: Promise<WebhookClaim> = Promise.resolve(Object.freeze({ status: 'busy' }));
const RESOLVED: Promise<void> = Promise.resolve();

export class MemoryWebhookStore implements WebhookStore {
  readonly inProcess = true;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #onEvict: MemoryWebhookStoreOptions['onEvict'];
  // id → its claim (token set) or its done mark (token undefined), in insertion order.
  readonly #entries = new Map<string, Entry>();
  // One iterator for every eviction: a new one each time would step again over the deleted
  // entries at the front of the map, which V8 keeps until it rehashes, thousands of them.
  #oldest: Iterator<string, undefined> = this.#entries.keys();
  #claims = 0;

  constructor(options: MemoryWebhookStoreOptions = {}) {
    const read = optionReader('MemoryWebhookStore', options);
    this.#maxEntries = read.number('maxEntries', 10_000, { integer: true });
    this.#now = read.fn<() => number>('now') ?? Date.now;
    this.#onEvict = read.fn('onEvict');
  }

  // Synchronous inside: the promises only give this store the interface of a shared one.
  claim(id: string, leaseMs: number): Promise<WebhookClaim> {
    const entry = this.#live(id);
    // Unique within this process, which is as far as this store reaches.
    if (!entry) {
      const token = String(++this.#claims);
      this.#set(id, { state: 'claimed', token, expiresAt: this.#now() + leaseMs, leaseEndsAt: 0 });
      return Promise.resolve({ status: 'claimed', token });
    }
    if (entry.state !== 'handled') return entry.state === 'done' ? DONE : BUSY;
    // Handled, not published: the publish is taken, unless another holds it within its lease.
    const now = this.#now();
    if (entry.token !== undefined && entry.leaseEndsAt > now) return BUSY;
    const token = (entry.token = String(++this.#claims));
    entry.leaseEndsAt = now + leaseMs;
    return Promise.resolve({ status: 'handled', token });
  }

  complete(id: string, _token: string, ttlMs: number): Promise<void> {
    const entry = this.#entries.get(id);
    // Marked done in its place: the id keeps its age, and the map is not touched.
    if (entry) {
      entry.state = 'done';
      entry.token = undefined;
      entry.expiresAt = this.#now() + ttlMs;
    } else this.#set(id, { state: 'done', token: undefined, expiresAt: this.#now() + ttlMs, leaseEndsAt: 0 });
    return RESOLVED;
  }

  release(id: string, token: string): Promise<void> {
    const entry = this.#entries.get(id);
    if (entry?.token !== token) return RESOLVED;
    // A handled id stays handled: only its publish is let go.
    if (entry.state === 'handled') entry.token = undefined;
    else this.#entries.delete(id);
    return RESOLVED;
  }

  handled(id: string, token: string, ttlMs: number): Promise<void> {
    const entry = this.#live(id);
    if (entry?.token === token && entry.state !== 'done') {
      entry.state = 'handled';
      entry.token = undefined;
      entry.expiresAt = this.#now() + ttlMs;
    }
    return RESOLVED;
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
      const forgotten = this.#entries.get(oldest.value)!;
      this.#entries.delete(oldest.value);
      const msLeft = forgotten.expiresAt - this.#now();
      if (msLeft > 0 && this.#onEvict) {
        this.#onEvict({ id: oldest.value, state: forgotten.state, msLeft });
      }
    }
  }
}
