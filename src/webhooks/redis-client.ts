/**
 * The user's own Redis client, whichever it is: `redis` (node-redis 4+) or `ioredis`. The package
 * depends on neither; it sends plain commands through whichever client it is given.
 */

/** node-redis 4+ (`createClient()`), whose `sendCommand` takes the command as an array. */
export interface NodeRedisLikeClient {
  sendCommand(args: string[]): Promise<unknown>;
}

/** ioredis (`new Redis()`), whose `call` takes the command's words as arguments. */
export interface IoRedisLikeClient {
  call(command: string, ...args: string[]): Promise<unknown>;
}

/** A command sender over either client, found once. */
export function commandSender(client: NodeRedisLikeClient | IoRedisLikeClient): (args: string[]) => Promise<unknown> {
  if (typeof client !== 'object' || client === null) {
    throw new TypeError('A connected Redis client is needed: ioredis (new Redis()) or node-redis (createClient())');
  }
  if ('call' in client && typeof client.call === 'function') {
    return ([command, ...rest]) => client.call(command, ...rest);
  }
  if (typeof (client as NodeRedisLikeClient).sendCommand === 'function') {
    return (args) => (client as NodeRedisLikeClient).sendCommand(args);
  }
  throw new TypeError('A Redis client of ioredis (call) or node-redis (sendCommand) is needed');
}
