/**
 * A {@link WebhookStore} in Redis, shared by every instance of a receiver, on the user's own
 * client: `redis` (node-redis 4+) or `ioredis`. The package depends on neither; it sends plain
 * commands through whichever client it is given.
 */
import { optionReader } from '../options.js';
import { commandSender, type IoRedisLikeClient, type NodeRedisLikeClient } from '../redis-client.js';
import { newClaimToken, type WebhookClaim, type WebhookStore } from './store.js';

export interface RedisWebhookStoreOptions {
  /** A connected client of `redis` (node-redis 4+) or `ioredis`. */
  client: NodeRedisLikeClient | IoRedisLikeClient;
  /** Prefix of every key (default `wink-widget:webhook:`). */
  prefix?: string;
}

const DONE = 'done';
// Deletes the key only while it still holds this claim: a holder whose lease ran out, and whose
// id another instance has claimed since, must not let go of that other claim.
const RELEASE_SCRIPT = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

/**
 * Each id is one key: `claim:<token>` with the lease as its expiry while an instance handles it,
 * then `done` with the done TTL. Claiming is one `SET key value NX PX lease`, so two instances
 * can never both hold an id.
 */
export function redisWebhookStore(options: RedisWebhookStoreOptions): WebhookStore {
  const read = optionReader('redisWebhookStore', options);
  const prefix = read.of<string>('prefix', (value) => typeof value === 'string', 'a string') ?? 'wink-widget:webhook:';
  // Which client it is, found once.
  const send = commandSender(options.client);
  const key = (id: string) => prefix + id;
  const ms = (value: number) => String(Math.max(1, Math.ceil(value)));

  return {
    async claim(id: string, leaseMs: number): Promise<WebhookClaim> {
      const token = newClaimToken();
      if ((await send(['SET', key(id), `claim:${token}`, 'NX', 'PX', ms(leaseMs)])) === 'OK')
        return { status: 'claimed', token };
      // Held already. Should it have expired in between, the retry that follows is claimed then.
      return (await send(['GET', key(id)])) === DONE ? { status: 'done' } : { status: 'busy' };
    },
    async complete(id: string, _token: string, ttlMs: number): Promise<void> {
      await send(['SET', key(id), DONE, 'PX', ms(ttlMs)]);
    },
    async release(id: string, token: string): Promise<void> {
      await send(['EVAL', RELEASE_SCRIPT, '1', key(id), `claim:${token}`]);
    },
  };
}
