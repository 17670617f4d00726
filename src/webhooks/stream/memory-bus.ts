/**
 * The bus of one process: the default of `createEventStream`, for a single instance. Each user's
 * history is an array bounded by count and age; the users themselves are bounded too, those not
 * published to for longest going first.
 */
import {
  busSettings,
  mergeEntries,
  type BusEntry,
  type BusListener,
  type EventBus,
  type EventBusOptions,
} from './bus.js';
import { Members } from './members.js';
import { optionReader } from '../options.js';

/** How many users' histories the memory bus keeps by default. */
export const DEFAULT_MAX_USERS = 10_000;

export interface MemoryEventBusOptions extends EventBusOptions {
  /** How many users' histories are kept (default 10,000). */
  maxUsers?: number;
}

interface UserHistory {
  entries: BusEntry[];
  /** The newest id this history has dropped for its count. */
  reach: number;
  /** Published to since eviction last passed it over: it goes to the back once instead of out. */
  recent: boolean;
}

/** `work()` as a promise, its throw a rejection: the bus's API is asynchronous, as Redis's is. */
const settled = <T>(work: () => T): Promise<T> => new Promise((resolve) => resolve(work()));

export function memoryEventBus(options: MemoryEventBusOptions = {}): EventBus {
  const { usersOf, pageJson, maxEvents, ageFloor } = busSettings('memoryEventBus', options);
  const maxUsers = optionReader('memoryEventBus', options).number('maxUsers', DEFAULT_MAX_USERS, { integer: true });
  const histories = new Map<string, UserHistory>();
  const listeners = new Members<BusListener>();
  let last = 0;
  // The newest id of any history dropped whole: a user's resume can no longer tell past it.
  let evictedReach = 0;

  const prune = (history: UserHistory, floor: number) => {
    let old = 0;
    while (old < history.entries.length && history.entries[old].id < floor) old++;
    if (old) history.entries.splice(0, old);
  };

  /**
   * Drops whole histories past `maxUsers`, those not published to for longest first: the map is
   * in the order histories came, and one published to since eviction last passed it goes to the
   * back once (the clock algorithm), so that a publish moves nothing in the map.
   */
  const evict = () => {
    while (histories.size > maxUsers) {
      const [user, history] = histories.entries().next().value as [string, UserHistory];
      histories.delete(user);
      if (history.recent) {
        history.recent = false;
        histories.set(user, history);
        continue;
      }
      evictedReach = Math.max(evictedReach, history.reach, history.entries.at(-1)?.id ?? 0);
    }
  };

  return {
    publish: (event) =>
      settled(() => {
        const users = usersOf(event);
        if (users.length === 0) return;
        const entry: BusEntry = { id: (last = Math.max(last + 1, Date.now() * 1000)), json: pageJson(event) };
        const floor = ageFloor();
        for (const user of users) {
          let history = histories.get(user);
          if (history) history.recent = true;
          else histories.set(user, (history = { entries: [], reach: 0, recent: false }));
          history.entries.push(entry);
          if (history.entries.length > maxEvents) history.reach = history.entries.shift()!.id;
          prune(history, floor);
        }
        evict();
        const tell = (listener: BusListener) => listener.entry(entry);
        for (const user of users) listeners.each(user, tell);
      }),

    subscribe: (userIds, listener) =>
      settled(() => {
        for (const user of userIds) listeners.add(user, listener);
        return () => {
          for (const user of userIds) listeners.delete(user, listener);
        };
      }),

    history: (userIds, after) =>
      settled(() => {
        const head = last;
        const from = Math.min(after, head);
        const floor = ageFloor();
        let reach = Math.max(evictedReach, floor);
        const lists: BusEntry[][] = [];
        for (const user of userIds) {
          const history = histories.get(user);
          if (!history) continue;
          prune(history, floor);
          reach = Math.max(reach, history.reach);
          lists.push(history.entries.filter((entry) => entry.id > from));
        }
        // A cursor at or past the newest id has missed nothing.
        // Every id published from now on is at least this millisecond's first microsecond.
        const resume = Date.now() * 1000 - 1;
        return { entries: mergeEntries(lists), complete: after >= head || from >= reach, head, resume };
      }),

    close: () =>
      settled(() => {
        for (const listener of listeners.all()) listener.lost();
        listeners.clear();
      }),
  };
}
