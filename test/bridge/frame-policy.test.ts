// Which frames the element renders: an SDK URL that is not https: (or http: on localhost) never
// loads, and allow-same-origin is refused wherever it would put the SDK on the page's own origin.
// Refused frames are never rendered, not even for a moment.
import { expect } from '@open-wc/testing';
import { planFrame, type FrameRequest } from '../../src/bridge/frame-policy.js';
import { DEFAULT_SANDBOX } from '../../src/index.js';
import { OTHER_ORIGIN, mountWidget } from '../support/widget.js';

const request = (overrides: Partial<FrameRequest>): FrameRequest => ({
  sdkUrl: 'https://web.smileapi.io/v2/smile.v2.js',
  bridgeUrl: undefined,
  sandbox: DEFAULT_SANDBOX,
  base: 'https://app.example/account/',
  pageOrigin: 'https://app.example',
  ...overrides,
});

const codeOf = (plan: ReturnType<typeof planFrame>) => ('code' in plan ? plan.code : undefined);

/** Records every iframe the element's shadow root ever holds, from its first render on. */
function watchFrames(el: HTMLElement) {
  const seen: HTMLIFrameElement[] = [];
  const observer = new MutationObserver(() => {
    for (const iframe of el.shadowRoot?.querySelectorAll('iframe') ?? []) if (!seen.includes(iframe)) seen.push(iframe);
  });
  observer.observe(el.shadowRoot!, { subtree: true, childList: true });
  return { seen, stop: () => observer.disconnect() };
}

describe('planFrame', () => {
  it('allows https: anywhere, and http: only on localhost, 127.0.0.1 and [::1]', () => {
    for (const sdkUrl of [
      'https://web.smileapi.io/v2/smile.v2.js',
      'https://mirror.example/smile.js',
      'http://localhost:8000/dist/simulator.js',
      'http://127.0.0.1:8000/dist/simulator.js',
      'http://[::1]:8000/dist/simulator.js',
      '/assets/smile.js',
    ]) {
      expect(codeOf(planFrame(request({ sdkUrl }))), sdkUrl).to.equal(undefined);
    }
    expect(planFrame(request({ sdkUrl: '/assets/smile.js' }))).to.deep.equal({
      sdkUrl: 'https://app.example/assets/smile.js',
      origin: 'null',
    });
  });

  it('refuses every other SDK URL with SDK_URL_NOT_ALLOWED, naming the rule', () => {
    for (const sdkUrl of [
      'data:text/javascript,alert(1)',
      'blob:https://app.example/0c7e7bd0-5ad6-4b1e-9d54-2a3b2c1d0e9f',
      'javascript:alert(1)',
      'http://app.example/smile.js',
      'http://localhost.evil.example/smile.js',
      'ftp://web.smileapi.io/smile.js',
      'file:///etc/passwd',
    ]) {
      const plan = planFrame(request({ sdkUrl }));
      expect(codeOf(plan), sdkUrl).to.equal('SDK_URL_NOT_ALLOWED');
      expect((plan as { message: string }).message).to.equal(
        'sdk-url must be https:, or http: on localhost, 127.0.0.1 or [::1]',
      );
    }
    expect(codeOf(planFrame(request({ base: 'http://localhost:8000/', sdkUrl: 'data:,1' })))).to.equal(
      'SDK_URL_NOT_ALLOWED',
    );
  });

  it('holds bridge-url to the same rule', () => {
    expect(codeOf(planFrame(request({ bridgeUrl: 'javascript:alert(1)' })))).to.equal('BRIDGE_URL_NOT_ALLOWED');
    expect(codeOf(planFrame(request({ bridgeUrl: 'http://bridge.example/bridge.html' })))).to.equal(
      'BRIDGE_URL_NOT_ALLOWED',
    );
    expect(codeOf(planFrame(request({ bridgeUrl: 'https://bridge.example/bridge.html' })))).to.equal(undefined);
  });

  it('refuses allow-same-origin with the built-in bridge, or a bridge-url on the page’s origin, in any case', () => {
    for (const sandbox of [
      `${DEFAULT_SANDBOX} allow-same-origin`,
      'allow-scripts ALLOW-SAME-ORIGIN',
      ' allow-same-origin\tallow-scripts',
    ]) {
      expect(codeOf(planFrame(request({ sandbox }))), sandbox).to.equal('UNSAFE_SANDBOX');
      for (const bridgeUrl of ['/bridge.html', 'https://app.example/widget/bridge.html']) {
        expect(codeOf(planFrame(request({ sandbox, bridgeUrl }))), bridgeUrl).to.equal('UNSAFE_SANDBOX');
      }
      // On an origin of its own, the bridge may have it: the element then checks that origin.
      expect(planFrame(request({ sandbox, bridgeUrl: 'https://bridge.example/bridge.html' }))).to.deep.equal({
        sdkUrl: 'https://web.smileapi.io/v2/smile.v2.js',
        origin: 'https://bridge.example',
      });
    }
  });
});

