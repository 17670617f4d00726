// The webhook half of `npm run bench`, in this process: the package's receiver against a plain
// Node receiver (node:crypto HMAC, timingSafeEqual, JSON.parse, a Set), each given the same
// signed deliveries, interleaved trials after a warm-up. The HTTP-with-Redis measure is to come.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createWebhookHandler, signWebhook } from '../dist/webhooks/index.js';

const SECRET = 'whsec_bench';
const DELIVERIES = 5_000;

/** Signed deliveries of distinct events: [raw body, signature]. */
async function deliveries(trial) {
  const list = [];
  for (let index = 0; index < DELIVERIES; index++) {
    const raw = JSON.stringify({
      id: `evt_${trial}_${index}`,
      version: 1,
      type: 'ACCOUNT_CONNECTED',
      createdAt: new Date().toISOString(),
      data: { userId: 'usr_1', accountId: `acc_${index}`, loginName: 'l', providers: ['p'] },
    });
    list.push([raw, await signWebhook(raw, SECRET)]);
  }
  return list;
}

/** The package's receiver, fetch-style, as a Node server's adapter would call it. */
async function packageReceiver(list) {
  const handler = createWebhookHandler({ secret: SECRET, onEvent() {} });
  const started = performance.now();
  for (const [raw, signature] of list) {
    const response = await handler(
      new Request('http://localhost/webhooks/smile', {
        method: 'POST',
        headers: { 'smile-signature': signature },
        body: raw,
      }),
    );
    if (response.status !== 200) throw new Error(`the receiver answered ${response.status}`);
  }
  return (performance.now() - started) / list.length;
}

/** A plain receiver, as one would write it by hand with node:crypto. */
async function plainReceiver(list) {
  const seen = new Set();
  const started = performance.now();
  for (const [raw, signature] of list) {
    const mac = createHmac('sha512', SECRET).update(raw).digest();
    const given = Buffer.from(signature, 'hex');
    if (given.length !== mac.length || !timingSafeEqual(mac, given)) throw new Error('bad signature');
    const event = JSON.parse(raw);
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    await Promise.resolve();
  }
  return (performance.now() - started) / list.length;
}

/** Interleaved trials, the order alternating; µs per delivery for each receiver. */
export async function benchWebhooks(trials) {
  const ours = [];
  const plain = [];
  await packageReceiver(await deliveries('warm-a'));
  await plainReceiver(await deliveries('warm-b'));
  for (let trial = 0; trial < trials; trial++) {
    const list = await deliveries(trial);
    const runs = trial % 2 ? [plainReceiver, packageReceiver] : [packageReceiver, plainReceiver];
    for (const receive of runs) (receive === packageReceiver ? ours : plain).push((await receive(list)) * 1000);
  }
  return { ours, plain, deliveries: DELIVERIES };
}
