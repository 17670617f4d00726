/**
 * The open streams of an event stream: how many, of whom, and ending them: all of them (a deploy,
 * a shutdown), or one user's (a logout). It holds the bounds on how many may be open.
 */
import { Members } from './members.js';

/** What the registry needs of an open stream. */
export interface RegisteredStream {
  readonly userIds: readonly string[];
  end(): void;
}

export class StreamRegistry<Stream extends RegisteredStream = RegisteredStream> {
  readonly #open = new Set<Stream>();
  readonly #byUser = new Members<Stream>();
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
    return this.#open.size >= this.#maxStreams || userIds.some((user) => this.#byUser.count(user) >= this.#maxPerUser);
  }

  add(stream: Stream): void {
    this.#open.add(stream);
    for (const user of stream.userIds) this.#byUser.add(user, stream);
  }

  delete(stream: Stream): void {
    if (!this.#open.delete(stream)) return;
    for (const user of stream.userIds) this.#byUser.delete(user, stream);
  }

  /** Ends every open stream; their pages reconnect and resume. */
  endAll(): void {
    for (const stream of [...this.#open]) stream.end();
  }

  /** Ends the open streams of one user; says how many. */
  endFor(userId: string): number {
    const streams = this.#byUser.of(userId);
    for (const stream of streams) stream.end();
    return streams.length;
  }
}
