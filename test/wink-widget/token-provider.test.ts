// tokenProvider: a fresh token at each launch and after token-expired, and its failures.
import { expect } from '@open-wc/testing';
import { mountWidget } from '../support/widget.js';

/** A provider that hands out the given tokens in turn and counts its calls. */
function tokens(...values: string[]) {
  const provider = Object.assign(() => Promise.resolve(values[Math.min(provider.calls++, values.length - 1)]), {
    calls: 0,
  });
  return provider;
}

const echoedToken = (detail: { config?: { userToken?: string } }) => detail.config?.userToken;

describe('<wink-widget> tokenProvider', () => {
  it('is called at launch, and its token reaches the SDK', async () => {
    const provider = tokens('tok-from-provider');
    const { log } = mountWidget({
      token: 'tok-attribute',
      options: { echoConfig: true },
      configure: (widget) => (widget.tokenProvider = provider),
    });
    const echo = await log.until('ui-event');
    expect(echoedToken(echo.detail)).to.equal('tok-from-provider');
    expect(provider.calls).to.equal(1);
  });

  it('is called again after token-expired, and the widget relaunches on the new token', async () => {
    const provider = tokens('tok-1', 'tok-2');
    const { el, log } = mountWidget({
      token: '',
      options: { echoConfig: true, playByToken: { 'tok-1': [['onTokenExpired']], 'tok-2': [] } },
      configure: (widget) => (widget.tokenProvider = provider),
    });
    const second = await log.until('ui-event', { count: 2 });
    expect(echoedToken(second.detail)).to.equal('tok-2');
    expect(provider.calls).to.equal(2);
    expect(log.types).to.deep.equal(['widget-open', 'ui-event', 'token-expired', 'widget-open', 'ui-event']);
    expect(el.state).to.equal('open');
    expect(el.shadowRoot!.querySelectorAll('iframe')).to.have.length(1);
  });

  it('is not called after a token-expired whose default was prevented', async () => {
    const provider = tokens('tok-1', 'tok-2');
    const { el, log } = mountWidget({
      play: [['onTokenExpired'], ['onClose', { reason: 'close' }]],
      configure: (widget) => (widget.tokenProvider = provider),
    });
    el.addEventListener('token-expired', (event) => event.preventDefault());
    await log.until('widget-close');
    expect(provider.calls).to.equal(1);
    expect(log.types).to.deep.equal(['widget-open', 'token-expired', 'widget-close']);
  });

  it('does nothing on token-expired without a provider: the SDK shows its own screen', async () => {
    const { el, log } = mountWidget({ play: [['onTokenExpired'], ['onClose', { reason: 'close' }]] });
    await log.until('widget-close');
    expect(log.types).to.deep.equal(['widget-open', 'token-expired', 'widget-close']);
    expect(el.state).to.equal('closed');
  });

  const failures: [string, () => unknown][] = [
    ['rejects', () => Promise.reject(new Error('auth server down'))],
    [
      'throws',
      () => {
        throw new Error('auth server down');
      },
    ],
    ['resolves to no token', () => Promise.resolve('')],
    ['resolves to a non-string', () => Promise.resolve(42)],
  ];
  for (const [what, provider] of failures) {
    it(`gives TOKEN_PROVIDER_FAILED when the provider ${what}`, async () => {
      const { el, log } = mountWidget({
        configure: (widget) => (widget.tokenProvider = provider as () => Promise<string>),
      });
      const error = await log.until('widget-error');
      expect(error.detail.code).to.equal('TOKEN_PROVIDER_FAILED');
      if (what === 'rejects' || what === 'throws') expect(error.detail.message).to.contain('auth server down');
      expect(el.state).to.equal('error');
      expect(log.types).to.deep.equal(['widget-error']);
    });
  }

  it('gives TOKEN_PROVIDER_FAILED when the relaunch after token-expired fails', async () => {
    let calls = 0;
    const { el, log } = mountWidget({
      play: [['onTokenExpired']],
      configure: (widget) =>
        (widget.tokenProvider = () =>
          calls++ === 0 ? Promise.resolve('tok-1') : Promise.reject(new Error('expired for good'))),
    });
    const error = await log.until('widget-error');
    expect(error.detail.code).to.equal('TOKEN_PROVIDER_FAILED');
    expect(log.types).to.deep.equal(['widget-open', 'token-expired', 'widget-error']);
    expect(el.state).to.equal('error');
  });

  it('stops relaunching with TOKEN_EXPIRED_REPEATEDLY when the token expires a third time within a minute', async () => {
    let calls = 0;
    // Each token it gives expires at once: without a bound, the widget would relaunch for ever.
    const { el, log } = mountWidget({
      play: [['onTokenExpired']],
      configure: (widget) => (widget.tokenProvider = () => Promise.resolve(`tok-short-lived-${++calls}`)),
    });
    const error = await log.until('widget-error');
    expect(error.detail.code).to.equal('TOKEN_EXPIRED_REPEATEDLY');
    expect(calls).to.equal(3);
    const launch = ['widget-open', 'token-expired'];
    expect(log.types).to.deep.equal([...launch, ...launch, ...launch, 'widget-error']);
    expect(el.state).to.equal('error');
    expect(el.shadowRoot!.querySelector('iframe')).to.equal(null);
    // A new show() starts a new count: three more launches, then the same stop.
    const result = el.show();
    await log.until('widget-error', { count: 2 });
    expect(calls).to.equal(6);
    expect((await result).error?.code).to.equal('TOKEN_EXPIRED_REPEATEDLY');
  });

  it('ignores a provider that answers after the widget was closed', async () => {
    let answer!: (token: string) => void;
    const { el, log } = mountWidget({
      configure: (widget) => (widget.tokenProvider = () => new Promise<string>((resolve) => (answer = resolve))),
    });
    await el.updateComplete;
    expect(el.state).to.equal('loading');
    el.close();
    answer('tok-too-late');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('iframe')).to.equal(null);
    expect(el.state).to.equal('closed');
    expect(log.types).to.deep.equal(['widget-close']);
  });
});
