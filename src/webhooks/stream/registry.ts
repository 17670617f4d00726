/**
 * The open streams of an event stream: how many, of whom, and ending them: all of them (a deploy,
 * a shutdown), or one user's (a logout). It holds the bounds on how many may be open.
 */

/** What the registry needs of an open stream. */
export interface RegisteredStream {
  readonly userIds: readonly string[];
  end(): void;
}

export class StreamRegistry<Stream extends RegisteredStream = RegisteredStream> {
  readonly #open = new Set<Stream>();
  readonly #byUser = new Map<string, Set<Stream>>();
  readonly #maxStreams: number;
  readonly #maxPerUser: number;

  constructor({ maxStreams, maxStreamsPerUser }: { maxStreams: number; maxStreamsPerUser: number }) {
    this.#maxStreams = maxStreams;
    this.#maxPerUser = maxStreamsPerUser;
  }

  get size(): number {
    return this.#open.size;
  }

  /** True when one more stream of these users would pass a bound: of all streams, or of any one user's. */
  full(userIds: readonly string[]): boolean {
    return (
      this.#open.size >= this.#maxStreams ||
      userIds.some((user) => (this.#byUser.get(user)?.size ?? 0) >= this.#maxPerUser)
    );
  }

  add(stream: Stream): void {
    this.#open.add(stream);
    for (const user of stream.userIds) {
      let streams = this.#byUser.get(user);
      if (!streams) this.#byUser.set(user, (streams = new Set()));
      streams.add(stream);
    }
  }

  delete(stream: Stream): void {
    if (!this.#open.delete(stream)) return;
    for (const user of stream.userIds) {
      const streams = this.#byUser.get(user);
      streams?.delete(stream);
      if (streams?.size === 0) this.#byUser.delete(user);
    }
  }

  /** Ends every open stream; their pages reconnect and resume. */
  endAll(): void {
    for (const stream of [...this.#open]) stream.end();
  }

  /** Ends the open streams of one user; says how many. */
  endFor(userId: string): number {
    const streams = [...(this.#byUser.get(userId) ?? [])];
    for (const stream of streams) stream.end();
    return streams.length;
  }
}
