// Serving on this machine only. The demo (and the test runner's server) listen on the loopback
// addresses, never on every interface, answer only a Host header that names this machine (so a
// page of another site cannot reach them through DNS rebinding), and the demo serves only the
// folders it needs.
import { createServer } from 'node:http';

/** The loopback hosts a browser may name in `Host`, as URLs spell them. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

const listen = (server, port, host) =>
  new Promise((resolve, reject) => {
    const fail = (error) => (server.off('listening', done), reject(error));
    const done = () => (server.off('error', fail), resolve());
    server.once('error', fail);
    server.once('listening', done);
    server.listen({ port, host, exclusive: true });
  });

const close = (server) => new Promise((resolve) => server.close(() => resolve()));

// Where the machine has no IPv6 loopback, listening on ::1 fails with one of these.
const NO_IPV6 = new Set(['EADDRNOTAVAIL', 'EAFNOSUPPORT', 'EINVAL']);

/**
 * Listens with `handler` on 127.0.0.1, and on ::1 too where the machine has it, at one port:
 * `port` (0: any free one), or with `scan` the first free one from it. Resolves with
 * `{ port, servers, close }`.
 */
export async function listenOnLoopback(handler, { port = 0, scan = false } = {}) {
  // A port taken on either address is passed over: the next one, or another free one for 0.
  const retry = (error, attempt) => (scan || port === 0) && error.code === 'EADDRINUSE' && attempt < 100;
  for (let attempt = 0; ; attempt++) {
    const candidate = port === 0 ? 0 : port + attempt;
    const v4 = createServer(handler);
    try {
      await listen(v4, candidate, '127.0.0.1');
    } catch (error) {
      if (retry(error, attempt)) continue;
      throw error;
    }
    const chosen = v4.address().port;
    const servers = [v4];
    const v6 = createServer(handler);
    try {
      await listen(v6, chosen, '::1');
      servers.push(v6);
    } catch (error) {
      if (!NO_IPV6.has(error.code)) {
        await close(v4);
        if (retry(error, attempt)) continue;
        throw error;
      }
    }
    return { port: chosen, servers, close: () => Promise.all(servers.map(close)) };
  }
}

/**
 * A web-test-runner plugin: its server listens on every interface by itself (its `hostname`
 * option turns `localhost` into that), so once it has started this moves it to 127.0.0.1 at the
 * same port, and adds a twin on ::1 (with the same request and WebSocket handlers) where there is one.
 */
export function loopbackOnlyPlugin() {
  let twin;
  const sockets = new Set();
  return {
    name: 'loopback-only',
    async serverStart({ server }) {
      const { port } = server.address();
      await close(server);
      await listen(server, port, '127.0.0.1');
      twin = createServer();
      for (const event of ['request', 'upgrade'])
        for (const listener of server.listeners(event)) twin.on(event, listener);
      twin.on('connection', (socket) => (sockets.add(socket), socket.once('close', () => sockets.delete(socket))));
      try {
        await listen(twin, port, '::1');
      } catch (error) {
        twin = undefined;
        if (!NO_IPV6.has(error.code)) throw error;
      }
    },
    async serverStop() {
      for (const socket of sockets) socket.destroy();
      if (twin) await close(twin);
    },
  };
}

/** True when a request's `Host` names this machine at `port` (a DNS-rebound name does not). */
export function isLoopbackHost(host, port) {
  return typeof host === 'string' && LOOPBACK_NAMES.some((name) => host.toLowerCase() === `${name}:${port}`);
}

/**
 * True when the demo serves `rawPath` as a file: only under `prefixes`, never a dotfile or a
 * `..`, whatever the encoding. Everything else (the repository's other files, `/.git/`, and
 * the dev server's `/__wds-outside-root__/`, which reaches any file of the machine) is a 404.
 */
export function servesPath(rawPath, prefixes) {
  let path;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return false;
  }
  // Still encoded after one decoding (`%252e`), or a separator of another system: not a path of ours.
  if (/[%\\\0]/.test(path)) return false;
  if (path.split('/').some((segment) => segment.startsWith('.'))) return false;
  return prefixes.some((prefix) => path.startsWith(prefix));
}
