/**
 * Step 1, before a byte of the body is read: the method, Smile's IP allowlist, a signature header
 * that could not be one (missing, or not 128 hex digits: a request without a signature never gets
 * its body read), and a declared length over the bound or over what all bodies may hold now. A
 * refusal lets the body go, with a bounded drain, so that the answer still reaches the client.
 * Returns the refusal, or undefined to go on.
 */
import { refuse, type WebhookAnswer } from '../answers.js';
import { clientAddress } from '../client-ip.js';
import type { WebhookDelivery } from '../delivery.js';
import type { ReceiverSettings } from '../options.js';
import { SIGNATURE_HEADER } from '../../signature/parse.js';

const ALLOW_POST = Object.freeze({ allow: 'POST' });

export function admit(delivery: WebhookDelivery, settings: ReceiverSettings): WebhookAnswer | undefined {
  const refused = check(delivery, settings);
  if (refused) delivery.dropBody();
  return refused;
}

// The signature's shape only: 128 hex digits, around them whitespace. Whether it is right is step 2's.
const SIGNATURE_SHAPE = /^\s*[0-9a-fA-F]{128}\s*$/;
const RETRY_SOON = Object.freeze({ 'retry-after': '1' });

function check(delivery: WebhookDelivery, { allowed, trustProxy, clientIp, body, report }: ReceiverSettings) {
  if (delivery.method !== 'POST') return refuse('METHOD_NOT_ALLOWED', ALLOW_POST);
  if (allowed) {
    // clientIp is the integrator's code, and may throw: the pipeline answers that as an internal error.
    const socket = clientIp ? clientIp(delivery.request()) : delivery.socketAddress;
    const address = clientAddress(socket, delivery.header('x-forwarded-for'), trustProxy);
    if (!address) report(new Error('allowedIps is set, but the request has no client address: pass clientIp'));
    if (!address || !allowed.allows(address)) return refuse('IP_NOT_ALLOWED');
  }
  const signature = delivery.header(SIGNATURE_HEADER);
  if (!signature?.trim()) return refuse('MISSING_SIGNATURE');
  if (!SIGNATURE_SHAPE.test(signature)) return refuse('BAD_SIGNATURE');
  const declared = delivery.declaredLength;
  if (declared !== undefined && declared > body.max) return refuse('BODY_TOO_LARGE');
  if (declared !== undefined && !body.budget.fits(declared)) return refuse('SERVER_BUSY', RETRY_SOON);
  return undefined;
}
