// The webhook half of `npm run bench`, interleaved trials after a warm-up:
// - in this process: the package's receiver, mounted with toNodeHandler, against a plain Node
//   receiver written by hand (node:crypto HMAC, timingSafeEqual, JSON.parse, a Set). Both are
//   `(req, res)` handlers given the same signed deliveries, each as a Node readable stream with
//   the request's headers, as node:http gives them;
// - over HTTP with Redis: each receiver in its own process on loopback (bench-webhook-server.mjs),
//   deduping on one real redis-server, the package's with redisWebhookStore, the plain one with
//   `SET … NX PX`, and the plain one with the done mark that the package's guarantee needs, to
//   show that mark's cost apart; autocannon sends the same number of distinct signed deliveries
//   to each, 16 connections at once, and the measure is the wall time per delivery.
import { spawn } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { createWebhookHandler, signWebhook, toNodeHandler } from '../dist/webhooks/index.js';
import { startRedis } from '../test/support/redis-server.mjs';

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
    list.push([Buffer.from(raw), await signWebhook(raw, SECRET)]);
  }
  return list;
}

/** A request as node:http hands it over: a readable stream of the body, with its headers. */
function incoming([raw, signature]) {
  let sent = false;
  const request = new Readable({
    read() {
      this.push(sent ? null : raw);
      sent = true;
    },
  });
  request.method = 'POST';
  request.url = '/webhooks/smile';
  request.headers = {
    host: '127.0.0.1',
    'content-type': 'application/json',
    'content-length': String(raw.length),
    'smile-signature': signature,
  };
  request.socket = { remoteAddress: '127.0.0.1' };
  return request;
}

/** A response that keeps what was written to it, as node:http's would send it. */
function outgoing(done) {
  return {
    headersSent: false,
    status: 0,
    writeHead(status, headers) {
      this.status = status;
      this.headers = headers;
      this.headersSent = true;
    },
    end(body) {
      this.body = body;
      done(this);
    },
  };
}

/** Runs a `(req, res)` receiver over the deliveries, one at a time; the time it took, in ms. */
async function run(receiver, list) {
  const started = performance.now();
  for (const delivery of list) {
    const response = await new Promise((resolve) => receiver(incoming(delivery), outgoing(resolve)));
    if (response.status !== 200) throw new Error(`the receiver answered ${response.status}`);
  }
  return performance.now() - started;
}

/** The package's receiver, as an integrator mounts it on node:http. */
const packageReceiver = () => toNodeHandler(createWebhookHandler({ secret: SECRET, onEvent() {} }));

/** A plain receiver, as one would write it by hand for node:http. */
function plainReceiver() {
  const seen = new Set();
  return (request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', async () => {
      const raw = Buffer.concat(chunks);
      const mac = createHmac('sha512', SECRET).update(raw).digest();
      const given = Buffer.from(String(request.headers['smile-signature']), 'hex');
      if (given.length !== mac.length || !timingSafeEqual(mac, given)) {
        response.writeHead(401, { 'content-type': 'application/json' });
        return response.end('{"error":"BAD_SIGNATURE"}');
      }
      const event = JSON.parse(raw.toString('utf8'));
      const duplicate = seen.has(event.id);
      if (!duplicate) {
        seen.add(event.id);
        await Promise.resolve();
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(duplicate ? { received: true, duplicate: true } : { received: true }));
    });
  };
}

/** How many slices of a trial's deliveries the two receivers take turns on. */
const SLICES = 20;

/**
 * Interleaved trials; µs per delivery for each receiver. Within a trial the two take turns on
 * slices of its deliveries, the order alternating, so that a drift of the machine's speed (other
 * processes, a GC) falls on both alike.
 */
export async function benchWebhooks(trials) {
  const ours = [];
  const plain = [];
  await run(packageReceiver(), await deliveries('warm-a'));
  await run(plainReceiver(), await deliveries('warm-b'));
  for (let trial = 0; trial < trials; trial++) {
    const list = await deliveries(trial);
    const receivers = { ours: packageReceiver(), plain: plainReceiver() };
    const spent = { ours: 0, plain: 0 };
    const size = list.length / SLICES;
    for (let slice = 0; slice < SLICES; slice++) {
      const part = list.slice(slice * size, (slice + 1) * size);
      for (const which of (trial + slice) % 2 ? ['plain', 'ours'] : ['ours', 'plain']) {
        spent[which] += await run(receivers[which], part);
      }
    }
    ours.push((spent.ours / list.length) * 1000);
    plain.push((spent.plain / list.length) * 1000);
  }
  return { ours, plain, deliveries: DELIVERIES };
}

const HTTP_DELIVERIES = DELIVERIES;
const HTTP_CONNECTIONS = Number(process.env.CONN ?? 16);

