// Every server the project or its suite starts listens on loopback only: the demo's own sockets
// (demo/loopback.mjs), and the test runner's server, which would take every interface by itself
// and is moved to loopback by a plugin of its config.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { test } from 'node:test';
import { isLoopbackHost, listenOnLoopback, loopbackOnlyPlugin, servesPath } from '../../demo/loopback.mjs';

const outsideAddresses = () =>
  Object.values(networkInterfaces())
    .flat()
    .filter((entry) => !entry.internal && entry.family === 'IPv4')
    .map((entry) => entry.address);

/** Whether this machine has the IPv6 loopback address, which the servers then take too. */
const hasIpv6Loopback = Object.values(networkInterfaces())
  .flat()
  .some((entry) => entry.internal && entry.address === '::1');

const connectTo = (host, port) =>
  new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(3000, () => (socket.destroy(), resolve('timeout')));
    socket.once('connect', () => (socket.destroy(), resolve('connected')));
    socket.once('error', (error) => resolve(error.code));
  });

const answer = (host, port) =>
  fetch(`http://${host}:${port}/`, { signal: AbortSignal.timeout(3000) }).then(
    (response) => response.text(),
    (error) => error.cause?.code ?? error.name,
  );

test('the test runner’s server, once the plugin has moved it, answers on loopback only, with the same handlers', async () => {
  const server = createServer((request, response) => response.end('runner'));
  // As the runner listens: every interface.
  await new Promise((resolve) => server.listen(0, resolve));
  const { port } = server.address();
  assert.equal(
    await connectTo(outsideAddresses()[0] ?? '127.0.0.1', port),
    'connected',
    'it starts on every interface',
  );
  const plugin = loopbackOnlyPlugin();
  await plugin.serverStart({ server });
  try {
    assert.equal(server.address().address, '127.0.0.1');
    assert.equal(server.address().port, port);
    assert.equal(await answer('127.0.0.1', port), 'runner');
    if (hasIpv6Loopback) assert.equal(await answer('[::1]', port), 'runner', 'its ::1 twin has the same handler');
    for (const address of outsideAddresses()) assert.equal(await connectTo(address, port), 'ECONNREFUSED', address);
  } finally {
    await plugin.serverStop();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('web-test-runner.config.mjs moves its server to loopback first', async () => {
  const { default: config } = await import('../../web-test-runner.config.mjs');
  assert.equal(config.plugins[0].name, 'loopback-only');
});

test('listenOnLoopback takes 127.0.0.1 and ::1 at one port, and the next free port when asked to', async () => {
  const first = await listenOnLoopback((request, response) => response.end('one'));
  try {
    assert.deepEqual(
      first.servers.map((server) => server.address().address),
      hasIpv6Loopback ? ['127.0.0.1', '::1'] : ['127.0.0.1'],
    );
    for (const address of outsideAddresses()) assert.equal(await connectTo(address, first.port), 'ECONNREFUSED');
    const taken = listenOnLoopback(() => {}, { port: first.port });
    await assert.rejects(taken, { code: 'EADDRINUSE' });
    const next = await listenOnLoopback((request, response) => response.end('two'), { port: first.port, scan: true });
    try {
      assert.notEqual(next.port, first.port);
      assert.equal(await answer('127.0.0.1', next.port), 'two');
    } finally {
      await next.close();
    }
  } finally {
    await first.close();
  }
});

test('isLoopbackHost and servesPath', () => {
  assert.equal(isLoopbackHost('localhost:8000', 8000), true);
  assert.equal(isLoopbackHost('[::1]:8000', 8000), true);
  assert.equal(isLoopbackHost('localhost.evil.example:8000', 8000), false);
  assert.equal(isLoopbackHost(undefined, 8000), false);
  const prefixes = ['/demo/'];
  assert.equal(servesPath('/demo/demo.ts', prefixes), true);
  assert.equal(servesPath('/demo/%64emo.ts', prefixes), true);
  for (const path of [
    '/demo/../x',
    '/demo/%2e%2e/x',
    '/demo/.env',
    '/demo/%252e',
    '/demo/a%5cb',
    '/demo/%zz',
    '/x/demo/',
  ]) {
    assert.equal(servesPath(path, prefixes), false, path);
  }
});
