/**
 * Smile's cursor pagination, as the spec has it: a list answers `{ nextCursor, items }`, and the
 * next page is asked for with `cursor=<nextCursor>`. The spec does not say how the last page
 * marks itself; a page with no `nextCursor` (or an empty one), or with no items, is taken as the
 * last. A `nextCursor` already followed would loop for ever, so it rejects with `CURSOR_REPEATED`.
 */
import { SmileApiError } from './errors.js';

export interface Page<T> {
  items: T[];
  /** The cursor of the next page; undefined on the last. */
  nextCursor: string | undefined;
}

export interface PageParams {
  /** Items per page, 1 to 150 (the spec's `size`; Smile's default is 10). */
  size?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

/** Reads a list answer's `data` into a page; rejects when it is not one. */
export function readPage<T>(operation: string, body: Record<string, unknown>): Page<T> {
  const data = body.data as { items?: unknown; nextCursor?: unknown } | undefined;
  if (typeof data !== 'object' || data === null || (data.items !== undefined && !Array.isArray(data.items))) {
    throw new SmileApiError({ status: 200, code: 'INVALID_RESPONSE', message: 'answered with no page', operation });
  }
  const items = (data.items ?? []) as T[];
  const next = typeof data.nextCursor === 'string' && data.nextCursor !== '' ? data.nextCursor : undefined;
  return { items, nextCursor: items.length > 0 ? next : undefined };
}

/** Every item of every page from `params.cursor` on, one page at a time. */
export async function* eachItem<T, P extends PageParams>(
  operation: string,
  list: (params: P) => Promise<Page<T>>,
  params: P,
): AsyncGenerator<T, void, undefined> {
  const followed = new Set<string>();
  let cursor = params.cursor;
  for (;;) {
    const page = await list({ ...params, cursor });
    yield* page.items;
    if (page.nextCursor === undefined) return;
    if (followed.has(page.nextCursor) || page.nextCursor === cursor) {
      throw new SmileApiError({
        status: 200,
        code: 'CURSOR_REPEATED',
        message: `the next page's cursor ${JSON.stringify(page.nextCursor)} was followed already`,
        operation,
      });
    }
    if (cursor !== undefined) followed.add(cursor);
    cursor = page.nextCursor;
  }
}

export function checkPageParams(operation: string, { size, cursor }: PageParams): void {
  if (size !== undefined && (!Number.isInteger(size) || size < 1 || size > 150)) {
    throw new RangeError(`${operation}: size must be a whole number from 1 to 150`);
  }
  if (cursor !== undefined && (typeof cursor !== 'string' || cursor === '')) {
    throw new TypeError(`${operation}: cursor must be a non-empty string`);
  }
}