describe('<wink-widget> refuses unsafe frames before rendering one', () => {
  const cases: [string, (el: import('../../src/index.js').WinkWidget) => void, string][] = [
    [
      'allow-same-origin with the built-in bridge',
      (el) => (el.sandbox = `${DEFAULT_SANDBOX} allow-same-origin`),
      'UNSAFE_SANDBOX',
    ],
    [
      'allow-same-origin with a bridge-url on the page’s origin',
      (el) => {
        el.sandbox = `${DEFAULT_SANDBOX} allow-same-origin`;
        el.bridgeUrl = '/test/hosted-bridge.html';
      },
      'UNSAFE_SANDBOX',
    ],
    [
      'a data: sdk-url',
      (el) => (el.sdkUrl = 'data:text/javascript,parent.postMessage("ran","*")'),
      'SDK_URL_NOT_ALLOWED',
    ],
    ['a javascript: sdk-url', (el) => (el.sdkUrl = 'javascript:parent.postMessage("ran","*")'), 'SDK_URL_NOT_ALLOWED'],
    [
      'a javascript: bridge-url',
      (el) => (el.bridgeUrl = 'javascript:parent.postMessage("ran","*")'),
      'BRIDGE_URL_NOT_ALLOWED',
    ],
  ];
  for (const [what, configure, code] of cases) {
    for (const preload of [false, true]) {
      it(`${what}${preload ? ', preloaded' : ''}: ${code}, state error, and no frame ever`, async () => {
        const ran: unknown[] = [];
        const onMessage = (event: MessageEvent) => event.data === 'ran' && ran.push(event.data);
        addEventListener('message', onMessage);
        try {
          const { el, log } = mountWidget({ open: !preload, configure });
          const frames = watchFrames(el);
          if (preload) el.preload = true;
          const error = await log.until('widget-error');
          expect(error.detail.code).to.equal(code);
          if (preload) expect(error.detail.message).to.match(/^preload: /);
          else expect(el.state).to.equal('error');
          await el.updateComplete;
          frames.stop();
          expect(frames.seen, 'no iframe was rendered').to.deep.equal([]);
          expect(el.shadowRoot!.querySelector('iframe')).to.equal(null);
          expect(ran).to.deep.equal([]);
          if (preload) {
            // And a launch from there is refused the same way, with the token never sent anywhere.
            el.open = true;
            const again = await log.until('widget-error', { count: 2 });
            expect(again.detail.code).to.equal(code);
            expect(el.shadowRoot!.querySelector('iframe')).to.equal(null);
          }
        } finally {
          removeEventListener('message', onMessage);
        }
      });
    }
  }

  it('keeps allow-same-origin working for a bridge-url on an origin of its own', async () => {
    const { log } = mountWidget({
      configure: (el) => {
        el.sandbox = `${DEFAULT_SANDBOX} allow-same-origin`;
        el.bridgeUrl = `${OTHER_ORIGIN}/test/hosted-bridge.html`;
      },
    });
    await log.until('widget-open');
  });
});
