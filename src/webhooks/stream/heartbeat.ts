/**
 * One timer for all the open streams of an event stream, instead of one per stream: each beat
 * writes a comment to every stream, which keeps its connection open through proxies. The timer
 * runs only while a stream is open, and never keeps the process alive by itself.
 */

/** What a heartbeat beats: an open stream, told the time of the beat (to end itself when its time is up). */
export interface Beating {
  beat(now: number): void;
}

export class Heartbeat {
  readonly #ms: number;
  readonly #streams = new Set<Beating>();
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(ms: number) {
    this.#ms = ms;
  }

  add(stream: Beating): void {
    this.#streams.add(stream);
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      const now = Date.now();
      // A stream that a beat ends leaves the set meanwhile, which iterating a Set allows.
      for (const open of this.#streams) open.beat(now);
    }, this.#ms);
    (this.#timer as { unref?: () => void }).unref?.();
  }

  delete(stream: Beating): void {
    this.#streams.delete(stream);
    if (this.#streams.size > 0 || !this.#timer) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
