/**
 * The session's states and what moves it between them, as one table: `WidgetSession` is its
 * only user, and every state the element reflects comes from here.
 */
import type { WinkWidgetState } from './wink-widget.js';

/** What moves a session from one state to the next. */
export type SessionInput = 'launch' | 'opened' | 'fail' | 'close' | 'dismiss' | 'detach';

/**
 * The transitions: for each input, the state it leads to from each state where it applies. An
 * input that a state does not list is ignored in that state.
 */
export const SESSION_TRANSITIONS = {
  /** A new SDK instance in a new frame: `open` set, `show()`, a relaunching change, reconnection. */
  launch: { idle: 'loading', loading: 'loading', open: 'loading', closed: 'loading', error: 'loading' },
  /** The bridge reports that the SDK loaded and `open()` returned. */
  opened: { loading: 'open' },
  /** A launch, the bridge or the SDK failed; `open` stays true, so that a new token can relaunch. */
  fail: { loading: 'error', open: 'error' },
  /** The SDK closed itself, or the page closed it (`close()`, `open = false`, Escape). */
  close: { idle: 'closed', loading: 'closed', open: 'closed' },
  /** `open` set to false after an error: there is nothing to close, and the error is over. */
  dismiss: { error: 'closed' },
  /** The element left the document; the session waits to relaunch if it comes back while open. */
  detach: { loading: 'idle', open: 'idle' },
} as const satisfies Record<SessionInput, Partial<Record<WinkWidgetState, WinkWidgetState>>>;
