// One receiver of the webhook bench over HTTP, in its own process, on a loopback port, deduping
// on the given Redis through ioredis. RECEIVER=package: the package's receiver with
// redisWebhookStore behind toNodeHandler. RECEIVER=plain: a receiver written by hand, node:crypto
// HMAC, timingSafeEqual, JSON.parse and one `SET … NX PX` on the same Redis. Prints
// `listening <port>`; `GET /cpu` answers the CPU time it has used. Env: REDIS_URL, WEBHOOK_SECRET.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { Redis } from 'ioredis';
import { createWebhookHandler, redisWebhookStore, toNodeHandler } from '../dist/webhooks/index.js';

const { RECEIVER, REDIS_URL, WEBHOOK_SECRET } = process.env;
const redis = new Redis(REDIS_URL);
const DAY_MS = 24 * 60 * 60 * 1000;

const answer = (response, status, body) => {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
};

function plainReceiver(request, response) {
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
      const fresh = (await redis.set(`plain:${event.id}`, '1', 'PX', DAY_MS, 'NX')) === 'OK';
      answer(response, 200, fresh ? { received: true } : { received: true, duplicate: true });
    } catch {
      answer(response, 503, { error: 'STORE_UNAVAILABLE' });
    }
  });
}

const receiver =
  RECEIVER === 'plain'
    ? plainReceiver
    : toNodeHandler(
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
