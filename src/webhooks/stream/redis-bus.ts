/**
 * The bus of many instances, in Redis, on the user's own client (`ioredis` or node-redis 4+):
 * the instance that handles a webhook is seldom the one that holds the page's stream. Each
 * instance holds two connections whatever the number of pages (on a Cluster, two per master):
 * its client, for commands, and one subscriber, on which it subscribes to the channel of each
 * user it has a page of.
 *
 * Publishing is one script per slot: it takes the next id, adds the event to each user's history
 * (a list bounded by count and age) and publishes it on the user's channel, so that an event is
 * in the history exactly when it has been published; and it marks the event's id sent, so that a
 * publish that is tried again (after a timeout, or by a retry of the webhook) adds nothing.
 *
 * Every key and channel of a user has the user's hash tag, `{<user>}`, or `{<hashTag(user)>}`.
 * On one Redis (or Sentinel) the id counter is one for the whole bus: ids increase across all
 * users. On a Redis Cluster each tag has its own counter in its own slot, so that publishes
 * spread over the nodes: an id increases per tag, and is never below the node's clock in
 * microseconds, so that a time is still a cursor. A stream's cursor is then one tag's, so a
 * stream's users must share a tag there (one user always does); the channels are sharded
 * (`SPUBLISH`, `SSUBSCRIBE`: Redis 7 or later).
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
import { commandSender, isClusterClient, type RedisLikeClient } from '../redis-client.js';

/** A client that can subscribe: ioredis (messages as events) or node-redis (a listener per channel); sharded on a Cluster. */
export interface SubscribingRedisClient {
  subscribe(channel: string, listener?: (message: string, channel: string) => void): Promise<unknown>;
  unsubscribe(channel: string, listener?: (message: string, channel: string) => void): Promise<unknown>;
  /** ioredis's sharded subscribe (a Cluster's, made with `shardedSubscribers`). */
  ssubscribe?(channel: string): Promise<unknown>;
  sunsubscribe?(channel: string): Promise<unknown>;
  /** node-redis's sharded subscribe. */
  sSubscribe?(channel: string, listener: (message: string, channel: string) => void): Promise<unknown>;
  sUnsubscribe?(channel: string, listener?: (message: string, channel: string) => void): Promise<unknown>;
  on?(event: string, listener: (...args: never[]) => void): unknown;
  duplicate?(...args: unknown[]): SubscribingRedisClient;
  connect?(): Promise<unknown>;
  quit?(): Promise<unknown>;
  isOpen?: boolean;
}

export interface RedisEventBusOptions extends EventBusOptions {
  /** A connected client of `ioredis` or `redis` (node-redis 4+): one Redis, Sentinel, or a Cluster. */
  client: RedisLikeClient & { duplicate?(...args: unknown[]): unknown };
  /**
   * The connection to subscribe on; by default one `client.duplicate()`, made when first needed
   * (of an ioredis `Cluster`, with `shardedSubscribers: true`).
   */
  subscriber?: SubscribingRedisClient;
  /** Prefix of every key and channel (default `wink-widget:events:`); no braces, or they would be the hash tag. */
  prefix?: string;
  /**
   * The hash tag of a user's keys and channel (default: the user id): users whose pages share a
   * stream (when `authorize` gives a stream several users) must share a tag on a Redis Cluster.
   */
  hashTag?: (userId: string) => string;
}

/** A stream's users whose keys are in several slots of a Cluster: they have no cursor in common. */
export class CrossSlotStreamError extends Error {
  override name = 'CrossSlotStreamError';
  readonly code = 'CROSS_SLOT_STREAM';
}

