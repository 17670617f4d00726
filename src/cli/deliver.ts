/**
 * Sends one webhook as Smile does: the JSON body signed with HMAC-SHA512 of the secret, in hex,
 * in `Smile-Signature`, POSTed to the receiver. Used by `wink-widget trigger` and by the demo's
 * simulated flows.
 */
import { signWebhook } from '../webhooks/signature/verify.js';

export interface Delivery {
  status: number;
  /** The receiver's answer, as text. */
  body: string;
}

/** How long a receiver may take to answer; Smile's own timeout is not documented. */
export const DELIVERY_TIMEOUT_MS = 10_000;

export async function deliverWebhook(
  url: string | URL,
  secret: string,
  event: unknown,
  { timeoutMs = DELIVERY_TIMEOUT_MS }: { timeoutMs?: number } = {},
): Promise<Delivery> {
  const body = JSON.stringify(event);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'smile-signature': await signWebhook(body, secret) },
    body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: response.status, body: await response.text() };
}
