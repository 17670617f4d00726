// A soak of the lifecycle: hundreds of open/close cycles that mix close(), the SDK closing
// itself, removal and re-adding mid-launch, and a token change mid-launch. Each cycle gives one
// widget-open and one widget-close, and nothing is left behind: no iframe, no window listener.
// It runs twice: as it is, and with `preload`, where each session takes the frame prepared after
// the one before, and removing the element puts the last prepared frame away.
import { expect } from '@open-wc/testing';
import { loadFuzz } from '../support/fuzz.js';
import { messageListeners } from '../support/listeners.js';
import { mountWidget } from '../support/widget.js';

// Change to explore; a failing run prints the one to put back here.
const SEED = 20261201;
const CYCLES = 240;

const WAYS = ['close()', 'sdk-close', 'remove-and-re-add', 'token-change'] as const;

describe('soak', function () {
  this.timeout(90000);

  for (const preload of [false, true])
    it(`${CYCLES} open/close cycles, every way${preload ? ', with preload,' : ''} leave nothing behind (seed ${SEED})`, async () => {
      const random = (await loadFuzz()).generator(SEED);
      const listeners = messageListeners();
      const replay = `seed ${SEED}`;
      try {
        const { el, log } = mountWidget({ open: false, configure: (widget) => (widget.preload = preload) });
        const used = new Set<string>();
        for (let cycle = 0; cycle < CYCLES; cycle++) {
          const way = WAYS[Math.floor(random() * WAYS.length)];
          used.add(way);
          const where = `${replay}, cycle ${cycle} (${way})`;
          el.options = { play: way === 'sdk-close' ? [['onClose', 'exit']] : [] };
          el.open = true;
          if (way === 'remove-and-re-add' || way === 'token-change') {
            // The frame is up and waits for its handshake, which needs a task: the change below
            // comes first, so the first frame never opens.
            await el.updateComplete;
            if (way === 'token-change') el.token = `tok-${cycle}`;
            else {
              // Torn down without events, then launched again, once.
              const parent = el.parentNode!;
              el.remove();
              parent.append(el);
            }
          }
          await log.until('widget-open', { count: cycle + 1 });
          if (way !== 'sdk-close') el.close();
          await log.until('widget-close', { count: cycle + 1 });
          expect(log.of('widget-open').length, where).to.equal(cycle + 1);
          expect(log.of('widget-close').length, where).to.equal(cycle + 1);
        }
        if (preload) {
          // Each close prepared the next session's frame, mostly taken before it was ready. Once
          // the last one is ready, removing the element puts it away.
          if (!el.ready) await log.until('widget-ready', { count: log.of('widget-ready').length + 1 });
          expect(el.shadowRoot!.querySelectorAll('iframe').length, replay).to.equal(1);
          el.remove();
        }
        await el.updateComplete;
        expect([...used].sort(), replay).to.deep.equal([...WAYS].sort());
        expect(el.shadowRoot!.querySelectorAll('iframe').length, replay).to.equal(0);
        expect(document.querySelectorAll('iframe').length, replay).to.equal(0);
        expect(listeners.live.size, `${replay}: window message listeners left`).to.equal(0);
        expect(
          log.types.filter((type) => type !== 'widget-open' && type !== 'widget-close' && type !== 'widget-ready'),
          replay,
        ).to.deep.equal([]);
        expect(el.state).to.equal('closed');
      } finally {
        listeners.restore();
      }
    });
});
