// The 10,000-streams row of `npm run bench`: one instance holding 10,000 streams of 10,000 users,
// against a plain node:http server that holds the same streams and writes the same events, each
// in a process of its own (scripts/bench-stream-server.mjs) on loopback, measured in one run by
// the same client (this process, on raw sockets of node:net). Per server: the time to open all
// streams, the RSS and heap each stream adds (after a forced GC), and the fan-out of one event to
// each user: from the moment the fan-out begins to each event's arrival, its p99.
import { fork } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('./bench-stream-server.mjs', import.meta.url));
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

function startServer(kind) {
  const child = fork(SERVER, [], {
    env: { ...process.env, SERVER: kind },
    execArgv: ['--expose-gc'],
    stdio: 'inherit',
  });
  const replies = [];
  const waiting = [];
  child.on('message', (message) => (waiting.length ? waiting.shift()(message) : replies.push(message)));
  const next = (timeout = 120_000) =>
    new Promise((resolve, reject) => {
      if (replies.length) return resolve(replies.shift());
      const timer = setTimeout(
        () => reject(new Error(`the ${kind} server did not answer within ${timeout} ms`)),
        timeout,
      );
      waiting.push((message) => (clearTimeout(timer), resolve(message)));
    });
  const ask = (message) => (child.send(message), next());
  return {
    child,
    next,
    ask,
    stop: () => (child.kill('SIGKILL'), new Promise((resolve) => child.once('exit', resolve))),
  };
}

/**
 * Opens `count` streams, one per user, `atOnce` at a time, each on a raw socket: the client only
 * writes the request and scans what arrives, so that its own cost (an HTTP parser and a stream
 * per socket) weighs as little as it can on what it measures. Resolves once each stream has
 * answered `200` and sent its first bytes.
 */
async function openStreams(port, users, atOnce, arrived) {
  const sockets = [];
  let next = 0;
  const openOne = (user) =>
    new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port }, () =>
        socket.write(`GET /events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: session=${user}\r\n\r\n`),
      );
      socket.setEncoding('latin1');
      let head = '';
      socket.on('data', (text) => {
        if (head !== undefined) {
          head += text;
          if (!head.includes('\r\n\r\n')) return;
          if (!head.startsWith('HTTP/1.1 200')) return reject(new Error(`${user}: ${head.split('\r\n')[0]}`));
          head = undefined;
          resolve();
        }
        if (text.includes('data: ')) arrived(user, text);
      });
      socket.on('error', reject);
      sockets.push(socket);
    });
  await Promise.all(
    Array.from({ length: atOnce }, async () => {
      while (next < users.length) await openOne(users[next++]);
    }),
  );
  return () => {
    for (const socket of sockets) socket.destroy();
  };
}

/** How many fan-outs each server makes after its warm-up one; the row gives the median of their p99s. */
const FANOUTS = 9;
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

/** One server's figures for `count` streams. */
async function measureServer(kind, count) {
  const server = startServer(kind);
  try {
    const { port, rss: rssBefore, heapUsed: heapBefore } = await server.next();
    const users = Array.from({ length: count }, (_, index) => `usr-${kind}-${index}`);
    // The fan-out under way: when it began (its events carry that stamp), and who has heard it.
    let fanout = { at: 0, arrivals: new Map(), allHeard: () => {} };
    const opening = performance.now();
    const close = await openStreams(port, users, 200, (user, text) => {
      const { at, arrivals, allHeard } = fanout;
      if (!text.includes(`s-${at}`) || arrivals.has(user)) return;
      arrivals.set(user, Date.now() - at);
      if (arrivals.size === count) allHeard();
    });
    const openMs = performance.now() - opening;
    const { rss, heapUsed } = await server.ask({ type: 'memory' });
    /** One event to each user; its p99 from the moment it began, and the server's own time. */
    const fanOut = async () => {
      const heard = new Promise((resolve) => (fanout = { at: Date.now(), arrivals: new Map(), allHeard: resolve }));
      const { at, arrivals } = fanout;
      const { serverMs } = await server.ask({ type: 'fanout', users, at });
      let timer;
      await Promise.race([
        heard,
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`${kind}: ${arrivals.size} of ${count} heard`)), 120_000);
        }),
      ]).finally(() => clearTimeout(timer));
      const sorted = [...arrivals.values()].sort((a, b) => a - b);
      return { p99: percentile(sorted, 99), serverMs };
    };
    // The first fan-out also compiles the server's path (and the client's): a warm-up, not counted.
    await fanOut();
    const trials = [];
    for (let trial = 0; trial < FANOUTS; trial++) trials.push(await fanOut());
    close();
    return {
      openMs,
      openPerSecond: (count / openMs) * 1000,
      rssPerStream: (rss - rssBefore) / count,
      heapPerStream: (heapUsed - heapBefore) / count,
      p99: median(trials.map((trial) => trial.p99)),
      p99s: trials.map((trial) => trial.p99),
      fanoutServerMs: median(trials.map((trial) => trial.serverMs)),
    };
  } finally {
    await server.stop();
  }
}

/** Both servers, `count` streams each, one after the other in this run. */
export async function benchStreams(count = 10_000) {
  const plain = await measureServer('plain', count);
  const ours = await measureServer('package', count);
  return { count, ours, plain };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const count = Number(process.argv[2] ?? 10_000);
  console.log(await benchStreams(count));
}
