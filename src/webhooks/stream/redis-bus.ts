/**
 * The bus of many instances, in Redis, on the user's own client (`ioredis` or node-redis 4+):
 * the instance that handles a webhook is seldom the one that holds the page's stream. Each
 * instance holds two connections whatever the number of pages: its client, for commands, and one
 * subscriber, on which it subscribes to the channel of each user it has a page of.
 *
 * Publishing is one script: it takes the next id, adds the event to each user's history (a list
 * bounded by count and age) and publishes it on the user's channel, so that an event is in the
 * history exactly when it has been published.
 */
import {
  busSettings,
  mergeEntries,
  type BusEntry,
  type BusListener,
  type EventBus,
  type EventBusOptions,
} from './bus.js';
import { optionReader } from '../options.js';
import { commandSender, type IoRedisLikeClient, type NodeRedisLikeClient } from '../redis-client.js';

/** A client that can subscribe: ioredis (messages as events) or node-redis (a listener per channel). */
export interface SubscribingRedisClient {
  subscribe(channel: string, listener?: (message: string, channel: string) => void): Promise<unknown>;
  unsubscribe(channel: string): Promise<unknown>;
  on?(event: string, listener: (...args: never[]) => void): unknown;
  duplicate?(): SubscribingRedisClient;
  connect?(): Promise<unknown>;
  quit?(): Promise<unknown>;
  isOpen?: boolean;
}

export interface RedisEventBusOptions extends EventBusOptions {
  /** A connected client of `ioredis` or `redis` (node-redis 4+). */
  client: (NodeRedisLikeClient | IoRedisLikeClient) & { duplicate?(): unknown };
  /** The connection to subscribe on; by default one `client.duplicate()`, made when first needed. */
  subscriber?: SubscribingRedisClient;
  /** Prefix of every key and channel (default `wink-widget:events:`). */
  prefix?: string;
}

// KEYS: the id counter, then each user's history and reach (the newest id it dropped).
// ARGV: the page's JSON, the count bound, the age bound in ms, then each user's channel.
const PUBLISH_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local id = math.max(tonumber(redis.call('GET', KEYS[1]) or '0') + 1, now)
local sid = string.format('%.0f', id)
redis.call('SET', KEYS[1], sid)
local entry = sid .. ' ' .. ARGV[1]
local max = tonumber(ARGV[2])
for i = 2, #KEYS, 2 do
  redis.call('LPUSH', KEYS[i], entry)
  local dropped = redis.call('LINDEX', KEYS[i], max)
  if dropped then
    redis.call('SET', KEYS[i + 1], string.match(dropped, '^%d+'), 'PX', ARGV[3])
    redis.call('LTRIM', KEYS[i], 0, max - 1)
  else
    redis.call('PEXPIRE', KEYS[i + 1], ARGV[3])
  end
  redis.call('PEXPIRE', KEYS[i], ARGV[3])
  redis.call('PUBLISH', ARGV[3 + i / 2], entry)
