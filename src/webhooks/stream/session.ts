/**
 * One open stream: one object per page, which is its bus listener, its body's source, its framing
 * and its backpressure, so that a stream costs no closures of its own. Subscribed before history
 * is read, so that an event published in between is in one or the other; then each id is sent
 * once, in order: history after the cursor, then what was heard meanwhile, then live events.
 */
import type { BusEntry, BusListener, EventHistory } from './bus.js';
import type { Heartbeat } from './heartbeat.js';
import type { StreamSettings } from './options.js';
import type { StreamRegistry } from './registry.js';

/** Why a stream starts with `resync`: its cursor could not be read, or history no longer reaches it. */
export type ResyncReason = 'cursor' | 'history';

const encoder = new TextEncoder();
const HEARTBEAT = ':\n\n';
/** How much of a stream waits in its queue before a client counts as slow (bytes, each chunk its size). */
const QUEUE_STRATEGY: QueuingStrategy<Uint8Array> = Object.freeze({
  highWaterMark: 64 * 1024,
  size: (chunk: Uint8Array) => chunk.byteLength,
});

const frame = ({ id, json }: BusEntry) => `id: ${id}\ndata: ${json}\n\n`;

/**
 * Where a stream's bytes go: a web stream's controller (the fetch handler), or Node's response
 * itself (`toNodeHandler`), so that in Node no `Response` or web stream is held per stream.
 */
export interface StreamSink {
  /** A frame as text: Node's response encodes it as it writes, with no bytes made for it here. */
  write(text: string): void;
  /** The bytes written and not yet taken by the client. */
  readonly queued: number;
  close(): void;
}

/** A web stream's controller as a sink: its queue beyond the high-water mark counts as waiting. */
class ControllerSink implements StreamSink {
  readonly #controller: ReadableStreamDefaultController<Uint8Array>;
  constructor(controller: ReadableStreamDefaultController<Uint8Array>) {
    this.#controller = controller;
  }
  write(text: string): void {
    this.#controller.enqueue(encoder.encode(text));
  }
  get queued(): number {
    return -(this.#controller.desiredSize ?? 0);
  }
  close(): void {
    this.#controller.close();
  }
}

/** The bus dropped its connection before the stream began: what was published meanwhile is unknown. */
export class BusLostError extends Error {
  override name = 'BusLostError';
}

export class StreamSession implements BusListener, UnderlyingDefaultSource<Uint8Array> {
  readonly userIds: readonly string[];
  readonly #cursor: number | undefined;
  readonly #settings: StreamSettings;
  readonly #registry: StreamRegistry<StreamSession>;
  readonly #heartbeat: Heartbeat;
  #sink?: StreamSink;
  // What the bus says before the stream has begun; undefined once it has (or once the bus was lost).
  #heard: BusEntry[] | undefined = [];
  #history?: EventHistory;
  #unsubscribe?: () => void;
  #lastSent = 0;
  #closed = false;
  // When its time is up: then the next heartbeat ends it, and its page reconnects, authorized again.
  readonly #endsAt: number;

  constructor(
    userIds: readonly string[],
    cursor: number | undefined,
    settings: StreamSettings,
    registry: StreamRegistry<StreamSession>,
    heartbeat: Heartbeat,
  ) {
    this.userIds = userIds;
    this.#cursor = cursor;
    this.#settings = settings;
    this.#registry = registry;
    this.#heartbeat = heartbeat;
    // Up to a tenth sooner, at random: pages opened together do not all come back together.
    this.#endsAt = Date.now() + settings.maxStreamMs * (1 - Math.random() / 10);
    // Counted from now, so that streams still subscribing count against the bounds too.
    registry.add(this);
  }

  /** Subscribes, then reads history after the cursor; rejects, having let go of everything, if either fails. */
  async subscribe(): Promise<void> {
    const { bus, bounded } = this.#settings;
    const cursor = this.#cursor;
    try {
      this.#unsubscribe = await bounded(bus.subscribe(this.userIds, this), 'subscribe');
      // Garbage reads no history, but learns where to resync from.
      if (cursor !== undefined) {
        this.#history = await bounded(
          bus.history(this.userIds, Number.isNaN(cursor) ? Number.MAX_SAFE_INTEGER : cursor),
          'read history',
        );
      }
      if (!this.#heard) throw new BusLostError('The event bus lost its connection while the stream began');
    } catch (error) {
      this.#cleanup();
      throw error;
    }
  }

  /** The stream's body; it begins at once. */
  body(): ReadableStream<Uint8Array> {
    return new ReadableStream(this, QUEUE_STRATEGY);
  }

  start(controller: ReadableStreamDefaultController<Uint8Array>): void {
    this.attach(new ControllerSink(controller));
  }

  /** Begins the stream on `sink`: `retry`, then history or resync, what was heard meanwhile, then live. */
  attach(sink: StreamSink): void {
    this.#sink = sink;
    // Ended while it was subscribing (endStreams, a logout): it begins ended.
    if (this.#closed) return sink.close();
    this.#write(`retry: ${this.#settings.retryMs}\n\n`);
    const history = this.#history;
    const cursor = this.#cursor;
    if (history && (Number.isNaN(cursor) || !history.complete)) {
      // The page must refetch what it shows; the stream goes on from the bus's clock, an id that
      // says nothing of any other user's events.
      const reason: ResyncReason = Number.isNaN(cursor) ? 'cursor' : 'history';
      this.#lastSent = history.resume;
      this.#write(`id: ${history.resume}\nevent: resync\ndata: ${JSON.stringify({ reason })}\n\n`);
    } else if (history) {
      // A cursor from the future counts as the newest id, so that no later event is skipped.
      this.#lastSent = Math.min(cursor!, history.head);
      for (const entry of history.entries) this.#send(entry);
    }
    this.#history = undefined;
    const heard = this.#heard!;
    this.#heard = undefined;
    for (const entry of heard) this.#send(entry);
    this.#heartbeat.add(this);
  }

  cancel(): void {
    this.#cleanup();
  }

  entry(entry: BusEntry): void {
    if (this.#heard) this.#heard.push(entry);
    else this.#send(entry);
  }

  lost(): void {
    // Before the stream began, it is refused instead; after, the page resumes from its last id.
    if (this.#sink) this.end();
    else this.#heard = undefined;
  }

  beat(now: number): void {
    if (now >= this.#endsAt) this.end();
    else this.#write(HEARTBEAT);
  }

  /** Ends the stream: its page reconnects and resumes from its last id. */
  end(): void {
    if (this.#closed) return;
    this.#cleanup();
    this.#sink?.close();
  }

  #send(entry: BusEntry): void {
    if (entry.id <= this.#lastSent) return;
    this.#lastSent = entry.id;
    this.#write(frame(entry));
  }

  #write(text: string): void {
    if (this.#closed) return;
    const sink = this.#sink!;
    sink.write(text);
    // A client that does not read: end its stream, and let it resume from its last id.
    if (sink.queued > this.#settings.maxQueuedBytes) this.end();
  }

  #cleanup(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#heartbeat.delete(this);
    this.#unsubscribe?.();
    this.#registry.delete(this);
  }
}
