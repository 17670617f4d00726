// Re-entrancy: inside a listener of each of the element's 11 events, each of show(), close(),
// setting `open`, changing `token` and removing the element behaves exactly as it does just after
// the event, with the events, state and show() results that implies.
import { expect } from '@open-wc/testing';
import type { WinkResult, WinkWidget, WinkWidgetEventName } from '../../src/index.js';
import { messageListeners } from '../support/listeners.js';
import { mountWidget, type EventLog } from '../support/widget.js';

const account = { accountId: 'acc-1', userId: 'usr-1', providerId: 'prv-1' };
const uiEvent = {
  eventName: 'ProviderListPageOpened',
  eventTime: '2026-12-01T00:00:00.000Z',
  mode: 'SANDBOX',
  userId: 'usr-1',
  account: null,
  archive: null,
};

/** How the session stands just after the event: still running, closed, or failed. */
type After = 'running' | 'closed' | 'failed';

interface EventCase {
  event: WinkWidgetEventName;
  /** A name for the case, when one event has several causes. */
  name?: string;
  /** What the SDK double plays for the first token; the second token plays nothing. */
  play: unknown[][];
  options?: Record<string, unknown>;
  /** What the page does once the widget is open, to cause the event. */
  cause?: (el: WinkWidget) => void;
  after: After;
}

/** A new session on the first token plays its flow again: what that adds, and where it ends. */
function again(testCase: EventCase): Pick<Expected, 'next' | 'state' | 'open' | 'frames'> & { reason?: string } {
  if (testCase.after === 'failed')
    return { next: ['widget-error'], state: 'error', open: true, frames: 0, reason: 'error' };
  if (testCase.cause) return { next: ['widget-open'], state: 'open', open: true, frames: 1 };
  return { next: ['widget-open', 'widget-close'], state: 'closed', open: false, frames: 0, reason: 'close' };
}

const CASES: EventCase[] = [
  { event: 'account-created', play: [['onAccountCreated', account]], after: 'running' },
  { event: 'account-connected', play: [['onAccountConnected', account]], after: 'running' },
  { event: 'account-removed', play: [['onAccountRemoved', account]], after: 'running' },
  { event: 'account-error', play: [['onAccountError', { ...account, errorCode: 'INVALID_MFA' }]], after: 'running' },
  { event: 'token-expired', play: [['onTokenExpired']], after: 'running' },
  {
    event: 'uploads-created',
    play: [['onUploadsCreated', { uploads: [{ id: 'upl-1' }], userId: 'usr-1' }]],
    after: 'running',
  },
  {
    event: 'uploads-removed',
    play: [['onUploadsRemoved', { uploads: [{ id: 'upl-1' }], userId: 'usr-1' }]],
    after: 'running',
  },
  { event: 'ui-event', play: [['onUIEvent', uiEvent]], after: 'running' },
  {
    event: 'widget-close',
    name: 'widget-close from the SDK',
    play: [['onClose', { reason: 'close' }]],
    after: 'closed',
  },
  { event: 'widget-close', name: 'widget-close from close()', play: [], cause: (el) => el.close(), after: 'closed' },
  {
    event: 'widget-close',
    name: 'widget-close from open = false',
    play: [],
    cause: (el) => (el.open = false),
    after: 'closed',
  },
  { event: 'widget-open', play: [], after: 'running' },
  // The SDK's constructor throws: SDK_ERROR, at every launch.
  { event: 'widget-error', play: [], options: { throwOnConstruct: 'no SDK today' }, after: 'failed' },
];

const ACTIONS = ['show()', 'close()', 'open = false', 'token change', 'removal'] as const;
type Action = (typeof ACTIONS)[number];

/** The events up to and including the case's event. */
const before = ({ event }: EventCase): string[] =>
  event === 'widget-error' ? ['widget-error'] : event === 'widget-open' ? ['widget-open'] : ['widget-open', event];

/** How the first session's promise ends when the case's event ends it. */
const endReason = (testCase: EventCase): string =>
  testCase.after === 'failed' ? 'error' : testCase.cause ? 'host' : 'close';

interface Expected {
  /** The events that follow the case's event. */
  next: string[];
  state: string;
  open: boolean;
  frames: number;
  /** What show() returns when it is the action: the first session's promise, or a new one. */
  showReturns?: 'same' | 'new';
  /** How the first session's promise stands: `pending`, or the reason it resolved with. */
  first: string;
}

/** What an action does just after the event, by how the session stands then. */
function expected(testCase: EventCase, action: Action): Expected {
  const { after } = testCase;
  const ended = endReason(testCase);
  if (after === 'running') {
    switch (action) {
      case 'show()':
        return { next: [], state: 'open', open: true, frames: 1, showReturns: 'same', first: 'pending' };
      case 'close()':
      case 'open = false':
        return { next: ['widget-close'], state: 'closed', open: false, frames: 0, first: 'host' };
      case 'token change':
        return { next: ['widget-open'], state: 'open', open: true, frames: 1, first: 'pending' };
      case 'removal':
        return { next: [], state: 'idle', open: true, frames: 0, first: 'pending' };
    }
  }
  switch (action) {
    // A new session on the same token, with a promise of its own.
    case 'show()':
      return { ...again(testCase), showReturns: 'new', first: ended };
    case 'close()':
    case 'open = false':
      return { next: [], state: 'closed', open: false, frames: 0, first: ended };
    case 'token change':
      // Closed: nothing to relaunch. Failed: `open` is still true, so the new token relaunches.
      return after === 'closed'
        ? { next: [], state: 'closed', open: false, frames: 0, first: ended }
        : { next: ['widget-error'], state: 'error', open: true, frames: 0, first: ended };
    case 'removal':
      return {
        next: [],
        state: after === 'closed' ? 'closed' : 'error',
        open: after === 'failed',
        frames: 0,
        first: ended,
      };
  }
}

