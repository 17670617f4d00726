// End to end: <wink-widget> on the real bridge, the simulator in its iframe, driven by real mouse
// and keyboard input. Each test asserts the exact ordered events of one flow.
import { expect } from '@open-wc/testing';
import { createSimulatorToken } from '../../src/simulator/token.js';
import { SIMULATOR_URL, brief, click, press, setViewport, tabTo, typeInto } from '../support/simulator.js';
import { mountWidget, type EventLog } from '../support/widget.js';

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

function simulator(options: Record<string, unknown> = {}, userId = 'usr_e2e') {
  return mountWidget({
    sdkUrl: SIMULATOR_URL,
    token: createSimulatorToken({ userId }),
    options,
  });
}

const sequence = (log: EventLog) => log.entries.map(brief);

/** The events of reaching the provider list. */
const TO_LIST = ['widget-open', 'ui-event:ConsentPageOpened', 'ui-event:ProviderListPageOpened'];

/** From the first screen to a provider's login page, by mouse. */
async function openLogin(log: EventLog, provider: string) {
  await log.until('ui-event');
  await click('[data-action="continue"]');
  await click(`[data-provider="${provider}"]`);
}

/** Types the credentials and submits with Enter. */
async function signIn(username: string, password: string) {
  await typeInto('input[name="username"]', username);
  await typeInto('input[name="password"]', password);
  await press('Enter');
}

