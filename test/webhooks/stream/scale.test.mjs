// The event stream at scale on one instance: 2,000 streams of 2,000 users, each on a raw socket
// (the bench runs the same at 10,000, against a plain node:http server). Each stream opens, hears
// exactly its own user's event and no other, and once its page leaves, nothing of it is held: no
// stream counted and no socket open.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import { createEventStream, memoryEventBus, toNodeHandler } from '../../../dist/webhooks/index.js';
import { pollUntil } from '../../support/poll-until.mjs';

const STREAMS = 2_000;
/** How many streams open at once: a page load's worth of concurrency, many times over. */
const AT_ONCE = 100;
const users = Array.from({ length: STREAMS }, (_, index) => `usr_scale_${index}`);
const event = (user, tag) => ({
  id: `et-scale-${tag}-${user}`,
  version: 1,
  type: 'TASK_FINISHED',
  createdAt: new Date().toISOString(),
  data: { userId: user, sourceId: `src-${tag}-${user}`, status: 'SUCCEEDED' },
});

let server;
let stream;
let bus;
let port;

before(async () => {
  bus = memoryEventBus({ maxUsers: STREAMS * 2 });
  stream = createEventStream({
    bus,
    maxStreams: STREAMS + 100,
    authorize: (request) => {
      const user = /(?:^|;\s*)session=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1];
      return user ? [user] : null;
    },
  });
  server = createServer(toNodeHandler(stream));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = server.address().port;
});

after(async () => {
  stream?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

/** One page's stream on a raw socket: resolves once it is answered 200 and has its first bytes. */
function openStream(user) {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () =>
      socket.write(`GET /events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: session=${user}\r\n\r\n`),
    );
    socket.setEncoding('latin1');
    const page = { user, socket, text: '', closed: false };
    socket.on('data', (text) => {
      const opening = !page.text.includes('\r\n\r\n');
      page.text += text;
      if (!opening || !page.text.includes('\r\n\r\n')) return;
      if (!page.text.startsWith('HTTP/1.1 200')) reject(new Error(`${user}: ${page.text.split('\r\n')[0]}`));
      else resolve(page);
    });
    socket.on('close', () => (page.closed = true));
    socket.on('error', reject);
  });
}

/** The source ids of the events a page's stream has carried so far. */
const heard = (page) => [...page.text.matchAll(/"sourceId":"([^"]+)"/g)].map((match) => match[1]);

test(`${STREAMS.toLocaleString('en')} streams open, each hears exactly its own event, and all are released when their pages leave`, async () => {
  const pages = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: AT_ONCE }, async () => {
      while (next < users.length) pages.push(await openStream(users[next++]));
    }),
  );
  assert.equal(stream.connections, STREAMS, 'every stream is open and counted');

  // One event to each user, published as the receiver would, each in its own call.
  await Promise.all(users.map((user) => bus.publish(event(user, 'first'))));
  await pollUntil(
    () => pages.filter((page) => heard(page).length > 0).length,
    (count) => count === STREAMS,
    'every page has heard its event',
    60_000,
  );
  for (const page of pages) {
    assert.deepEqual(heard(page), [`src-first-${page.user}`], `${page.user} hears its own event, once, and no other`);
  }

  // Every page leaves: the server lets go of every stream and socket.
  for (const page of pages) page.socket.destroy();
  await pollUntil(
    () => stream.connections,
    (count) => count === 0,
    'no stream is open',
    30_000,
  );
  await pollUntil(
    () =>
      new Promise((resolve, reject) =>
        server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
      ),
    (count) => count === 0,
    'no socket is open',
    30_000,
  );

  // The stream still serves after it: a page that opens now hears its user's next event, once.
  const again = await openStream(users[0]);
  assert.equal(stream.connections, 1);
  await Promise.all(users.map((user) => bus.publish(event(user, 'second'))));
  await pollUntil(
    () => heard(again),
    (list) => list.length > 0,
    'the new page has heard its event',
    10_000,
  );
  assert.deepEqual(heard(again), [`src-second-${users[0]}`]);
  again.socket.destroy();
  await pollUntil(
    () => stream.connections,
    (count) => count === 0,
    'the last stream is released',
    10_000,
  );
});
