/**
 * One webhook request as the receiver reads it, whatever the server: its method, headers, client
 * address and a bounded body. The adapters make it: `http/fetch.ts` of a fetch `Request`,
 * `http/node.ts` of Node's request directly, so that in Node no `Request`, `Response` or web
 * stream is made for a delivery.
 */
import type { BodyBudget } from './body-budget.js';

/** Why a body could not be had: over `max`, cut off, not all there within `timeoutMs`, or over the budget. */
export type BodyRefusal = 'too-large' | 'unreadable' | 'timeout' | 'busy';

/** The bounds a body is read within. */
export interface BodyLimits {
  /** The most bytes of this body. */
  readonly max: number;
  /** How long the whole body may take to arrive. */
  readonly timeoutMs: number;
  /** The bytes of all bodies held at once: each chunk is taken from it as it arrives. */
  readonly budget: BodyBudget;
}

/** What the receiver needs of a request. */
export interface WebhookDelivery {
  readonly method: string;
  /** A header's value (repeated ones joined with `, `, as fetch does), by its lowercase name. */
  header(name: string): string | undefined;
  /** The socket's address, when the server knows it. */
  readonly socketAddress: string | undefined;
  /** The request as `clientIp` reads it: a fetch `Request`, or a view of Node's with the same headers. */
  request(): Pick<Request, 'headers' | 'method' | 'url'>;
  /** The declared body length, when there is one: a larger one is refused before reading. */
  readonly declaredLength: number | undefined;
  /**
   * The body's bytes within `limits`: never more than `max` of them, taken from the budget as they
   * arrive (the caller gives back the body's length once it has answered; a refusal gives back
   * what it had taken itself), and within `timeoutMs`.
   */
  readBody(limits: BodyLimits): Promise<Uint8Array | BodyRefusal>;
  /** Lets the body go unread, so that the answer still reaches the client. */
  dropBody(): void;
}