describe('simulator flows through <wink-widget>', function () {
  this.timeout(20000);

  before(() => setViewport({ width: 900, height: 760 }));

  it('connects with MFA, then Done', async () => {
    const { el, log } = simulator();
    await openLogin(log, 'contoso-payroll');
    await signIn('gpalomero1234@smileapi.io', '123456');
    await log.until('ui-event', { count: 4 });
    await typeInto('input[name="code"]', '1234');
    await press('Enter');
    await log.until('account-connected');
    await click('[data-action="done"]');
    await log.until('widget-close');

    expect(sequence(log)).to.deep.equal([
      ...TO_LIST,
      'ui-event:LoginPageOpened',
      'account-created',
      'ui-event:MfaPageOpened',
      'account-connected',
      'ui-event:ConnectSuccessPageOpened',
      'widget-close:exit',
    ]);
    const created = log.of('account-created')[0].detail;
    expect(created).to.deep.equal(log.of('account-connected')[0].detail);
    expect(created).to.include({ userId: 'usr_e2e', providerId: 'contoso-payroll' });
    expect(created.accountId).to.match(/^acc_[0-9a-f]{24}$/);
    for (const { detail } of log.of('ui-event')) {
      expect(detail.mode).to.equal('SANDBOX');
      expect(detail.userId).to.equal('usr_e2e');
      expect(detail.eventTime).to.match(ISO_TIME);
    }
    const [consent, , login, mfa, success] = log.of('ui-event').map((entry) => entry.detail);
    expect(consent.account).to.equal(null);
    expect(login.account).to.deep.equal({ providerId: 'contoso-payroll' });
    expect(mfa.account).to.deep.equal({ providerId: 'contoso-payroll' });
    expect(success.account).to.deep.equal({ providerId: 'contoso-payroll', accountId: created.accountId });
    expect(el.open).to.equal(false);
  });

  it('reports a wrong password as INVALID_CREDENTIALS, then Exit closes with reason error', async () => {
    const { log } = simulator();
    await openLogin(log, 'northwind');
    await typeInto('input[name="username"]', 'ryan1234@smileapi.io');
    await typeInto('input[name="password"]', 'not-654321');
    await click('[data-action="sign-in"]');
    await log.until('account-error');
    await click('[data-action="exit"]');
    await log.until('widget-close');
    expect(sequence(log)).to.deep.equal([
      ...TO_LIST,
      'ui-event:LoginPageOpened',
      'account-created',
      'account-error:INVALID_CREDENTIALS',
      'widget-close:error',
    ]);
    expect(log.of('account-error')[0].detail).to.include({ userId: 'usr_e2e', providerId: 'northwind' });
  });

  it('reports a wrong MFA code as INVALID_MFA', async () => {
    const { log } = simulator();
    await openLogin(log, 'contoso-payroll');
    await signIn('gpalomero1234@smileapi.io', '123456');
    await log.until('ui-event', { count: 4 });
    await typeInto('input[name="code"]', '9999');
    await press('Enter');
    await log.until('account-error');
    await click('[data-action="exit"]');
    await log.until('widget-close');
    expect(sequence(log)).to.deep.equal([
      ...TO_LIST,
      'ui-event:LoginPageOpened',
      'account-created',
      'ui-event:MfaPageOpened',
      'account-error:INVALID_MFA',
      'widget-close:error',
    ]);
  });

  it('uploads a document, then Done', async () => {
    const { log } = simulator({ enableUpload: true });
    await log.until('ui-event');
    await click('[data-action="continue"]');
    await click('[data-action="upload"]');
    await click('[data-file-type="PAYSTUB"]');
    await click('[data-action="sample-upload"]');
    await log.until('uploads-created');
    await click('[data-action="done"]');
    await log.until('widget-close');
    expect(sequence(log)).to.deep.equal([
      ...TO_LIST,
      'ui-event:FileTypeListPageOpened',
      'ui-event:FileTypePageOpened',
      'uploads-created',
      'ui-event:ArchiveSuccessPageOpened',
      'widget-close:exit',
    ]);
    const { uploads, userId } = log.of('uploads-created')[0].detail;
    expect(userId).to.equal('usr_e2e');
    expect(uploads).to.have.length(1);
    // The SDK's upload objects are not documented; the simulator's have these fields.
    const [upload] = uploads as { id: string; rawFiles: unknown }[];
    expect(upload).to.include({ userId: 'usr_e2e', type: 'PAYSTUB', state: 'PROCESSING' });
    expect(upload.id).to.match(/^upl_[0-9a-f]{24}$/);
    expect(upload.rawFiles).to.deep.equal([
      { fileName: 'sample-paystub.pdf', mimeType: 'application/pdf', size: 48213 },
    ]);
    expect(log.of('ui-event')[3].detail.archive).to.deep.equal({ fileType: 'PAYSTUB' });
  });

  it('revokes an account', async () => {
    const { log } = simulator({ simulator: { accounts: [{ accountId: 'acc_earlier', providerId: 'northwind' }] } });
    await log.until('ui-event');
    await click('[data-action="continue"]');
    await click('[data-account="acc_earlier"]');
    await click('[data-action="revoke"]');
    await log.until('account-removed');
    await click('[data-action="close"]');
    await log.until('widget-close');
    expect(sequence(log)).to.deep.equal([
      ...TO_LIST,
      'ui-event:AccountRevokePageOpened',
      'account-removed',
      'ui-event:ProviderListPageOpened',
      'widget-close:close',
    ]);
    expect(log.of('account-removed')[0].detail).to.deep.equal({
      accountId: 'acc_earlier',
      userId: 'usr_e2e',
      providerId: 'northwind',
    });
    expect(log.of('ui-event')[2].detail.account).to.deep.equal({ providerId: 'northwind', accountId: 'acc_earlier' });
  });

  it('revokes an upload', async () => {
    const { log } = simulator({ enableUpload: true, simulator: { uploads: [{ id: 'upl_earlier', type: 'W2' }] } });
    await log.until('ui-event');
    await click('[data-action="continue"]');
    await click('[data-action="upload"]');
    await click('[data-upload="upl_earlier"]');
    await click('[data-action="revoke"]');
    await log.until('uploads-removed');
    await click('[data-action="close"]');
    await log.until('widget-close');
    expect(sequence(log)).to.deep.equal([
      ...TO_LIST,
      'ui-event:FileTypeListPageOpened',
      'ui-event:RevokeArchivePageOpened',
      'uploads-removed',
      'ui-event:FileTypeListPageOpened',
      'widget-close:close',
    ]);
    const { uploads } = log.of('uploads-removed')[0].detail;
    expect((uploads as { id: string; type: string }[]).map((upload) => [upload.id, upload.type])).to.deep.equal([
      ['upl_earlier', 'W2'],
    ]);
  });

  it('closes from the × on the first screen', async () => {
    const { el, log } = simulator();
    await log.until('ui-event');
    await click('[data-action="close"]');
    await log.until('widget-close');
    expect(sequence(log)).to.deep.equal(['widget-open', 'ui-event:ConsentPageOpened', 'widget-close:close']);
    expect(el.state).to.equal('closed');
  });

  it('expires the token mid-flow, and relaunches on a fresh token from tokenProvider', async () => {
    const tokens = [
      createSimulatorToken({ userId: 'usr_first', expiresAt: new Date(Date.now() + 3000).toISOString() }),
      createSimulatorToken({ userId: 'usr_second' }),
    ];
    let calls = 0;
    const { log } = mountWidget({
      sdkUrl: SIMULATOR_URL,
      configure: (widget) => (widget.tokenProvider = () => Promise.resolve(tokens[Math.min(calls++, 1)])),
    });
    await log.until('ui-event');
    await click('[data-action="continue"]');
    await log.until('ui-event', { count: 2 });
    await log.until('ui-event', { count: 3, timeout: 8000 });
    expect(sequence(log)).to.deep.equal([...TO_LIST, 'token-expired', 'widget-open', 'ui-event:ConsentPageOpened']);
    expect(log.of('ui-event').map((entry) => entry.detail.userId)).to.deep.equal([
      'usr_first',
      'usr_first',
      'usr_second',
    ]);
    expect(calls).to.equal(2);
  });

  it('can be used with the keyboard alone', async () => {
    const before = document.createElement('button');
    before.textContent = 'Before the widget';
    document.body.prepend(before);
    try {
      const { log } = simulator();
      await log.until('ui-event');
      before.focus();
      await tabTo('[data-action="continue"]');
      await press('Enter');
      await log.until('ui-event', { count: 2 });
      await tabTo('input[name="search"]');
      await sendText('wide world');
      await press('Enter');
      await log.until('ui-event', { count: 3 });
      await tabTo('input[name="username"]');
      await sendText('christina4321@smileapi.io');
      await tabTo('input[name="password"]');
      await sendText('YGUS1');
      await press('Enter');
      await log.until('account-connected');
      await tabTo('[data-action="done"]');
      await press('Enter');
      await log.until('widget-close');
      expect(sequence(log)).to.deep.equal([
        ...TO_LIST,
        'ui-event:LoginPageOpened',
        'account-created',
        'account-connected',
        'ui-event:ConnectSuccessPageOpened',
        'widget-close:exit',
      ]);
      expect(log.of('account-connected')[0].detail.providerId).to.equal('wide-world');
    } finally {
      before.remove();
    }
  });
});

async function sendText(text: string) {
  const { sendKeys } = await import('@web/test-runner-commands');
  await sendKeys({ type: text });
}
