// The element end to end through the real bridge iframe, with the SDK double playing callbacks.
import { expect } from '@open-wc/testing';
import { WINK_CALLBACKS, type CallbackName } from '../src/index.js';
import { mountWidget } from './support/widget.js';

const account = { accountId: 'acc-1', userId: 'usr-1', providerId: 'prv-1' };
const uiEvent = {
  eventName: 'LoginPageOpened',
  eventTime: '2026-11-22T10:00:00.000Z',
  mode: 'SANDBOX',
  userId: 'usr-1',
  account: { providerId: 'prv-1' },
  archive: null,
};

/** One documented payload per callback, and the detail it must become. */
const CASES: Record<CallbackName, { args: unknown[]; detail: Record<string, unknown> }> = {
  onAccountCreated: { args: [account], detail: account },
  onAccountConnected: { args: [account], detail: account },
  onAccountRemoved: { args: [account], detail: account },
  onAccountError: {
    args: [{ ...account, errorCode: 'INVALID_CREDENTIALS' }],
    detail: { ...account, errorCode: 'INVALID_CREDENTIALS' },
  },
  onTokenExpired: { args: [], detail: {} },
  onUploadsCreated: {
    args: [{ uploads: [{ id: 'upl-1', type: 'PAYSTUB', state: 'PROCESSING' }], userId: 'usr-1' }],
    detail: { uploads: [{ id: 'upl-1', type: 'PAYSTUB', state: 'PROCESSING' }], userId: 'usr-1' },
  },
  onUploadsRemoved: {
    args: [{ uploads: [{ id: 'upl-1' }], userId: 'usr-1' }],
    detail: { uploads: [{ id: 'upl-1' }], userId: 'usr-1' },
  },
  onUIEvent: { args: [uiEvent], detail: uiEvent },
  onClose: { args: [{ reason: 'exit' }], detail: { reason: 'exit' } },
};

describe('<wink-widget> callback events', () => {
  for (const [name, type] of Object.entries(WINK_CALLBACKS) as [CallbackName, string][]) {
    it(`${name} becomes ${type} with the exact, frozen detail, then calls callbacks.${name}`, async () => {
      const { args, detail } = CASES[name];
      const called: unknown[] = [];
      const { el, log } = mountWidget({
        play: [[name, ...args]],
        configure: (widget) => {
          widget.callbacks = {
            [name]: (value: unknown) => called.push({ value, eventsSoFar: log.of(type).length }),
          };
        },
      });
      const entry = await log.until(type);
      expect(entry.detail).to.deep.equal(detail);
      expect(Object.isFrozen(entry.detail)).to.equal(true);
      expect(entry.event.bubbles).to.equal(true);
      expect(entry.event.composed).to.equal(false);
      expect(entry.event.cancelable).to.equal(name === 'onTokenExpired');
      expect(called).to.deep.equal([{ value: entry.detail, eventsSoFar: 1 }]);
      expect(log.types.slice(0, 2)).to.deep.equal(['widget-open', type]);
      expect(log.of('widget-error')).to.have.length(0);
      el.close();
    });
  }

  it('keeps extra fields and deep-freezes nested ones', async () => {
    const { log } = mountWidget({
      play: [['onUIEvent', { ...uiEvent, extra: { nested: [1, 2] } }]],
    });
    const { detail } = await log.until('ui-event');
    const { extra } = detail as typeof detail & { extra: { nested: number[] } };
    expect(extra).to.deep.equal({ nested: [1, 2] });
    expect(Object.isFrozen(extra.nested)).to.equal(true);
    expect(Object.isFrozen(detail.account)).to.equal(true);
  });

  it('bubbles to ancestors but does not leave a shadow root', async () => {
    const { el, log } = mountWidget({ play: [['onAccountConnected', account]] });
    const heard: string[] = [];
    el.parentElement!.addEventListener('account-connected', () => heard.push('parent'));
    await log.until('account-connected');
    expect(heard).to.deep.equal(['parent']);
  });

  it('accepts onClose as { reason } and as a bare string, and closes the element', async () => {
    for (const arg of [{ reason: 'close' }, 'exit']) {
      const { el, log } = mountWidget({ play: [['onClose', arg]] });
      const entry = await log.until('widget-close');
      expect(entry.detail).to.deep.equal({ reason: typeof arg === 'string' ? arg : arg.reason });
      expect(el.open).to.equal(false);
      expect(el.state).to.equal('closed');
      expect(el.getAttribute('state')).to.equal('closed');
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('iframe')).to.equal(null);
      expect(el.hasAttribute('open')).to.equal(false);
    }
  });

  it('reports callbacks fired inside open() after widget-open, in order', async () => {
    const { log } = mountWidget({
      options: {
        playDuringOpen: [
          ['onUIEvent', uiEvent],
          ['onAccountCreated', account],
        ],
      },
    });
    await log.until('account-created');
    expect(log.types).to.deep.equal(['widget-open', 'ui-event', 'account-created']);
  });

  it('drops functions, DOM objects and cycles from SDK arguments instead of failing to post them', async () => {
    const { log } = mountWidget({
      play: [
        ['onTokenExpired', '$function'],
        [
          'onAccountConnected',
          { ...account, node: '$node', win: '$window', fn: '$function', err: '$error', loop: '$cycle' },
        ],
      ],
    });
    const connected = await log.until('account-connected');
    expect(connected.detail).to.deep.equal({ ...account, loop: { name: 'cycle' } });
    expect(log.types).to.deep.equal(['widget-open', 'token-expired', 'account-connected']);
  });
});

describe('<wink-widget> invalid payloads', () => {
  const invalid: [CallbackName, unknown[]][] = [
    ['onAccountConnected', [{ ...account, accountId: 42 }]],
    ['onAccountCreated', []],
    ['onAccountError', [{ ...account, errorCode: null }]],
    ['onUploadsCreated', [{ uploads: 'not-a-list', userId: 'usr-1' }]],
    ['onUIEvent', [{ ...uiEvent, account: 'prv-1' }]],
    ['onUIEvent', [{ ...uiEvent, archive: { fileType: 7 } }]],
  ];
  for (const [name, args] of invalid) {
    it(`${name}(${JSON.stringify(args)}) gives INVALID_PAYLOAD carrying the payload, and no ${WINK_CALLBACKS[name]}`, async () => {
      const { log } = mountWidget({
        play: [
          [name, ...args],
          ['onAccountRemoved', account],
        ],
      });
      const error = await log.until('widget-error');
      expect(error.detail.code).to.equal('INVALID_PAYLOAD');
      expect(error.detail.callback).to.equal(name);
      expect(error.detail.payload).to.deep.equal(args.length === 1 ? args[0] : args);
      expect(error.detail.message).to.be.a('string').and.not.equal('');
      await log.until('account-removed');
      expect(log.types).to.deep.equal(['widget-open', 'widget-error', 'account-removed']);
    });
  }

  it('closes the element on an unreadable onClose, reporting it as INVALID_PAYLOAD only', async () => {
    const { el, log } = mountWidget({ open: false, play: [['onClose', { reason: 3 }]] });
    const { reason, error } = await el.show();
    expect(reason).to.equal('error');
    expect(error?.code).to.equal('INVALID_PAYLOAD');
    expect(log.types).to.deep.equal(['widget-open', 'widget-error']);
    expect(el.open).to.equal(false);
  });
});