/** Performs the action; returns what show() returned, when it is the action. */
function act(el: WinkWidget, action: Action): Promise<WinkResult> | undefined {
  switch (action) {
    case 'show()':
      return el.show();
    case 'close()':
      el.close();
      return undefined;
    case 'open = false':
      el.open = false;
      return undefined;
    case 'token change':
      el.token = 'tok-second';
      return undefined;
    case 'removal':
      el.remove();
      return undefined;
  }
}

/** Waits until the `count`-th event of each type in `types` has arrived, then lets the element settle. */
async function settle(el: WinkWidget, log: EventLog, types: string[]): Promise<void> {
  const counts = new Map<string, number>();
  for (const type of types) counts.set(type, (counts.get(type) ?? 0) + 1);
  for (const [type, count] of counts) await log.until(type, { count });
  // Nothing else may follow: give a double event, a second relaunch or a late teardown its chance.
  for (let round = 0; round < 3; round++) {
    await el.updateComplete;
    await new Promise((resolve) => setTimeout(resolve));
  }
}

/** Where a promise stands now: pending, or the reason it resolved with. */
async function standing(promise: Promise<WinkResult>): Promise<string> {
  const pending = Symbol('pending');
  const result = await Promise.race([promise, Promise.resolve().then(() => pending)]);
  return result === pending ? 'pending' : (result as WinkResult).reason;
}

async function run(testCase: EventCase, action: Action, inListener: boolean) {
  const listeners = messageListeners();
  try {
    const { el, log } = mountWidget({
      open: false,
      options: { playByToken: { 'tok-test': testCase.play, 'tok-second': [] }, ...testCase.options },
    });
    let returned: Promise<WinkResult> | undefined;
    let acted = false;
    if (inListener) {
      el.addEventListener(
        testCase.event,
        () => {
          acted = true;
          returned = act(el, action);
        },
        { once: true },
      );
    }
    const first = el.show();
    if (testCase.cause) {
      await log.until('widget-open');
      testCase.cause(el);
    }
    await log.until(testCase.event);
    if (!inListener) returned = act(el, action);
    else expect(acted, 'the listener ran').to.equal(true);
    const want = expected(testCase, action);
    const events = [...before(testCase), ...want.next];
    await settle(el, log, events);
    const where = `${action} ${inListener ? 'inside a listener of' : 'just after'} ${testCase.name ?? testCase.event}`;
    expect(log.types, `${where}: the events`).to.deep.equal(events);
    expect(el.state, `${where}: state`).to.equal(want.state);
    expect(el.open, `${where}: open`).to.equal(want.open);
    expect(el.shadowRoot!.querySelectorAll('iframe').length, `${where}: frames`).to.equal(want.frames);
    expect(await standing(first), `${where}: the first show()`).to.equal(want.first);
    if (want.showReturns === 'same') expect(returned, `${where}: show() returns`).to.equal(first);
    if (want.showReturns === 'new') {
      expect(returned, `${where}: show() returns a new promise`).to.be.instanceOf(Promise);
      expect(returned).not.to.equal(first);
      const { reason } = again(testCase);
      expect(await standing(returned!), `${where}: the new show()`).to.equal(reason ?? 'pending');
    }
    if (action === 'close()' || action === 'open = false') {
      const closes = log.of('widget-close');
      if (testCase.after === 'running') expect(closes.at(-1)!.detail.reason).to.equal('host');
    }
    if (!el.isConnected || want.state !== 'open') expect(listeners.live.size, `${where}: window listeners`).to.equal(0);
    el.remove();
  } finally {
    listeners.restore();
  }
}

describe('<wink-widget> re-entrancy: acting inside a listener is acting just after the event', () => {
  for (const testCase of CASES) {
    for (const action of ACTIONS) {
      it(`${action} in and after ${testCase.name ?? testCase.event}`, async () => {
        await run(testCase, action, true);
        await run(testCase, action, false);
      });
    }
  }

  it('show() from widget-close starts a new session with a new promise, and its result is its own', async () => {
    const { el, log } = mountWidget({
      open: false,
      options: {
        playByToken: {
          'tok-test': [
            ['onAccountConnected', account],
            ['onClose', { reason: 'exit' }],
          ],
          'tok-second': [['onClose', { reason: 'close' }]],
        },
      },
    });
    let again: Promise<WinkResult> | undefined;
    el.addEventListener(
      'widget-close',
      () => {
        el.token = 'tok-second';
        again = el.show();
      },
      { once: true },
    );
    const first = await el.show();
    expect(first).to.deep.equal({ reason: 'exit', accounts: [account], errors: [], uploads: [] });
    expect(again).to.be.instanceOf(Promise);
    expect(await again!).to.deep.equal({ reason: 'close', accounts: [], errors: [], uploads: [] });
    expect(log.types).to.deep.equal([
      'widget-open',
      'account-connected',
      'widget-close',
      'widget-open',
      'widget-close',
    ]);
    expect(el.state).to.equal('closed');
  });
});
