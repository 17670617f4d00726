// A throwaway Redis Cluster of Debian's redis-server on loopback: `masters` masters with
// `replicas` replicas each, made with `redis-cli --cluster create`, each node in a temporary
// folder of its own (its nodes.conf), all torn down with `stop()`.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const START_TIMEOUT_MS = 30_000;

/** True when `port` can be listened on, on loopback. */
const isFree = (port) =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/**
 * `count` ports whose cluster bus ports (port + 10000) are free too, below the ephemeral range,
 * from a random start so that two suites do not reach for the same ones.
 */
async function clusterPorts(count) {
  const ports = [];
  for (let port = 20000 + Math.floor(Math.random() * 8000); ports.length < count && port < 29000; port++) {
    if ((await isFree(port)) && (await isFree(port + 10000))) ports.push(port);
  }
  if (ports.length < count) throw new Error('No free ports for a Redis Cluster on loopback');
  return ports;
}

/** Resolves once `redis-cli` answers `check(output)` truthy, within the bound. */
async function until(check, what, args) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let last = '';
  while (Date.now() < deadline) {
    last = await run('redis-cli', args).then(
      ({ stdout }) => stdout,
      (error) => String(error.message),
    );
    if (check(last)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`The Redis Cluster did not come up within ${START_TIMEOUT_MS} ms (${what}):\n${last}`);
}

/**
 * Starts the cluster and resolves once every node says `cluster_state:ok` and knows every other;
 * with `nodes` (host and port of each: masters first), `masters`, `kill(port)` (SIGKILL, a crash),
 * and `stop()`.
 */
export async function startRedisCluster({ masters = 3, replicas = 0 } = {}) {
  const total = masters * (1 + replicas);
  const ports = await clusterPorts(total);
  const folder = await mkdtemp(join(tmpdir(), 'wink-cluster-'));
  const children = new Map();
  const stop = async () => {
    await Promise.all(
      [...children.values()].map((child) =>
        child.exitCode === null && child.signalCode === null
          ? new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGKILL')))
          : undefined,
      ),
    );
    await rm(folder, { recursive: true, force: true });
  };
  try {
    for (const port of ports) {
      const child = spawn(
        process.env.REDIS_SERVER_PATH ?? 'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(folder, `nodes-${port}.conf`),
          '--cluster-node-timeout',
          '2000',
          '--dir',
          folder,
          '--save',
          '',
          '--appendonly',
          'no',
          '--loglevel',
          'warning',
        ],
        { stdio: 'ignore' },
      );
      children.set(port, child);
    }
    for (const port of ports) await until((out) => out.trim() === 'PONG', `node ${port}`, ['-p', String(port), 'PING']);
    await run('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      String(replicas),
      '--cluster-yes',
    ]);
    for (const port of ports) {
      await until(
        (out) => out.includes('cluster_state:ok') && out.includes(`cluster_known_nodes:${total}`),
        `node ${port} ok`,
        ['-p', String(port), 'CLUSTER', 'INFO'],
      );
      // cluster_state:ok comes before every node has heard, by gossip, which node replicates which.
      await until(
        (out) =>
          out.split('\n').filter((line) => / (slave|replica)[ ,]/.test(line) || /,slave /.test(line)).length ===
          masters * replicas,
        `node ${port} knowing the replicas`,
        ['-p', String(port), 'CLUSTER', 'NODES'],
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const nodes = ports.map((port) => ({ host: '127.0.0.1', port }));
  return {
    nodes,
    /** The masters as they were made; after a failover, ask the cluster. */
    masters: nodes.slice(0, masters),
    kill: (port) => {
      const child = children.get(port);
      return new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGKILL')));
    },
    stop,
  };
}
