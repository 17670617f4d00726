/**
 * Step 1, before a byte of the body is read: the method, Smile's IP allowlist, and a declared
 * length over the bound. A refusal lets the body go unread, so that the answer still reaches the
 * client. Returns the refusal, or undefined to go on.
 */
import { refuse, type WebhookAnswer } from '../answers.js';
import { clientAddress } from '../client-ip.js';
import type { WebhookDelivery } from '../delivery.js';
import type { ReceiverSettings } from '../options.js';

const ALLOW_POST = Object.freeze({ allow: 'POST' });

export function admit(delivery: WebhookDelivery, settings: ReceiverSettings): WebhookAnswer | undefined {
  const refused = check(delivery, settings);
  if (refused) delivery.dropBody();
  return refused;
}

function check(delivery: WebhookDelivery, { allowed, trustProxy, clientIp, maxBodyBytes, report }: ReceiverSettings) {
  if (delivery.method !== 'POST') return refuse('METHOD_NOT_ALLOWED', ALLOW_POST);
  if (allowed) {
    // clientIp is the integrator's code, and may throw: the pipeline answers that as an internal error.
    const socket = clientIp ? clientIp(delivery.request()) : delivery.socketAddress;
    const address = clientAddress(socket, delivery.header('x-forwarded-for'), trustProxy);
    if (!address) report(new Error('allowedIps is set, but the request has no client address: pass clientIp'));
    if (!address || !allowed.allows(address)) return refuse('IP_NOT_ALLOWED');
  }
  if (delivery.declaredLength !== undefined && delivery.declaredLength > maxBodyBytes) return refuse('BODY_TOO_LARGE');
  return undefined;
}
