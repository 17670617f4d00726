// Pages of the event stream, in Node: the package's own browser client (SmileEvents) on the
// `eventsource` package, the WHATWG EventSource for Node. A page's session is the cookie its
// browser would send; a test names the page's user in the URL's fragment, which never leaves
// the client, and this EventSource sends it as `session=<user>`; after the user, the fragment
// numbers the page, so that a page's own stream is known when a user has several.
import { EventSource } from 'eventsource';
import { SmileEvents } from '../../dist/smile-events.js';

// How many times each page's stream has opened, and whom to tell. The server answers a stream only
// once it is subscribed to the user's events, so an open stream hears every event published after.
const opens = new Map();
const openListeners = new Map();

class PageEventSource extends EventSource {
  constructor(url, init) {
    const [user, pageNumber] = new URL(url).hash.slice(1).split(':').map(decodeURIComponent);
    super(url, {
      ...init,
      fetch: (input, options) =>
        fetch(input, {
          ...options,
          headers: { ...options?.headers, ...(user ? { cookie: `session=${encodeURIComponent(user)}` } : {}) },
        }),
    });
    this.addEventListener('open', () => {
      opens.set(pageNumber, (opens.get(pageNumber) ?? 0) + 1);
      openListeners.get(pageNumber)?.();
    });
  }
}
globalThis.EventSource ??= PageEventSource;

/**
 * A page of `user` on `url`, recording every webhook and resync it hears, and how many times its
 * stream has opened (`opens`); `until(holds, what)` resolves once `holds(page)` is true, checked
 * at each of them, and rejects after `timeout` ms.
 */
let pages = 0;
export function openPage(url, user, options) {
  const pageNumber = String(++pages);
  const page = new SmileEvents(`${url}#${encodeURIComponent(user)}:${pageNumber}`, options);
  const heard = [];
  const resyncs = [];
  const waiters = new Set();
  const changed = () => {
    for (const waiter of waiters) waiter();
  };
  page.addEventListener('webhook', (event) => (heard.push(event.detail), changed()));
  page.addEventListener('resync', (event) => (resyncs.push(event.detail), changed()));
  openListeners.set(pageNumber, changed);
  const result = {
    page,
    heard,
    resyncs,
    user,
    get opens() {
      return opens.get(pageNumber) ?? 0;
    },
  };
  result.until = (holds, what, timeout = 20_000) =>
    new Promise((resolve, reject) => {
      const check = () => {
        if (!holds(result)) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`Not within ${timeout} ms: ${what} (heard ${heard.length})`));
      }, timeout);
      waiters.add(check);
      check();
    });
  return result;
}

/** Resolves once every page's stream is open, so that each hears what is published from then on. */
export const allOpen = (pages, timeout = 20_000) =>
  Promise.all(pages.map((each) => each.until(({ opens }) => opens > 0, `${each.user}'s stream open`, timeout)));

export { pollUntil } from './poll-until.mjs';

/** Reads the raw SSE text of one request until `enough(text)` or the bound, then aborts it. */
export async function rawStream(url, headers, enough, timeout = 5000) {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  if (!response.body || response.status !== 200) return { status: response.status, text: await response.text() };
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const timer = setTimeout(() => controller.abort(), timeout);
  try {
    while (!enough(text)) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // Aborted at the bound: the text so far is the answer.
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return { status: response.status, headers: response.headers, text };
}
