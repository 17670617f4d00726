// Fuzzing the port: an SDK stand-in fires thousands of callbacks with arguments of every hostile
// shape through the real bridge. Each gives exactly one output, the typed event with the right
// detail or INVALID_PAYLOAD, nothing is lost, nothing throws back into the SDK, and neither realm's
// Object.prototype is polluted. Seeded: a failure names its seed, and the same seed replays it.
import { expect } from '@open-wc/testing';
import { WINK_CALLBACKS } from '../../src/index.js';
import { loadFuzz, type WinkFuzz } from '../support/fuzz.js';
import { mountWidget, type LoggedEvent } from '../support/widget.js';

// Change to explore; a failing run prints the one to put back here.
const SEED = 20261129;
const COUNT = 2000;
const FUZZ_SDK = new URL('/test/fixtures/sdk-fuzz.js', location.href).href;

let winkFuzz: WinkFuzz;
before(async () => {
  winkFuzz = await loadFuzz();
});

describe('fuzzing the port', function () {
  this.timeout(60000);

  it(`${COUNT} callbacks of random shapes: one right output each, none lost, none thrown, no pollution (seed ${SEED})`, async () => {
    const uncaught: unknown[] = [];
    const onError = (event: ErrorEvent) => uncaught.push(event.error ?? event.message);
    addEventListener('error', onError);
    try {
      const cases = winkFuzz.callbacks(SEED, COUNT);
      const { el, log } = mountWidget({
        sdkUrl: FUZZ_SDK,
        options: { fuzz: { seed: SEED, count: COUNT } },
        // This test is about the port, not the launch. WebKitGTK under CI has been seen to take
        // over the default 15 s to bring up a first frame, so the launch gets most of the wait.
        configure: (widget) => (widget.timeout = 40000),
      });
      // The summary is the SDK's last callback: every output before it has arrived.
      const summary = await waitForSummary(log.until.bind(log));
      const outputs = log.entries.filter((entry) => entry.type !== 'widget-open' && entry !== summary);
      const replay = `seed ${SEED}`;
      expect(summary.detail, replay).to.include({ fired: COUNT, thrown: 0, polluted: false });
      expect(outputs.length, `${replay}: one output per callback`).to.equal(COUNT);
      const kinds = new Set<string>();
      cases.forEach(({ name, kind, expected }, index) => {
        const output = outputs[index];
        const where = `${replay}, callback #${index} (${name}, ${kind})`;
        kinds.add(kind);
        if ('error' in expected) {
          expect(output.type, where).to.equal('widget-error');
          expect(output.detail, where).to.include({ code: 'INVALID_PAYLOAD', callback: name });
        } else {
          expect(output.type, where).to.equal(WINK_CALLBACKS[name]);
          expect(JSON.stringify(output.detail), where).to.equal(expected.detail);
          expect(Object.isFrozen(output.detail), where).to.equal(true);
        }
      });
      expect([...kinds].sort(), replay).to.deep.equal([
        'bigint-symbol',
        'deep',
        'droppables',
        'huge-string',
        'more-args',
        'not-a-record',
        'proto-keys',
        'throwing-getter',
        'too-deep',
        'valid',
        'wrong-type',
      ]);
      expect('polluted' in {}, `${replay}: Object.prototype of the page`).to.equal(false);
      expect(el.state).to.equal('open');
      expect(uncaught, replay).to.deep.equal([]);
    } finally {
      removeEventListener('error', onError);
    }
  });
});

/** Resolves with the SDK's closing ui-event, 'FuzzSummary'. */
async function waitForSummary(
  until: (type: 'ui-event', options: { count: number; timeout: number }) => Promise<LoggedEvent<'ui-event'>>,
) {
  for (let count = 1; ; count++) {
    const event = await until('ui-event', { count, timeout: 45000 });
    if (event.detail.eventName === 'FuzzSummary') return event;
  }
}