/** Starts one receiver process of bench-webhook-server.mjs; resolves with its port and stop(). */
function startServer(receiver, redisUrl) {
  const child = spawn(process.execPath, [new URL('./bench-webhook-server.mjs', import.meta.url).pathname], {
    env: { ...process.env, RECEIVER: receiver, REDIS_URL: redisUrl, WEBHOOK_SECRET: SECRET },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = () =>
    child.exitCode === null ? (child.kill('SIGKILL'), new Promise((r) => child.once('exit', r))) : undefined;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (stop(), reject(new Error(`the ${receiver} receiver did not start`))), 10_000);
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const port = output.match(/^listening (\d+)$/m)?.[1];
      if (!port) return;
      clearTimeout(timer);
      resolve({ port: Number(port), stop });
    });
    child.once('exit', (code) => reject(new Error(`the ${receiver} receiver exited with ${code}`)));
  });
}

/**
 * Sends the deliveries to a receiver with autocannon; µs of wall time per delivery, from the start
 * to the last answer (autocannon's own finish waits for its next one-second tick).
 */
function load(port, list) {
  let next = 0;
  let answered = 0;
  let last = 0;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}/webhooks/smile`,
        connections: HTTP_CONNECTIONS,
        amount: list.length,
        requests: [
          {
            method: 'POST',
            setupRequest(request) {
              const [raw, signature] = list[next++ % list.length];
              return {
                ...request,
                headers: { 'content-type': 'application/json', 'smile-signature': signature },
                body: raw,
              };
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        if (result.non2xx || result.errors || result['2xx'] !== list.length || answered !== list.length) {
          return reject(new Error(`not every delivery was answered 2xx: ${JSON.stringify(result.statusCodeStats)}`));
        }
        resolve(((last - started) / list.length) * 1000);
      },
    );
    instance.on('response', () => {
      answered++;
      last = performance.now();
    });
  });
}

/** How many slices of a trial's deliveries the two receivers take turns on over HTTP. */
const HTTP_SLICES = 5;

/** The CPU time, in µs, that a receiver process and Redis have used so far. */
async function cpuMicros(port, redisClient) {
  const { cpuMicros: receiver } = await (await fetch(`http://127.0.0.1:${port}/cpu`)).json();
  const info = await redisClient.info('cpu');
  const seconds = (name) => Number(info.match(new RegExp(`^${name}:([\\d.]+)`, 'm'))[1]);
  return receiver + (seconds('used_cpu_user') + seconds('used_cpu_sys')) * 1e6;
}

/** The receivers over HTTP: the package's, the plain one with the done mark, and the plain one. */
const HTTP_RECEIVERS = { ours: 'package', marked: 'marked', plain: 'plain' };

/**
 * Interleaved trials over HTTP with one Redis, the receivers taking turns on slices of each
 * trial's deliveries, as in process, their order rotating from slice to slice. For each: the wall
 * time per delivery, and the CPU time per delivery of its process and of Redis together (what the
 * receiver costs the machine, whatever else shares its two cores), both in µs.
 */
export async function benchWebhooksOverHttp(trials) {
  const redis = await startRedis();
  const redisClient = new Redis(redis.url);
  const names = Object.keys(HTTP_RECEIVERS);
  // One value per receiver, each made anew.
  const each = (make) => Object.fromEntries(names.map((name) => [name, make()]));
  const servers = {};
  try {
    for (const name of names) servers[name] = await startServer(HTTP_RECEIVERS[name], redis.url);
    const wall = each(() => []);
    const cpu = each(() => []);
    for (const which of names) await load(servers[which].port, await deliveries(`http-warm-${which}`));
    for (let trial = 0; trial < trials; trial++) {
      const list = await deliveries(`http-${trial}`);
      const spent = each(() => 0);
      const used = each(() => 0);
      const size = list.length / HTTP_SLICES;
      for (let slice = 0; slice < HTTP_SLICES; slice++) {
        const part = list.slice(slice * size, (slice + 1) * size);
        const turn = (trial * HTTP_SLICES + slice) % names.length;
        for (const which of [...names.slice(turn), ...names.slice(0, turn)]) {
          const before = await cpuMicros(servers[which].port, redisClient);
          spent[which] += (await load(servers[which].port, part)) * part.length;
          used[which] += (await cpuMicros(servers[which].port, redisClient)) - before;
        }
      }
      for (const which of names) {
        wall[which].push(spent[which] / list.length);
        cpu[which].push(used[which] / list.length);
      }
    }
    return { wall, cpu, deliveries: HTTP_DELIVERIES, connections: HTTP_CONNECTIONS };
  } finally {
    redisClient.disconnect();
    await Promise.all(Object.values(servers).map((server) => server.stop()));
    await redis.stop();
  }
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const trials = Number(process.argv[2] ?? 5);
  const show = (name, { ours, plain }) =>
    console.log(
      `${name}: ours ${median(ours).toFixed(1)} µs, plain ${median(plain).toFixed(1)} µs, ${(median(ours) / median(plain)).toFixed(2)}×`,
    );
  show('in process', await benchWebhooks(trials));
  const overHttp = await benchWebhooksOverHttp(trials);
  show('over HTTP, CPU', overHttp.cpu);
  show('over HTTP, wall', overHttp.wall);
  show('over HTTP, wall, plain with the done mark', { ours: overHttp.wall.marked, plain: overHttp.wall.plain });
  show('over HTTP, wall, ours ÷ plain with the done mark', { ours: overHttp.wall.ours, plain: overHttp.wall.marked });
}
