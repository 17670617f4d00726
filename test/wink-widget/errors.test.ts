// Every failure becomes a widget-error with a code, never an exception or a silent stall.
import { expect } from '@open-wc/testing';
import { mountWidget } from '../support/widget.js';

describe('<wink-widget> errors', () => {
  it('MISSING_TOKEN when opened with neither token nor tokenProvider', async () => {
    const { el, log } = mountWidget({ token: '' });
    const error = await log.until('widget-error');
    expect(error.detail.code).to.equal('MISSING_TOKEN');
    expect(Object.isFrozen(error.detail)).to.equal(true);
    expect(el.state).to.equal('error');
    expect(el.getAttribute('state')).to.equal('error');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('iframe')).to.equal(null);
  });

  it('recovers from MISSING_TOKEN when a token arrives while open', async () => {
    const { el, log } = mountWidget({ token: '' });
    await log.until('widget-error');
    el.token = 'tok-late';
    await log.until('widget-open');
    expect(el.state).to.equal('open');
    expect(log.types).to.deep.equal(['widget-error', 'widget-open']);
  });

  it('SDK_LOAD_FAILED when the SDK script 404s', async () => {
    const { el, log } = mountWidget({ sdkUrl: '/test/fixtures/no-such-sdk.js' });
    const error = await log.until('widget-error');
    expect(error.detail.code).to.equal('SDK_LOAD_FAILED');
    expect(error.detail.message).to.contain('/test/fixtures/no-such-sdk.js');
    expect(el.state).to.equal('error');
    expect(log.types).to.deep.equal(['widget-error']);
  });

  it('SDK_ERROR when the SmileLinkModal constructor throws', async () => {
    const { el, log } = mountWidget({ options: { throwOnConstruct: 'templateId is unknown' } });
    const error = await log.until('widget-error');
    expect(error.detail).to.deep.equal({ code: 'SDK_ERROR', message: 'templateId is unknown' });
    expect(el.state).to.equal('error');
    expect(log.types).to.deep.equal(['widget-error']);
  });

  it('SDK_ERROR when the script loads but defines no SmileLinkModal', async () => {
    const { log } = mountWidget({ sdkUrl: '/test/fixtures/not-the-sdk.js' });
    const error = await log.until('widget-error');
    expect(error.detail.code).to.equal('SDK_ERROR');
    expect(error.detail.message).to.contain('SmileLinkModal');
  });

  it('BRIDGE_TIMEOUT when the bridge never answers within `timeout`', async () => {
    const { el, log } = mountWidget({
      configure: (widget) => {
        widget.bridgeUrl = '/test/fixtures/silent-bridge.html';
        widget.timeout = 300;
      },
    });
    const error = await log.until('widget-error', { timeout: 3000 });
    expect(error.detail.code).to.equal('BRIDGE_TIMEOUT');
    expect(error.detail.message).to.contain('300');
    expect(el.state).to.equal('error');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('iframe')).to.equal(null);
  });

  it('BRIDGE_VERSION_MISMATCH at once when the bridge greets in another protocol version', async () => {
    const { el, log } = mountWidget({
      open: false,
      configure: (widget) => (widget.bridgeUrl = '/test/fixtures/bridge-v1.html'),
    });
    const started = performance.now();
    const result = await el.show();
    const error = await log.until('widget-error');
    expect(error.detail.code).to.equal('BRIDGE_VERSION_MISMATCH');
    expect(error.detail.message).to.contain('protocol v1').and.contain('element v2').and.contain('bridge.html');
    // Long before the 15 s `timeout`: the mismatch does not wait for it.
    expect(performance.now() - started, 'reported before the timeout').to.be.below(el.timeout / 2);
    expect(result.error?.code).to.equal('BRIDGE_VERSION_MISMATCH');
    expect(el.state).to.equal('error');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('iframe')).to.equal(null);
    expect(log.types).to.deep.equal(['widget-error']);
  });

  it('INVALID_OPTIONS when options hold something that cannot reach the iframe', async () => {
    const { el, log } = mountWidget({ options: { onSomething: () => {} } });
    const error = await log.until('widget-error');
    expect(error.detail.code).to.equal('INVALID_OPTIONS');
    expect(el.state).to.equal('error');
  });

  it('reports a throwing callbacks handler like a throwing listener, and keeps going', async () => {
    const reported: unknown[] = [];
    const previous = window.onerror;
    window.onerror = (_message, _source, _line, _column, error) => {
      reported.push(error);
      return true;
    };
    try {
      const { log } = mountWidget({
        play: [
          ['onAccountCreated', { accountId: 'a', userId: 'u', providerId: 'p' }],
          ['onAccountConnected', { accountId: 'a', userId: 'u', providerId: 'p' }],
        ],
        configure: (widget) => {
          widget.callbacks = {
            onAccountCreated() {
              throw new Error('handler bug');
            },
          };
        },
      });
      await log.until('account-connected');
      expect(reported.map((error) => (error as Error).message)).to.deep.equal(['handler bug']);
      expect(log.types).to.deep.equal(['widget-open', 'account-created', 'account-connected']);
    } finally {
      window.onerror = previous;
    }
  });
});
