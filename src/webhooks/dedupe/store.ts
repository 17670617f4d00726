/**
 * Where a receiver keeps which events it has handled. Smile delivers each event at least once and
 * retries on any non-2xx, so a receiver claims an event's id before handling it, marks it done
 * after, and lets go of it when handling failed, so that the retry is handled. An event whose
 * `onEvent` ran but whose publish to the pages failed is marked handled: its retry only publishes.
 */

/**
 * What a claim found: this caller now holds the id (`claimed`: to handle it; `handled`: `onEvent`
 * ran already, and the caller holds its publish), it was handled and published already (`done`),
 * or another caller holds it (`busy`).
 */
export type WebhookClaim =
  { status: 'claimed'; token: string } | { status: 'handled'; token: string } | { status: 'done' } | { status: 'busy' };

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
  /**
   * Marks `id` handled but not published, for `ttlMs`, once its publish failed: the next claim of
   * it is `handled`, so that a retry publishes without running `onEvent` again. Only the holder's
   * `token` can; a holder of a `handled` claim that dies lets it go after its lease, as a handled id.
   * Needed with a `bus` only.
   */
  handled?(id: string, token: string, ttlMs: number): Promise<void>;
  /**
   * True for a store that answers from this process's memory at once: the receiver sets no
   * deadline on its steps, which could never be late.
   */
  readonly inProcess?: boolean;
}

/** A random claim token: which holder a claim belongs to. */
export const newClaimToken = (): string => crypto.randomUUID();
