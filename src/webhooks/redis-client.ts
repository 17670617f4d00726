/**
 * The user's own Redis client, whichever it is: `redis` (node-redis 4+) or `ioredis`, on one
 * Redis, Sentinel or a Redis Cluster. The package depends on neither; it sends plain commands
 * through whichever client it is given.
 */

/** node-redis 4+ (`createClient()`), whose `sendCommand` takes the command as an array. */
export interface NodeRedisLikeClient {
  sendCommand(args: string[]): Promise<unknown>;
}

/**
 * node-redis's `createCluster()`, whose `sendCommand` takes the key that picks the node first.
 * Told apart from a client by its `masters`.
 */
export interface NodeRedisLikeCluster {
  sendCommand(firstKey: string | undefined, isReadonly: boolean | undefined, args: string[]): Promise<unknown>;
  readonly masters: readonly unknown[];
}

/** ioredis (`new Redis()`, or `new Cluster()`, whose `isCluster` is true), whose `call` takes the command's words. */
export interface IoRedisLikeClient {
  call(command: string, ...args: string[]): Promise<unknown>;
  readonly isCluster?: boolean;
}

export type RedisLikeClient = NodeRedisLikeClient | NodeRedisLikeCluster | IoRedisLikeClient;

/** True for a Redis Cluster client: ioredis's `Cluster`, or node-redis's `createCluster()`. */
export function isClusterClient(client: unknown): boolean {
  if (typeof client !== 'object' || client === null) return false;
  return (client as IoRedisLikeClient).isCluster === true || Array.isArray((client as NodeRedisLikeCluster).masters);
}

/** The key a command acts on, which picks a Cluster's node: an EVAL's first key, else the first argument. */
const firstKey = ([command, ...rest]: string[]): string | undefined =>
  /^eval(sha)?(_ro)?$/i.test(command) ? (Number(rest[1]) > 0 ? rest[2] : undefined) : rest[0];

/** A command sender over any of the clients, found once. */
export function commandSender(client: RedisLikeClient): (args: string[]) => Promise<unknown> {
  if (typeof client !== 'object' || client === null) {
    throw new TypeError('A connected Redis client is needed: ioredis (new Redis()) or node-redis (createClient())');
  }
  if ('call' in client && typeof client.call === 'function') {
    const io = client;
    return (args) => io.call(...(args as [string, ...string[]]));
  }
  if (typeof (client as NodeRedisLikeClient).sendCommand === 'function') {
    if (isClusterClient(client)) {
      const cluster = client as NodeRedisLikeCluster;
      return (args) => cluster.sendCommand(firstKey(args), false, args);
    }
    return (args) => (client as NodeRedisLikeClient).sendCommand(args);
  }
  throw new TypeError('A Redis client of ioredis (call) or node-redis (sendCommand) is needed');
}
