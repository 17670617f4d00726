// One receiver of the webhook bench over HTTP, in its own process, on a loopback port, deduping
// on the given Redis through ioredis. RECEIVER=package: the package's receiver with
// redisWebhookStore behind toNodeHandler. RECEIVER=plain: a receiver written by hand, node:crypto
// HMAC, timingSafeEqual, JSON.parse and one `SET … NX PX` on the same Redis. RECEIVER=marked: that
// plain receiver with the done mark, the second command that the package's guarantee needs (the
// claim under a token with a lease, then `done`, not awaited, as the package sends it), so that the
// bench shows what the mark costs apart from the rest of the package. Prints `listening <port>`;
// `GET /cpu` answers the CPU time it has used. Env: REDIS_URL, WEBHOOK_SECRET.
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { Redis } from 'ioredis';
import { createWebhookHandler, redisWebhookStore, toNodeHandler } from '../dist/webhooks/index.js';

const { RECEIVER, REDIS_URL, WEBHOOK_SECRET } = process.env;
const redis = new Redis(REDIS_URL);
const DAY_MS = 24 * 60 * 60 * 1000;
// The package's default lease of a claim.
const LEASE_MS = 15_000;

const answer = (response, status, body) => {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
};

/** Claims an id, answered `OK` when it is new. Plain: one `SET … NX` for a day. Marked: a claim with a lease. */
const claim = (id) => redis.set(`plain:${id}`, '1', 'PX', DAY_MS, 'NX');
const claimWithLease = (id) => redis.set(`marked:${id}`, `claim:${randomUUID()}`, 'PX', LEASE_MS, 'NX');
/** The done mark after the handler, handed to the client before the answer and not awaited. */
const markDone = (id) => void redis.set(`marked:${id}`, 'done', 'PX', DAY_MS).catch(() => undefined);

const handRolled = (claimId, done) => (request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', async () => {
    const raw = Buffer.concat(chunks);
    const mac = createHmac('sha512', WEBHOOK_SECRET).update(raw).digest();
    const given = Buffer.from(String(request.headers['smile-signature']), 'hex');
    if (given.length !== mac.length || !timingSafeEqual(mac, given))
      return answer(response, 401, { error: 'BAD_SIGNATURE' });
    const event = JSON.parse(raw.toString('utf8'));
    try {
      const fresh = (await claimId(event.id)) === 'OK';
      if (fresh) done?.(event.id);
      answer(response, 200, fresh ? { received: true } : { received: true, duplicate: true });
    } catch {
      answer(response, 503, { error: 'STORE_UNAVAILABLE' });
    }
  });
};

const HAND_ROLLED = { plain: handRolled(claim), marked: handRolled(claimWithLease, markDone) };

const receiver =
  HAND_ROLLED[RECEIVER] ??
  toNodeHandler(
    createWebhookHandler({ secret: WEBHOOK_SECRET, store: redisWebhookStore({ client: redis }), onEvent() {} }),
  );

// The CPU time this process has used, in µs, for the bench to read before and after each run.
const cpu = (request, response) => {
  const { user, system } = process.cpuUsage();
  answer(response, 200, { cpuMicros: user + system });
};

const server = createServer((request, response) =>
  request.url === '/cpu' ? cpu(request, response) : receiver(request, response),
).listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
