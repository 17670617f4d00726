// The built-in bridge under a real Content-Security-Policy response header: the exported hash
// lets it run; without it the bridge is blocked, and the error says so well before `timeout`,
// naming the CSP. A sandbox without allow-scripts is caught the same way.
import { expect } from '@open-wc/testing';
import { BRIDGE_CSP_HASH, type WinkWidget } from '../../src/index.js';
import { EventLog, mountWidget } from '../support/widget.js';

/**
 * Loads /test/csp.html with `hash` allowed, and resolves with its widget, opened (or with
 * `preload`, only preloading), and its log.
 */
async function widgetUnderCsp(hash: string, { preload = false } = {}) {
  const frame = document.createElement('iframe');
  frame.style.cssText = 'width:600px;height:400px;border:0';
  document.body.append(frame);
  await new Promise((resolve) => {
    frame.addEventListener('load', resolve, { once: true });
    frame.src = `/test/csp.html?hash=${encodeURIComponent(hash)}`;
  });
  const page = frame.contentWindow!;
  await page.customElements.whenDefined('wink-widget');
  const el = frame.contentDocument!.querySelector('wink-widget') as WinkWidget;
  const log = new EventLog(el);
  el.token = 'tok-csp';
  if (preload) el.preload = true;
  else el.open = true;
  return { frame, el, log };
}

describe('<wink-widget> under a Content-Security-Policy header', function () {
  this.timeout(15000);

  it('runs when script-src allows BRIDGE_CSP_HASH', async () => {
    const { frame, log } = await widgetUnderCsp(BRIDGE_CSP_HASH);
    try {
      await log.until('widget-open', { timeout: 8000 });
      expect(log.types).to.deep.equal(['widget-open']);
    } finally {
      frame.remove();
    }
  });

  it('reports BRIDGE_BLOCKED, naming the CSP, long before the timeout when the hash is wrong', async () => {
    const wrong = `'sha256-${btoa('x'.repeat(32))}'`;
    const { frame, el, log } = await widgetUnderCsp(wrong);
    try {
      const started = performance.now();
      const error = await log.until('widget-error', { timeout: 8000 });
      expect(error.detail.code).to.equal('BRIDGE_BLOCKED');
      expect(error.detail.message).to.contain('Content-Security-Policy').and.to.contain('BRIDGE_CSP_HASH');
      expect(performance.now() - started).to.be.below(el.timeout);
      expect(log.types).to.deep.equal(['widget-error']);
      expect(el.state).to.equal('error');
    } finally {
      frame.remove();
    }
  });
});

describe('<wink-widget preload> under a Content-Security-Policy header', function () {
  this.timeout(15000);

  it('preloads when script-src allows BRIDGE_CSP_HASH', async () => {
    const { frame, el, log } = await widgetUnderCsp(BRIDGE_CSP_HASH, { preload: true });
    try {
      await log.until('widget-ready', { timeout: 8000 });
      expect(el.ready).to.equal(true);
    } finally {
      frame.remove();
    }
  });

  it('reports a blocked preload as BRIDGE_BLOCKED, as it happens, with no session', async () => {
    const wrong = `'sha256-${btoa('x'.repeat(32))}'`;
    const { frame, el, log } = await widgetUnderCsp(wrong, { preload: true });
    try {
      const started = performance.now();
      const error = await log.until('widget-error', { timeout: 8000 });
      expect(error.detail.code).to.equal('BRIDGE_BLOCKED');
      expect(error.detail.message)
        .to.match(/^preload: /)
        .and.to.contain('BRIDGE_CSP_HASH');
      expect(performance.now() - started).to.be.below(el.timeout);
      expect(log.types).to.deep.equal(['widget-error']);
      expect(el.state).to.equal('idle');
      expect(el.ready).to.equal(false);
    } finally {
      frame.remove();
    }
  });
});

describe('<wink-widget> with a sandbox that forbids scripts', () => {
  it('reports BRIDGE_BLOCKED, naming allow-scripts', async () => {
    const { el, log } = mountWidget({ configure: (widget) => (widget.sandbox = 'allow-popups allow-forms') });
    const error = await log.until('widget-error', { timeout: 8000 });
    expect(error.detail.code).to.equal('BRIDGE_BLOCKED');
    expect(error.detail.message).to.contain('allow-scripts');
    expect(el.state).to.equal('error');
  });
});
