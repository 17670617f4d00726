// show()/close(), the session result, and relaunching on configuration changes.
import { expect } from '@open-wc/testing';
import { mountWidget } from '../support/widget.js';

const account = { accountId: 'acc-1', userId: 'usr-1', providerId: 'prv-1' };
const failed = { accountId: 'acc-2', userId: 'usr-1', providerId: 'prv-2', errorCode: 'INVALID_MFA' };
const upload = { id: 'upl-1', type: 'W2', state: 'PROCESSING', rawFiles: [] };

describe('<wink-widget> show() and close()', () => {
  it('show() opens the widget and resolves with what the session gathered when it closes', async () => {
    const { el, log } = mountWidget({
      open: false,
      play: [
        ['onAccountError', failed],
        ['onAccountConnected', account],
        ['onUploadsCreated', { uploads: [upload], userId: 'usr-1' }],
        ['onClose', { reason: 'exit' }],
      ],
    });
    expect(el.state).to.equal('idle');
    const shown = el.show();
    expect(el.open).to.equal(true);
    expect(el.show()).to.equal(shown);
    const result = await shown;
    expect(result).to.deep.equal({ reason: 'exit', accounts: [account], errors: [failed], uploads: [upload] });
    expect(log.types).to.deep.equal([
      'widget-open',
      'account-error',
      'account-connected',
      'uploads-created',
      'widget-close',
    ]);
    expect(el.state).to.equal('closed');
  });

  it('close() closes with reason host, once, and resolves show()', async () => {
    const { el, log } = mountWidget({ open: false });
    const shown = el.show();
    await log.until('widget-open');
    expect(el.state).to.equal('open');
    el.close();
    el.close();
    expect(el.open).to.equal(false);
    expect(el.state).to.equal('closed');
    expect(await shown).to.deep.equal({ reason: 'host', accounts: [], errors: [], uploads: [] });
    await el.updateComplete;
    expect(log.types).to.deep.equal(['widget-open', 'widget-close']);
    expect(log.of('widget-close')[0].detail).to.deep.equal({ reason: 'host' });
    expect(el.shadowRoot!.querySelector('iframe')).to.equal(null);
  });

  it('removing the open attribute closes like close()', async () => {
    const { el, log } = mountWidget();
    await log.until('widget-open');
    el.removeAttribute('open');
    await log.until('widget-close');
    expect(log.of('widget-close')[0].detail).to.deep.equal({ reason: 'host' });
    expect(el.state).to.equal('closed');
  });

  it('show() resolves with the error when the session fails, and can be called again to retry', async () => {
    const { el, log } = mountWidget({ open: false, token: '' });
    const failedShow = await el.show();
    expect(failedShow.reason).to.equal('error');
    expect(failedShow.error?.code).to.equal('MISSING_TOKEN');
    el.token = 'tok-retry';
    el.options = { play: [['onClose', 'close']] };
    // A token arriving while open relaunches on its own; show() then waits for that session.
    const retried = await el.show();
    expect(retried).to.deep.equal({ reason: 'close', accounts: [], errors: [], uploads: [] });
    expect(log.types).to.deep.equal(['widget-error', 'widget-open', 'widget-close']);
  });

  it('reopens after a close, with a fresh result', async () => {
    const { el } = mountWidget({
      open: false,
      play: [
        ['onAccountConnected', account],
        ['onClose', 'exit'],
      ],
    });
    expect((await el.show()).accounts).to.have.length(1);
    expect((await el.show()).accounts).to.have.length(1);
  });
});

describe('<wink-widget> relaunch on change', () => {
  for (const change of ['token', 'templateId', 'sdkUrl', 'options'] as const) {
    it(`relaunches once when ${change} changes while open`, async () => {
      const { el, log } = mountWidget({ options: { echoConfig: true } });
      await log.until('ui-event');
      const frame = el.shadowRoot!.querySelector('iframe');
      if (change === 'token') el.token = 'tok-new';
      if (change === 'templateId') el.templateId = 'wtpl-new';
      if (change === 'sdkUrl') el.sdkUrl = `${el.sdkUrl}?v=2`;
      if (change === 'options') el.options = { echoConfig: true, companyName: 'Acme' };
      const echo = await log.until('ui-event', { count: 2 });
      const { config } = echo.detail;
      if (change === 'token') expect(config.userToken).to.equal('tok-new');
      if (change === 'templateId') expect(config.templateId).to.equal('wtpl-new');
      if (change === 'options') expect(config.companyName).to.equal('Acme');
      expect(log.of('widget-open')).to.have.length(2);
      expect(el.shadowRoot!.querySelectorAll('iframe')).to.have.length(1);
      expect(el.shadowRoot!.querySelector('iframe')).not.to.equal(frame);
    });
  }

  it('relaunches once for several changes made together', async () => {
    const { el, log } = mountWidget({ options: { echoConfig: true } });
    await log.until('ui-event');
    el.token = 'tok-2';
    el.templateId = 'wtpl-2';
    el.options = { echoConfig: true, enableUpload: true };
    const echo = await log.until('ui-event', { count: 2 });
    expect(echo.detail.config).to.include({ userToken: 'tok-2', templateId: 'wtpl-2', enableUpload: true });
    await el.updateComplete;
    expect(log.of('widget-open')).to.have.length(2);
    expect(el.shadowRoot!.querySelectorAll('iframe')).to.have.length(1);
  });

  it('passes the token, templateId and options to the SDK, with the documented callbacks', async () => {
    const { log } = mountWidget({
      token: 'tok-pass',
      options: { echoConfig: true, providers: ['prv-1'], topProviders: ['prv-2'] },
    });
    const { config } = (await log.until('ui-event')).detail;
    expect(config).to.include({ userToken: 'tok-pass', templateId: 'wtpl-test' });
    expect(config.providers).to.deep.equal(['prv-1']);
    expect(config.topProviders).to.deep.equal(['prv-2']);
  });

  it('updates the label without relaunching', async () => {
    const { el, log } = mountWidget();
    await log.until('widget-open');
    const frame = el.shadowRoot!.querySelector('iframe')!;
    el.label = 'Connect your payroll';
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('iframe')).to.equal(frame);
    expect(frame.title).to.equal('Connect your payroll');
    expect(log.of('widget-open')).to.have.length(1);
  });
});

describe('<wink-widget> attributes removed while open', () => {
  it('a removed sandbox attribute relaunches once in the default sandbox, with no error', async () => {
    const { el, log } = mountWidget({ configure: (widget) => (widget.sandbox = 'allow-scripts') });
    await log.until('widget-open');
    el.removeAttribute('sandbox');
    await log.until('widget-open', { count: 2 });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('iframe')!.getAttribute('sandbox')).to.equal(
      'allow-scripts allow-popups allow-forms',
    );
    expect(log.of('widget-error')).to.have.length(0);
  });
});
