/**
 * Step 2, on the body: the signature over its exact bytes, then the event's shape and age
 * (`signature/parse.ts`). Made once per receiver, synchronous where the runtime's HMAC is
 * (node:crypto), asynchronous elsewhere (Web Crypto). Returns the event, or the refusal.
 */
import type { SmileWebhookEvent } from '../../../webhook-types/index.js';
import { WebhookVerificationError, readVerifiedEvent, requireSignature } from '../../signature/parse.js';
import { refuse, type WebhookAnswer } from '../answers.js';
import type { ReceiverSettings } from '../options.js';

/** The step, answered at once (node:crypto). */
export type AuthenticateSync = (
  body: Uint8Array,
  signatureHeader: string | undefined,
) => SmileWebhookEvent | WebhookAnswer;
/** The step, answered later (Web Crypto). */
export type AuthenticateAsync = (
  body: Uint8Array,
  signatureHeader: string | undefined,
) => Promise<SmileWebhookEvent | WebhookAnswer>;

/** A refusal for what the checks threw; anything else is thrown on. */
const refusal = (error: unknown): WebhookAnswer => {
  if (error instanceof WebhookVerificationError) return refuse(error.code);
  throw error;
};

/** The synchronous step, where the provider has a synchronous HMAC; undefined elsewhere. */
export function authenticatorSync({ provider, secrets, age }: ReceiverSettings): AuthenticateSync | undefined {
  const { verifySync } = provider;
  if (!verifySync) return undefined;
  return (body, header) => {
    try {
      return readVerifiedEvent(body, verifySync(body, requireSignature(header), secrets), age);
    } catch (error) {
      return refusal(error);
    }
  };
}

/** The asynchronous step, for any provider. */
export function authenticatorAsync({ provider, secrets, age }: ReceiverSettings): AuthenticateAsync {
  return async (body, header) => {
    try {
      return readVerifiedEvent(body, await provider.verify(body, requireSignature(header), secrets), age);
    } catch (error) {
      return refusal(error);
    }
  };
}