end
return sid`;

// KEYS: the id counter, then each user's history and reach. Answers the head and Redis's clock
// (µs less one: every id published from now on is above it), then per user its reach and its
// entries, newest first.
const HISTORY_SCRIPT = `
local t = redis.call('TIME')
local out = { redis.call('GET', KEYS[1]) or '0', string.format('%.0f', tonumber(t[1]) * 1000000 + tonumber(t[2]) - 1) }
for i = 2, #KEYS, 2 do
  out[#out + 1] = redis.call('GET', KEYS[i + 1]) or '0'
  out[#out + 1] = redis.call('LRANGE', KEYS[i], 0, -1)
end
return out`;

/** An entry as the scripts store it: `<id> <json>`. */
const readEntry = (text: string): BusEntry => {
  const space = text.indexOf(' ');
  return { id: Number(text.slice(0, space)), json: text.slice(space + 1) };
};

export function redisEventBus(options: RedisEventBusOptions): EventBus {
  const read = optionReader('redisEventBus', options);
  const { client } = options;
  const prefix = read.of<string>('prefix', (value) => typeof value === 'string', 'a string') ?? 'wink-widget:events:';
  read.of(
    'subscriber',
    (value) => typeof (value as SubscribingRedisClient)?.subscribe === 'function',
    'a client that can subscribe',
  );
  const { usersOf, pageJson, maxEvents, maxAgeMs, ageFloor } = busSettings('redisEventBus', options);
  const send = commandSender(client);
  const counterKey = `${prefix}id`;
  const userKeys = (users: readonly string[]) =>
    users.flatMap((user) => [`${prefix}history:${user}`, `${prefix}reach:${user}`]);
  const channel = (user: string) => `${prefix}live:${user}`;

  // The subscriber, and each subscribed user's listeners with its SUBSCRIBE. A channel's
  // SUBSCRIBE and UNSUBSCRIBE are sent in turn, so that the last one sent says what holds.
  let subscriber: SubscribingRedisClient | undefined = options.subscriber;
  const ownsSubscriber = !subscriber;
  let isIoRedis = false;
  let connecting: Promise<SubscribingRedisClient> | undefined;
  const users = new Map<string, { listeners: Set<BusListener>; ready: Promise<unknown> }>();
  const turns = new Map<string, Promise<unknown>>();

  const deliver = (message: string, channelName: string) => {
    const listeners = users.get(channelName.slice(`${prefix}live:`.length))?.listeners;
    if (!listeners) return;
    const entry = readEntry(message);
    for (const listener of listeners) listener.entry(entry);
  };
  /** The connection dropped: what was published meanwhile is only in history. */
  const lost = () => {
    for (const { listeners } of [...users.values()]) for (const listener of [...listeners]) listener.lost();
  };

  const connected = (): Promise<SubscribingRedisClient> =>
    (connecting ??= (async () => {
      if (!subscriber) {
        if (typeof client.duplicate !== 'function') {
          throw new TypeError('redisEventBus needs a subscriber, or a client with duplicate()');
        }
        subscriber = client.duplicate() as SubscribingRedisClient;
        // node-redis throws an 'error' nobody listens to; each one is also a 'reconnecting'.
        subscriber.on?.('error', () => undefined);
      }
      isIoRedis = typeof (subscriber as { call?: unknown }).call === 'function';
      if (!isIoRedis && typeof subscriber.connect === 'function' && !subscriber.isOpen) await subscriber.connect();
      // ioredis's message event comes (channel, message), node-redis's listener (message, channel).
      if (isIoRedis)
        subscriber.on?.('message', (channelName: string, message: string) => deliver(message, channelName));
      subscriber.on?.('reconnecting', lost);
      subscriber.on?.('end', lost);
      return subscriber;
    })());

  const inTurn = (user: string, step: () => Promise<unknown>) => {
    const next = (turns.get(user) ?? Promise.resolve()).then(step, step);
    turns.set(user, next);
    void next.then(
      () => turns.get(user) === next && turns.delete(user),
      () => turns.get(user) === next && turns.delete(user),
    );
    return next;
  };
  // ioredis takes messages as events (its subscribe's function is a callback); node-redis per channel.
  const subscribeChannel = (sub: SubscribingRedisClient, user: string) =>
    isIoRedis ? sub.subscribe(channel(user)) : sub.subscribe(channel(user), deliver);

  return {
    async publish(event) {
      const users = usersOf(event);
      if (users.length === 0) return;
      await send([
        'EVAL',
        PUBLISH_SCRIPT,
        String(1 + users.length * 2),
        counterKey,
        ...userKeys(users),
        pageJson(event),
        String(maxEvents),
        String(Math.ceil(maxAgeMs)),
        ...users.map(channel),
      ]);
    },

    async subscribe(userIds, listener) {
      const sub = await connected();
      const joined: string[] = [];
      const remove = () => {
        for (const user of joined.splice(0)) {
          const state = users.get(user);
          if (!state?.listeners.delete(listener) || state.listeners.size > 0) continue;
          users.delete(user);
          inTurn(user, () => sub.unsubscribe(channel(user))).catch(() => undefined);
        }
      };
      try {
        await Promise.all(
          userIds.map((user) => {
            let state = users.get(user);
            if (!state) {
              state = { listeners: new Set(), ready: inTurn(user, () => subscribeChannel(sub, user)) };
              users.set(user, state);
            }
            state.listeners.add(listener);
            joined.push(user);
            return state.ready;
          }),
        );
      } catch (error) {
        remove();
        throw error;
      }
      return remove;
    },

    async history(userIds, after) {
      const [head, clock, ...rest] = (await send([
        'EVAL',
        HISTORY_SCRIPT,
        String(1 + userIds.length * 2),
        counterKey,
        ...userKeys(userIds),
      ])) as [string, string, ...(string | string[])[]];
      const headId = Number(head);
      const from = Math.min(after, headId);
      let reach = ageFloor();
      const lists: BusEntry[][] = [];
      for (let index = 0; index < rest.length; index += 2) {
        reach = Math.max(reach, Number(rest[index]));
        const entries = (rest[index + 1] as string[])
          .map(readEntry)
          .filter((entry) => entry.id > from && entry.id >= ageFloor());
        lists.push(entries.reverse());
      }
      return {
        entries: mergeEntries(lists),
        complete: after >= headId || from >= reach,
        head: headId,
        resume: Number(clock),
      };
    },

    async close() {
      lost();
      users.clear();
      if (ownsSubscriber && subscriber) await subscriber.quit?.().catch(() => undefined);
    },
  };
}