// KEYS: the id counter, the event's sent mark, then each user's history and reach (the newest id
// it dropped). ARGV: the page's JSON, the count bound, the age bound in ms, the publish command
// (PUBLISH, or SPUBLISH on a Cluster), then each user's channel. Answers the id, or nothing when
// the event was published already.
const PUBLISH_SCRIPT = `
if redis.call('SET', KEYS[2], '1', 'NX', 'PX', ARGV[3]) == false then return false end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local id = math.max(tonumber(redis.call('GET', KEYS[1]) or '0') + 1, now)
local sid = string.format('%.0f', id)
redis.call('SET', KEYS[1], sid)
local entry = sid .. ' ' .. ARGV[1]
local max = tonumber(ARGV[2])
for i = 3, #KEYS, 2 do
  redis.call('LPUSH', KEYS[i], entry)
  local dropped = redis.call('LINDEX', KEYS[i], max)
  if dropped then
    redis.call('SET', KEYS[i + 1], string.match(dropped, '^%d+'), 'PX', ARGV[3])
    redis.call('LTRIM', KEYS[i], 0, max - 1)
  else
    redis.call('PEXPIRE', KEYS[i + 1], ARGV[3])
  end
  redis.call('PEXPIRE', KEYS[i], ARGV[3])
  redis.call(ARGV[4], ARGV[4 + (i - 1) / 2], entry)
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
  const hashTag = read.fn<(userId: string) => string>('hashTag');
  const { usersOf, pageJson, maxEvents, maxAgeMs, ageFloor } = busSettings('redisEventBus', options);
  const send = commandSender(client);
  const cluster = isClusterClient(client);
  const tagOf = (user: string) => (hashTag ? String(hashTag(user)) : user);
  // A user's keys: `<prefix>history:{<user>}`, or `<prefix>history:{<tag>}:<user>` with hashTag.
  const keyOf = (kind: string, user: string) => `${prefix}${kind}:{${tagOf(user)}}${hashTag ? `:${user}` : ''}`;
  // One counter for the whole bus on one Redis; one per tag, in its slot, on a Cluster.
  const counterKey = (tag: string) => (cluster ? `${prefix}id:{${tag}}` : `${prefix}id`);
  const sentKey = (tag: string, eventId: string) => `${prefix}sent:{${tag}}:${eventId}`;
  const userKeys = (users: readonly string[]) =>
    users.flatMap((user) => [keyOf('history', user), keyOf('reach', user)]);
  const channel = (user: string) => keyOf('live', user);
  /** The users of one script: all of them on one Redis; on a Cluster, those of one tag. */
  const slotsOf = (users: readonly string[]): Map<string, string[]> => {
    if (!cluster) return new Map([[tagOf(users[0]), [...users]]]);
    const slots = new Map<string, string[]>();
    for (const user of users) {
      const tag = tagOf(user);
      const list = slots.get(tag);
      if (list) list.push(user);
      else slots.set(tag, [user]);
    }
    return slots;
  };
  /** The one tag of a stream's users on a Cluster, where a cursor is one tag's. */
  const streamTag = (userIds: readonly string[]): string => {
    const tags = new Set(userIds.map(tagOf));
    if (cluster && tags.size > 1) {
      throw new CrossSlotStreamError(
        `redisEventBus on a Redis Cluster: a stream's users must share a hash tag (give redisEventBus a hashTag that maps them to one), not ${tags.size}`,
      );
    }
    return tags.values().next().value ?? '';
  };

  // The subscriber, and each subscribed user's listeners with its SUBSCRIBE. A channel's
  // SUBSCRIBE and UNSUBSCRIBE are sent in turn, so that the last one sent says what holds.
  let subscriber: SubscribingRedisClient | undefined = options.subscriber;
  const ownsSubscriber = !subscriber;
  let isIoRedis = false;
  let connecting: Promise<SubscribingRedisClient> | undefined;
  const users = new Map<string, { listeners: Set<BusListener>; ready: Promise<unknown> }>();
  const turns = new Map<string, Promise<unknown>>();
  // Each channel's user, for the messages: a channel's name cannot be read back with hashTag.
  const channelUsers = new Map<string, string>();

  const deliver = (message: string, channelName: string) => {
    const user = channelUsers.get(channelName);
    const listeners = user === undefined ? undefined : users.get(user)?.listeners;
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
        // An ioredis Cluster subscribes to sharded channels on a connection per master.
        const io = (client as { isCluster?: boolean }).isCluster === true;
        subscriber = (
          io ? client.duplicate([], { shardedSubscribers: true }) : client.duplicate()
        ) as SubscribingRedisClient;
        // node-redis throws an 'error' nobody listens to; each one is also a 'reconnecting'.
        subscriber.on?.('error', () => undefined);
      }
      isIoRedis = typeof (subscriber as { call?: unknown }).call === 'function';
      if (!isIoRedis && typeof subscriber.connect === 'function' && !subscriber.isOpen) await subscriber.connect();
      // ioredis's message event comes (channel, message), node-redis's listener (message, channel).
      if (isIoRedis) {
        const event = cluster ? 'smessage' : 'message';
        subscriber.on?.(event, (channelName: string, message: string) => deliver(message, channelName));
      }
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
  // ioredis takes messages as events (its subscribe's function is a callback); node-redis per
  // channel. On a Cluster, sharded.
  const subscribeChannel = (sub: SubscribingRedisClient, user: string) => {
    const name = channel(user);
    channelUsers.set(name, user);
    if (!cluster) return isIoRedis ? sub.subscribe(name) : sub.subscribe(name, deliver);
    return isIoRedis ? sub.ssubscribe!(name) : sub.sSubscribe!(name, deliver);
  };
  const unsubscribeChannel = (sub: SubscribingRedisClient, user: string) => {
    const name = channel(user);
    channelUsers.delete(name);
    if (!cluster) return isIoRedis ? sub.unsubscribe(name) : sub.unsubscribe(name, deliver);
    return isIoRedis ? sub.sunsubscribe!(name) : sub.sUnsubscribe!(name, deliver);
  };
  const publishCommand = cluster ? 'SPUBLISH' : 'PUBLISH';

  return {
    async publish(event) {
      const users = usersOf(event);
      if (users.length === 0) return;
      const json = pageJson(event);
      await Promise.all(
        [...slotsOf(users)].map(([tag, group]) =>
          send([
            'EVAL',
            PUBLISH_SCRIPT,
            String(2 + group.length * 2),
            counterKey(tag),
            sentKey(tag, event.id),
            ...userKeys(group),
            json,
            String(maxEvents),
            String(Math.ceil(maxAgeMs)),
            publishCommand,
            ...group.map(channel),
          ]),
        ),
      );
    },

    async subscribe(userIds, listener) {
      streamTag(userIds);
      const sub = await connected();
      const joined: string[] = [];
      const remove = () => {
        for (const user of joined.splice(0)) {
          const state = users.get(user);
          if (!state?.listeners.delete(listener) || state.listeners.size > 0) continue;
          users.delete(user);
          inTurn(user, () => unsubscribeChannel(sub, user)).catch(() => undefined);
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
      const tag = streamTag(userIds);
      const [head, clock, ...rest] = (await send([
        'EVAL',
        HISTORY_SCRIPT,
        String(1 + userIds.length * 2),
        counterKey(tag),
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
      channelUsers.clear();
      if (ownsSubscriber && subscriber) await subscriber.quit?.().catch(() => undefined);
    },
  };
}
