/**
 * A {@link WebhookStore} in Redis, shared by every instance of a receiver, on the user's own
 * client: `redis` (node-redis 4+) or `ioredis`. The package depends on neither; it sends plain
 * commands through whichever client it is given.
 */
import { optionReader } from '../options.js';
import { commandSender, type RedisLikeClient } from '../redis-client.js';
import { newClaimToken, type WebhookClaim, type WebhookStore } from './store.js';

export interface RedisWebhookStoreOptions {
  /** A connected client of `redis` (node-redis 4+) or `ioredis`, on one Redis, Sentinel or a Cluster (each id is one key). */
  client: RedisLikeClient;
  /** Prefix of every key (default `wink-widget:webhook:`). */
  prefix?: string;
}

const DONE = 'done';
// The scripts' values: `claim:<token>`, `done`, `handled` (onEvent ran, its publish failed), and
// `handled:<lease end, ms>:<token>` while an instance holds that publish. The lease of a handled
// id's publish is in its value, not the key's expiry, which stays the handled mark's TTL.
const NOW = "local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)";
// The claim of an id that SET NX found taken: done, busy, or a handled id whose publish is free
// (never taken, or its holder's lease is over), which it takes. Returns the status.
const TAKEN_SCRIPT = `local v = redis.call('GET', KEYS[1])
if not v then redis.call('SET', KEYS[1], 'claim:' .. ARGV[1], 'PX', ARGV[2]) return 'claimed' end
if v == 'done' then return 'done' end
${NOW}
local lease = v == 'handled' and 0 or tonumber(string.match(v, '^handled:(%d+):'))
if lease == nil or lease > now then return 'busy' end
redis.call('SET', KEYS[1], 'handled:' .. (now + tonumber(ARGV[2])) .. ':' .. ARGV[1], 'KEEPTTL')
return 'handled'`;
// Is the key's value held by this token, as a claim or as a handled id's publish?
const HOLDS = `local v = redis.call('GET', KEYS[1]) or ''
local claimed = v == 'claim:' .. ARGV[1]
local publishing = string.sub(v, 1, 8) == 'handled:' and string.sub(v, -#ARGV[1] - 1) == ':' .. ARGV[1]`;
// Lets go only while it still holds the key: a holder whose lease ran out, and whose id another
// instance has claimed since, must not let go of that other claim. A handled id stays handled.
const RELEASE_SCRIPT = `${HOLDS}
if claimed then return redis.call('DEL', KEYS[1]) end
if publishing then return redis.call('SET', KEYS[1], 'handled', 'KEEPTTL') end
return 0`;
const HANDLED_SCRIPT = `${HOLDS}
if claimed or publishing then return redis.call('SET', KEYS[1], 'handled', 'PX', ARGV[2]) end
return 0`;

/**
 * Each id is one key: `claim:<token>` with the lease as its expiry while an instance handles it,
 * then `done` with the done TTL (or `handled`, when its publish failed). Claiming is one
 * `SET key value NX PX lease`, so two instances can never both hold an id; only a claim that finds
 * the key taken runs a script. The scripts need Redis 6 or later (`KEEPTTL`).
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
      const status = await send(['EVAL', TAKEN_SCRIPT, '1', key(id), token, ms(leaseMs)]);
      if (status === 'claimed' || status === 'handled') return { status, token };
      return status === DONE ? { status: 'done' } : { status: 'busy' };
    },
    async complete(id: string, _token: string, ttlMs: number): Promise<void> {
      await send(['SET', key(id), DONE, 'PX', ms(ttlMs)]);
    },
    async release(id: string, token: string): Promise<void> {
      await send(['EVAL', RELEASE_SCRIPT, '1', key(id), token]);
    },
    async handled(id: string, token: string, ttlMs: number): Promise<void> {
      await send(['EVAL', HANDLED_SCRIPT, '1', key(id), token, ms(ttlMs)]);
    },
  };
}
