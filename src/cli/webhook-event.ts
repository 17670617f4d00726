/**
 * The webhook `wink-widget trigger` sends: Smile's own example of the event type, from the vendored
 * spec, with a fresh `id`, `createdAt` now, the user's id where the event has one, and the
 * `--set` overrides applied.
 */
import { SMILE_WEBHOOK_TYPES, type SmileWebhookType } from '../webhook-types/spec-types.js';
import { UsageError } from './command.js';
import { newWebhookEvent } from './flows.js';
import { WEBHOOK_EXAMPLES } from './webhook-examples.js';

export type WebhookEventBody = { id: string; type: string; createdAt: string; data: Record<string, unknown> } & Record<
  string,
  unknown
>;

const isType = (value: string): value is SmileWebhookType => (SMILE_WEBHOOK_TYPES as readonly string[]).includes(value);

/** Edit distance, for the close matches of a misspelt type. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** The event types a misspelt one most likely meant: those that contain it, or are a few edits away. */
export function closeMatches(typed: string): SmileWebhookType[] {
  const wanted = typed.toUpperCase().replace(/[^A-Z]+/g, '_');
  const scored = SMILE_WEBHOOK_TYPES.map((type) => ({
    type,
    score: type.includes(wanted) || wanted.includes(type) ? 0 : distance(wanted, type),
  }));
  const limit = Math.max(3, Math.floor(wanted.length / 3));
  return scored
    .filter(({ score }) => score <= limit)
    .sort((a, b) => a.score - b.score)
    .slice(0, 5)
    .map(({ type }) => type);
}

/** The event type named on the command line; a usage error with the close matches when there is none. */
export function eventType(typed: string): SmileWebhookType {
  if (isType(typed)) return typed;
  const matches = closeMatches(typed);
  const hint = matches.length ? ` Did you mean ${matches.join(', ')}?` : '';
  throw new UsageError(
    `${JSON.stringify(typed)} is no Smile webhook type.${hint} wink-widget trigger --list lists them.`,
  );
}

/** A value given to --set: JSON when it parses as JSON, else the text as it is. */
const parseValue = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
};

const FORBIDDEN_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

/** Sets `path=value` (a dotted path into the event; array indexes as numbers) on `event`. */
export function applySet(event: Record<string, unknown>, assignment: string): void {
  const at = assignment.indexOf('=');
  if (at <= 0)
    throw new UsageError(`--set takes <path>=<value>, e.g. data.status=FAILED, not ${JSON.stringify(assignment)}`);
  const path = assignment.slice(0, at).split('.');
  if (path.some((key) => key === '' || FORBIDDEN_KEYS.has(key))) {
    throw new UsageError(`--set path ${JSON.stringify(assignment.slice(0, at))} is not a dotted path of field names`);
  }
  let parent: Record<string, unknown> = event;
  for (const key of path.slice(0, -1)) {
    const next = parent[key];
    if (typeof next !== 'object' || next === null) parent[key] = {};
    parent = parent[key] as Record<string, unknown>;
  }
  parent[path.at(-1)!] = parseValue(assignment.slice(at + 1));
}

export interface EventOptions {
  sets?: readonly string[];
  userId?: string | undefined;
  id?: string;
  now?: Date;
}

/**
 * The event to send for `type`: the spec's example with a fresh id and time. A type the spec has
 * no example of starts from an empty `data`, which `--set` fills.
 */
export function webhookEvent(
  type: SmileWebhookType,
  { sets = [], userId, id, now = new Date() }: EventOptions = {},
): WebhookEventBody {
  const example = WEBHOOK_EXAMPLES[type].example;
  const fresh = newWebhookEvent(type, {}, now);
  const event = {
    ...(example ? structuredClone(example) : fresh),
    id: id ?? fresh.id,
    type,
    createdAt: fresh.createdAt,
  };
  if (typeof event.data !== 'object' || event.data === null) event.data = {};
  if (userId !== undefined) {
    // Where the event names its user: at data.userId, or in the user's session.
    const session = event.data.session as Record<string, unknown> | undefined;
    if (!('userId' in event.data) && typeof session === 'object' && session !== null && 'userId' in session) {
      session.userId = userId;
    } else event.data.userId = userId;
  }
  for (const assignment of sets) applySet(event, assignment);
  return event;
}
