// The `debug` attribute: off, the element logs nothing and loads no log text; on, it logs every
// protocol step with a `[wink-widget]` prefix, and the token appears in no console message and
// nowhere in the DOM or a URL.
import { expect } from '@open-wc/testing';
import { mountWidget } from './support/widget.js';

const METHODS = ['log', 'info', 'debug', 'warn', 'error'] as const;

/** Captures every console message as text from now on; `until(text)` waits for one (bounded). */
function consoleCapture() {
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  // Kept as they are, to be put back as they were.
  const originals = METHODS.map((method) => [method, Reflect.get(console, method) as Console['log']] as const);
  for (const method of METHODS) {
    console[method] = (...args: unknown[]) => {
      lines.push(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '));
      for (const wake of waiters) wake();
    };
  }
  return {
    lines,
    until: (text: string, timeout = 5000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!lines.some((line) => line.includes(text))) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no console line with "${text}" within ${timeout} ms; got:\n${lines.join('\n')}`));
        }, timeout);
        waiters.add(check);
        check();
      }),
    restore: () => originals.forEach(([method, original]) => (console[method] = original as never)),
  };
}

const legit = { accountId: 'acc_dbg', userId: 'usr_dbg', providerId: 'northwind' };

describe('<wink-widget debug>', () => {
  it('is off by default: a whole session logs nothing and loads no log module', async () => {
    const capture = consoleCapture();
    try {
      const { el, log } = mountWidget({
        play: [
          ['onAccountConnected', legit],
          ['onClose', 'exit'],
        ],
      });
      await log.until('widget-close');
      expect(el.debug).to.equal(false);
      expect(el.hasAttribute('debug')).to.equal(false);
      expect(capture.lines).to.deep.equal([]);
      expect(performance.getEntriesByType('resource').some((entry) => entry.name.includes('debug-log'))).to.equal(
        false,
      );
    } finally {
      capture.restore();
    }
  });

  it('logs every step of a full session, and never the token', async () => {
    const token = 'tok-DEBUG-SECRET-9c41e7';
    const capture = consoleCapture();
    try {
      const { el, log } = mountWidget({
        token,
        // The SDK double echoes its config, token included, in a ui-event.
        options: { echoConfig: true },
        play: [
          ['onAccountConnected', legit],
          ['onClose', 'exit'],
        ],
        configure: (widget) => {
          widget.debug = true;
          widget.id = 'payroll';
        },
      });
      // A message from the page itself while the element waits for its handshake.
      postMessage({ wink: 'bridge-ready', v: 2 }, '*');
      await el.updateComplete;
      expect(el.getAttribute('debug')).to.equal('');
      await log.until('widget-close');
      await capture.until('frame and channel torn down');
      const steps = [
        'bridge frame created',
        'message ignored: not from our frame',
        'handshake accepted',
        'launch sent over the channel',
        // The bridge posts in batches: each task's messages leave together.
        'port message: [{"wink":"loaded","v":2}',
        '{"wink":"opened","v":2}',
        'event dispatched: widget-open',
        'event dispatched: account-connected',
        'event dispatched: widget-close',
        'frame and channel torn down',
      ];
      for (const step of steps)
        expect(
          capture.lines.some((line) => line.includes(step)),
          step,
        ).to.equal(true);
      expect(capture.lines.every((line) => line.startsWith('[wink-widget]#payroll '))).to.equal(true);
      expect(capture.lines.some((line) => line.includes('"userToken":"[redacted]"'))).to.equal(true);

      const iframe = el.shadowRoot!.querySelector('iframe');
      const places = [
        ...capture.lines,
        location.href,
        document.documentElement.outerHTML,
        el.outerHTML,
        el.shadowRoot!.innerHTML,
        iframe?.src ?? '',
        iframe?.srcdoc ?? '',
        ...[el, ...el.shadowRoot!.querySelectorAll('*')].flatMap((node) =>
          [...node.attributes].map((attr) => attr.value),
        ),
        ...performance.getEntriesByType('resource').map((entry) => entry.name),
      ];
      for (const place of places) expect(place).not.to.contain(token);
      // The SDK did see it: the redaction is real, not an absent token.
      expect(log.of('ui-event')[0].detail.config.userToken).to.equal(token);
    } finally {
      capture.restore();
    }
  });
});
