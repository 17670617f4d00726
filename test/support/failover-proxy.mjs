// A TCP load balancer on loopback, as in front of an app's instances: each connection goes to
// the next instance in turn, or to the one after when that one refuses (it was killed).
import { connect, createServer } from 'node:net';

/** Starts the proxy over `ports`; resolves with its `port` and `close()`. */
export async function startFailoverProxy(ports) {
  let turn = 0;
  const sockets = new Set();
  const server = createServer((client) => {
    sockets.add(client);
    client.once('close', () => sockets.delete(client));
    client.pause();
    const attempt = (tries) => {
      const port = ports[turn++ % ports.length];
      const upstream = connect(port, '127.0.0.1');
      const refused = () => (upstream.destroy(), tries > 1 ? attempt(tries - 1) : client.destroy());
      upstream.once('error', refused);
      upstream.once('connect', () => {
        upstream.off('error', refused);
        sockets.add(upstream);
        upstream.once('close', () => sockets.delete(upstream));
        client.pipe(upstream).pipe(client);
        client.resume();
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
        upstream.once('close', () => client.destroy());
        client.once('close', () => upstream.destroy());
      });
    };
    attempt(ports.length);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
