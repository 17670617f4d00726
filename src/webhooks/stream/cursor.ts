/**
 * Where a stream resumes: `Last-Event-ID` on a reconnect, else `?since=` (an id, or a time). An
 * event's id is never below the microseconds since the epoch at which it was published, so a time
 * is a cursor too.
 */

/** The longest cursor read: an id, or an ISO-8601 time. Anything longer is not one. */
const MAX_CURSOR_LENGTH = 40;

/**
 * The id after which a stream resumes: from `Last-Event-ID` (a reconnect), else from `since`
 * (an id, or a time: events published from then on). `undefined` for none, `NaN` for garbage.
 */
export function readCursor(lastEventId: string | null, since: string | null): number | undefined {
  const value = lastEventId ?? since;
  if (value === null || value === '') return undefined;
  if (value.length > MAX_CURSOR_LENGTH) return NaN;
  if (/^\d+$/.test(value)) {
    const id = Number(value);
    return Number.isSafeInteger(id) ? id : NaN;
  }
  // Only a time with a date in it: Date.parse takes many odd strings.
  if (lastEventId !== null || !/^\d{4}-\d{2}-\d{2}/.test(value)) return NaN;
  const time = Date.parse(value);
  return Number.isNaN(time) ? NaN : time * 1000 - 1;
}

/** The cursor of a request: its `Last-Event-ID`, or its `since` parameter. */
export function requestCursor(request: Request): number | undefined {
  let since: string | null = null;
  try {
    since = new URL(request.url).searchParams.get('since');
  } catch {
    // A relative URL (some adapters): no `since`.
  }
  return readCursor(request.headers.get('last-event-id'), since);
}
