/**
 * Bounds on the store's steps, for every request of a receiver: one timer for all of them, armed
 * for the earliest deadline, instead of a timer set and cleared for each step. A receiver under
 * load takes thousands of steps a second, and each would otherwise cost a timer of its own.
 */

const MAX_DELAY_MS = 2 ** 31 - 1;

interface Pending {
  readonly deadline: number;
  readonly expire: () => void;
  settled: boolean;
}

/** The pending steps of one bound, in the order of their deadlines (they all wait the same time). */
export class Deadlines {
  readonly #ms: number;
  readonly #queue: Pending[] = [];
  #head = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(ms: number) {
    this.#ms = ms;
  }

  /** `step`, or its failure with `message` once it has taken longer than the bound. */
  bound<T>(step: Promise<T>, message: () => string): Promise<T> {
    // No bound at all (Infinity), rather than a timer that overflows and fires at once.
    if (!Number.isFinite(this.#ms)) return step;
    return new Promise<T>((resolve, reject) => {
      const pending: Pending = {
        deadline: Date.now() + this.#ms,
        expire: () => reject(new Error(message())),
        settled: false,
      };
      this.#queue.push(pending);
      this.#hold(true);
      this.#arm();
      step.then(
        (value) => {
          pending.settled = true;
          this.#trim();
          resolve(value);
        },
        (error: unknown) => {
          pending.settled = true;
          this.#trim();
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  #arm(): void {
    if (this.#timer !== undefined) return;
    const head = this.#queue[this.#head];
    if (!head) return;
    // Timers take at most 2³¹ - 1 ms; a longer wait is swept then, and armed again.
    this.#timer = setTimeout(() => this.#sweep(), Math.min(MAX_DELAY_MS, Math.max(0, head.deadline - Date.now())));
  }

  /**
   * Lets go of the settled steps at the front at once, rather than at the next sweep: steps
   * settle mostly in the order they began, and each holds its promise's functions until let go.
   */
  #trim(): void {
    while (this.#head < this.#queue.length && this.#queue[this.#head].settled) this.#head++;
    this.#compact();
    if (this.#head === this.#queue.length) this.#hold(false);
  }

  /**
   * Keeps the process alive for the timer, or not. Once no step is pending, the timer stays armed
   * until its deadline, rather than cleared and set again for the next step, but it must not hold
   * open a process that has nothing else to do (a server closed, a worker shutting down), for up
   * to the whole bound. Node's `ref` and `unref` do nothing when the timer is so already. Where
   * timers cannot be unreferenced (not Node), it holds until it fires.
   */
  #hold(holding: boolean): void {
    const timer = this.#timer as { ref?: () => void; unref?: () => void } | undefined;
    if (holding) timer?.ref?.();
    else timer?.unref?.();
  }

  /** Drops what is behind the head, now and then, so that the queue stays small. */
  #compact(): void {
    if (this.#head <= 1024 && this.#head !== this.#queue.length) return;
    this.#queue.splice(0, this.#head);
    this.#head = 0;
  }

  #sweep(): void {
    this.#timer = undefined;
    const now = Date.now();
    while (this.#head < this.#queue.length) {
      const pending = this.#queue[this.#head];
      if (!pending.settled && pending.deadline > now) break;
      if (!pending.settled) pending.expire();
      this.#head++;
    }
    this.#compact();
    this.#arm();
  }
}
