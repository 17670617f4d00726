/** The open streams of an event stream: how many, and ending them all. */

/** What the registry can do to an open stream. */
export interface Endable {
  end(): void;
}

export class StreamRegistry<Stream extends Endable = Endable> {
  readonly #open = new Set<Stream>();

  get size(): number {
    return this.#open.size;
  }

  add(stream: Stream): void {
    this.#open.add(stream);
  }

  delete(stream: Stream): void {
    this.#open.delete(stream);
  }

  /** Ends every open stream; their pages reconnect and resume. */
  endAll(): void {
    for (const stream of [...this.#open]) stream.end();
  }
}
