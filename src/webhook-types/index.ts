/**
 * Smile webhook events: the envelope, and the union of every event type in Smile's spec with its
 * `data`. The per-type `data` is generated from the spec into `spec-types.ts`. Types only, shared
 * by the server half (`wink-widget/webhooks`) and the page (`wink-widget/events`).
 */
import type { SmileWebhookDataMap, SmileWebhookType } from './spec-types.js';

export * from './spec-types.js';

/** The envelope every webhook comes in. */
export interface SmileWebhookEnvelope<Type extends string = string, Data = Record<string, unknown>> {
  /** Unique per event, and the same in each retry of it: dedupe on it. */
  id: string;
  version: number;
  type: Type;
  /** ISO-8601. */
  createdAt: string;
  data: Data;
}

/**
 * A verified webhook of a known type, discriminated by `type`. A type Smile adds later parses
 * too, as a {@link GenericSmileWebhookEvent}: TypeScript sees it in a `switch`'s `default`.
 */
export type SmileWebhookEvent = { [Type in SmileWebhookType]: SmileWebhookEventOf<Type> }[SmileWebhookType];

/** A verified webhook of any type, with untyped `data`. */
export type GenericSmileWebhookEvent = SmileWebhookEnvelope<string, Record<string, unknown>>;

/** The event of one type, e.g. `SmileWebhookEventOf<'ACCOUNT_CONNECTED'>`. */
export type SmileWebhookEventOf<Type extends SmileWebhookType> = SmileWebhookEnvelope<Type, SmileWebhookDataMap[Type]>;

// Every listed type has a `data` type, and every `data` type is listed.
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const listsEveryType: Exactly<SmileWebhookType, keyof SmileWebhookDataMap> = true;
void listsEveryType;
