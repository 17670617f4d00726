/**
 * The bytes of request bodies a receiver holds at once, across all its requests: a request whose
 * body would take it past its bound is answered 503 instead of buffered, so that many slow or
 * large unauthenticated requests cannot take the server's memory.
 */
export class BodyBudget {
  readonly max: number;
  #held = 0;

  constructor(max: number) {
    this.max = max;
  }

  /** How many bytes are held now. */
  get held(): number {
    return this.#held;
  }

  /** True when `bytes` more would still fit (a declared length, before reading). */
  fits(bytes: number): boolean {
    return this.#held + bytes <= this.max;
  }

  /** Takes `bytes` if they fit; says whether it did. */
  take(bytes: number): boolean {
    if (!this.fits(bytes)) return false;
    this.#held += bytes;
    return true;
  }

  /** Gives back what was taken. */
  give(bytes: number): void {
    this.#held -= bytes;
  }
}
