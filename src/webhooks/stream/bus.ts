/**
 * The bus between the receiver, which publishes each handled webhook, and the event streams,
 * which push it to the pages of its user. An event is routed to its users, projected to what a
 * page may see, given one id, and kept in each user's bounded history for resume.
 */
import type { PageEvent } from '../../page-events.js';
import type { SmileWebhookEvent } from '../../webhook-types/index.js';
import { optionReader } from '../options.js';
import { streamedEvent, webhookUserId } from './projection.js';

/** One published event as the bus holds it: its id, and the page's JSON of it, made once. */
export interface BusEntry {
  /**
   * Increasing across the whole bus, and never below the microseconds since the epoch at which
   * it was published, so that a time is a cursor too.
   */
  id: number;
  json: string;
}

/** What a stream hears from the bus while it is subscribed. */
export interface BusListener {
  entry(entry: BusEntry): void;
  /** The bus may have missed events (its connection dropped): the stream must resume afresh. */
  lost(): void;
}

/** A user's events after a cursor. */
export interface EventHistory {
  /** In id order, each once. */
  entries: BusEntry[];
  /** False when the history no longer reaches back to the cursor: events may be missing. */
  complete: boolean;
  /** The bus's newest id: a cursor beyond it is from the future, and counts as this. Never sent to a page. */
  head: number;
  /**
   * An id below every id the bus gives from now on, made of its clock alone: where a stream that
   * must resync resumes from. It tells a page nothing of other users' events, as `head` would.
   */
  resume: number;
}

export interface EventBus {
  /** Routes, projects and stores the event, and tells the streams of its users. */
  publish(event: SmileWebhookEvent): Promise<void>;
  /** Resolves, with the function that ends it, once every event published after it is heard. */
  subscribe(userIds: readonly string[], listener: BusListener): Promise<() => void>;
  /** The users' events with an id above `after`. */
  history(userIds: readonly string[], after: number): Promise<EventHistory>;
  /** Lets go of what the bus holds open (its Redis subscription); the streams are told `lost`. */
  close(): Promise<void>;
}

export interface EventBusOptions {
  /**
   * The users whose pages get an event; by default its `data.userId`, or `data.session.userId`.
   * An event it gives no user is not pushed.
   */
  route?: (event: SmileWebhookEvent) => string | readonly string[] | undefined;
  /**
   * What a page gets of an event; by default `streamedEvent`: the envelope, and only the
   * identifiers, statuses, counts and dates of `data`. A transform of yours opts in to more.
   */
  project?: (event: SmileWebhookEvent) => PageEvent;
  /** How many events each user's history keeps for resume (default 100). */
  maxEvents?: number;
  /** How long each user's history keeps an event for resume (default one hour). */
  maxAgeMs?: number;
}

export const DEFAULT_HISTORY_EVENTS = 100;
export const DEFAULT_HISTORY_AGE_MS = 60 * 60 * 1000;

/** The options with their defaults, checked once; `maker` names the bus in the errors. */
export function busSettings(maker: string, options: EventBusOptions) {
  const read = optionReader(maker, options);
  const route = read.fn<NonNullable<EventBusOptions['route']>>('route') ?? webhookUserId;
  const project = read.fn<NonNullable<EventBusOptions['project']>>('project') ?? streamedEvent;
  const maxEvents = read.number('maxEvents', DEFAULT_HISTORY_EVENTS, { integer: true });
  const maxAgeMs = read.number('maxAgeMs', DEFAULT_HISTORY_AGE_MS);
  /** The event's users: non-empty strings, each once. */
  const usersOf = (event: SmileWebhookEvent): string[] => {
    const routed = route(event);
    // The default route's one user: no list to filter and no set to make, on the path of every publish.
    if (typeof routed === 'string') return routed === '' ? [] : [routed];
    const list = Array.isArray(routed) ? routed : [];
    return [...new Set(list.filter((user): user is string => typeof user === 'string' && user !== ''))];
  };
  const pageJson = (event: SmileWebhookEvent): string => JSON.stringify(project(event));
  /** The oldest id the history still holds by age. */
  const ageFloor = () => (Date.now() - maxAgeMs) * 1000;
  return { usersOf, pageJson, maxEvents, maxAgeMs, ageFloor };
}

/** Entries of several users merged in id order, each id once (an event may be routed to two). */
export function mergeEntries(lists: readonly BusEntry[][]): BusEntry[] {
  const all = lists.length === 1 ? [...lists[0]] : lists.flat();
  all.sort((a, b) => a.id - b.id);
  return all.filter((entry, index) => index === 0 || all[index - 1].id !== entry.id);
}
