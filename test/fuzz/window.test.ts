// Fuzzing the window: thousands of random, malformed and forged messages reach the page from
// the page itself, from a cross-origin frame and from a sandboxed sibling, before and after the
// handshake, every third one carrying a port. None becomes an event or an exception, and the real
// flow works afterwards. Seeded: a failure names its seed, and the same seed replays it.
import { expect } from '@open-wc/testing';
import { loadFuzz, type WinkFuzz } from '../support/fuzz.js';
import { OTHER_ORIGIN, mountWidget } from '../support/widget.js';

// Change to explore; a failing run prints the one to put back here.
const SEED = 20261130;
const COUNT = 1000;
const WAIT_MS = 15000;

let winkFuzz: WinkFuzz;
before(async () => {
  winkFuzz = await loadFuzz();
});

/** Resolves once `source` has posted `done` to this window (its messages arrive in order). */
function doneFrom(source: () => MessageEventSource | null, done: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      removeEventListener('message', listener);
      reject(new Error(`no ${done} within ${WAIT_MS} ms`));
    }, WAIT_MS);
    const listener = (event: MessageEvent) => {
      if (event.data !== done || event.source !== source()) return;
      removeEventListener('message', listener);
      clearTimeout(timer);
      resolve();
    };
    addEventListener('message', listener);
  });
}

/** One round of fuzz from all three sources; resolves once every message has arrived. */
async function fuzzRound(seed: number): Promise<void> {
  const pageDone = doneFrom(() => window, 'page-done');
  winkFuzz.messages(seed, COUNT).forEach((message, index) => {
    postMessage(message, '*', index % 3 === 0 ? [new MessageChannel().port2] : []);
  });
  postMessage('page-done', '*');
  const frames = [`${OTHER_ORIGIN}/test/fixtures/window-fuzzer.html`, '/test/fixtures/window-fuzzer.html'].map(
    (url, index) => {
      const frame = document.createElement('iframe');
      if (index === 1) frame.setAttribute('sandbox', 'allow-scripts');
      frame.src = `${url}?seed=${seed + 1 + index}&count=${COUNT}`;
      return frame;
    },
  );
  const framesDone = frames.map((frame) => doneFrom(() => frame.contentWindow, 'fuzzer-done'));
  document.body.append(...frames);
  try {
    await Promise.all([pageDone, ...framesDone]);
  } finally {
    for (const frame of frames) frame.remove();
  }
}

describe('fuzzing the window', function () {
  this.timeout(60000);

  it(`${COUNT * 3} messages before and ${COUNT * 3} after the handshake: no event, no exception (seed ${SEED})`, async () => {
    const uncaught: unknown[] = [];
    const onError = (event: ErrorEvent) => uncaught.push(event.error ?? event.message);
    addEventListener('error', onError);
    const replay = `seed ${SEED}`;
    try {
      // A bridge that holds its handshake back until told 'go', so the first round meets the
      // element while it waits for one.
      const { el, log } = mountWidget({ configure: (widget) => (widget.bridgeUrl = '/test/late-bridge.html') });
      await el.updateComplete;
      const bridge = el.shadowRoot!.querySelector('iframe')!;
      await new Promise((resolve) => bridge.addEventListener('load', resolve, { once: true }));
      await fuzzRound(SEED);
      expect(log.types, `${replay}: before the handshake`).to.deep.equal([]);

      bridge.contentWindow!.postMessage('go', '*');
      await log.until('widget-open');
      await fuzzRound(SEED + 10);
      expect(log.types, `${replay}: after the handshake`).to.deep.equal(['widget-open']);

      // The real flow still works: relaunched on the built-in bridge, it plays a whole session.
      const legit = { accountId: 'acc_legit', userId: 'usr_legit', providerId: 'northwind' };
      el.bridgeUrl = undefined;
      el.options = {
        play: [
          ['onAccountConnected', legit],
          ['onClose', 'exit'],
        ],
      };
      await log.until('widget-close');
      expect(log.types, replay).to.deep.equal(['widget-open', 'widget-open', 'account-connected', 'widget-close']);
      expect(log.of('account-connected')[0].detail).to.deep.equal(legit);
      expect(uncaught, replay).to.deep.equal([]);
    } finally {
      removeEventListener('error', onError);
    }
  });
});
