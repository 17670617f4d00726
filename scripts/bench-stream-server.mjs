// One server of the 10,000-streams bench, in its own process (forked, with IPC), on a loopback
// port. SERVER=package: createEventStream on a memory bus behind toNodeHandler, a page's user in
// its `session` cookie. SERVER=plain: node:http holding each user's responses in a Map and writing
// the same frames. Messages: `memory` answers the process's RSS and heap after a forced GC;
// `fanout` sends one event to each of `users`, stamped with the time the fan-out began, and
// answers when all are written. Run with --expose-gc.
import { createServer } from 'node:http';
import { createEventStream, memoryEventBus, toNodeHandler } from '../dist/webhooks/index.js';

const { SERVER } = process.env;
const session = (cookie) => /(?:^|;\s*)session=([^;]+)/.exec(cookie ?? '')?.[1];
const event = (user, index, at) => ({
  id: `et-fan-${index}`,
  version: 1,
  type: 'TASK_FINISHED',
  createdAt: new Date(at).toISOString(),
  data: { userId: user, sourceId: `s-${at}`, status: 'SUCCEEDED' },
});

let fanout;
let server;
if (SERVER === 'package') {
  const bus = memoryEventBus({ maxUsers: 20_000 });
  const stream = createEventStream({
    bus,
    maxStreams: 20_000,
    authorize: (request) => {
      const user = session(request.headers.get('cookie'));
      return user ? [user] : null;
    },
  });
  server = createServer(toNodeHandler(stream));
  // Every event published as the plain server writes them, in one loop, then awaited together, as
  // webhooks handled at once are: awaiting each in turn would hold every write until the last.
  fanout = async (users, at) => {
    const published = [];
    for (let index = 0; index < users.length; index++) published.push(bus.publish(event(users[index], index, at)));
    await Promise.all(published);
  };
} else {
  // The same frames: an increasing id and the page's JSON of the event, as the package sends it.
  const open = new Map();
  let id = 0;
  server = createServer((request, response) => {
    const user = session(request.headers.cookie);
    if (!user) return response.writeHead(401).end();
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store, no-transform',
    });
    response.write('retry: 2000\n\n');
    open.set(user, response);
    response.on('close', () => open.delete(user));
  });
  const timer = setInterval(() => {
    for (const response of open.values()) response.write(':\n\n');
  }, 15_000);
  timer.unref();
  fanout = async (users, at) => {
    for (let index = 0; index < users.length; index++) {
      const page = JSON.stringify(event(users[index], index, at));
      open.get(users[index])?.write(`id: ${++id}\ndata: ${page}\n\n`);
    }
  };
}

const memory = () => {
  globalThis.gc?.();
  globalThis.gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
};
process.on('message', async ({ type, users, at }) => {
  if (type === 'memory') process.send({ type, ...memory() });
  if (type === 'fanout') {
    const began = performance.now();
    await fanout(users, at);
    process.send({ type, serverMs: performance.now() - began });
  }
});
server.listen(0, '127.0.0.1', () => process.send({ type: 'listening', port: server.address().port, ...memory() }));
