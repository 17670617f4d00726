// Removal and reconnection, modal mode, focus and accessibility.
import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { WinkWidget } from '../../src/index.js';
import { messageListeners } from '../support/listeners.js';
import { DOUBLE_URL, EventLog, mountWidget } from '../support/widget.js';

/** Counts MessagePort.close() calls from now on. */
function portCloses() {
  // Kept as it is, to be put back as it was.
  const close = Reflect.get<MessagePort, 'close'>(MessagePort.prototype, 'close');
  const spy = { count: 0, restore: () => (MessagePort.prototype.close = close) };
  MessagePort.prototype.close = function (this: MessagePort) {
    spy.count++;
    return close.call(this);
  };
  return spy;
}

describe('<wink-widget> removal and reconnection', () => {
  it('removing an open widget leaves no iframe, no window listener and no open channel', async () => {
    const listeners = messageListeners();
    const closes = portCloses();
    try {
      const { el, log } = mountWidget({
        play: [['onAccountCreated', { accountId: 'a', userId: 'u', providerId: 'p' }]],
      });
      await log.until('account-created');
      expect(listeners.live.size).to.equal(0, 'the handshake listener is gone once the port is up');
      el.remove();
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('iframe')).to.equal(null);
      expect(listeners.live.size).to.equal(0);
      expect(closes.count).to.equal(1);
      expect(log.types).to.deep.equal(['widget-open', 'account-created']);
    } finally {
      listeners.restore();
      closes.restore();
    }
  });

  it('removing a widget during its handshake removes the window listener too', async () => {
    const listeners = messageListeners();
    try {
      const { el } = mountWidget();
      await el.updateComplete;
      expect(listeners.live.size).to.equal(1);
      el.remove();
      expect(listeners.live.size).to.equal(0);
    } finally {
      listeners.restore();
    }
  });

  it('putting an open widget back launches it again, exactly once', async () => {
    const listeners = messageListeners();
    try {
      const { el, log } = mountWidget({ options: { echoConfig: true } });
      await log.until('ui-event');
      const parent = el.parentElement!;
      el.remove();
      parent.append(el);
      await log.until('ui-event', { count: 2 });
      await el.updateComplete;
      expect(log.types).to.deep.equal(['widget-open', 'ui-event', 'widget-open', 'ui-event']);
      expect(el.shadowRoot!.querySelectorAll('iframe')).to.have.length(1);
      expect(listeners.live.size).to.equal(0);
      expect(el.state).to.equal('open');
    } finally {
      listeners.restore();
    }
  });

  it('moving an open widget relaunches it once in its new place', async () => {
    const { el, log } = mountWidget();
    await log.until('widget-open');
    const elsewhere = document.createElement('div');
    document.body.append(elsewhere);
    try {
      elsewhere.append(el);
      await log.until('widget-open', { count: 2 });
      await el.updateComplete;
      expect(el.shadowRoot!.querySelectorAll('iframe')).to.have.length(1);
      expect(log.of('widget-open')).to.have.length(2);
    } finally {
      elsewhere.remove();
    }
  });
});

describe('<wink-widget modal>', () => {
  it('is a real modal dialog, and closing returns focus to the opener', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`
      <div>
        <button id="opener">Connect payroll</button>
        <wink-widget modal sdk-url=${DOUBLE_URL}></wink-widget>
      </div>
    `);
    const button = wrapper.querySelector('button')!;
    const el = wrapper.querySelector<WinkWidget>('wink-widget')!;
    const log = new EventLog(el);
    el.token = 'tok-modal';
    el.options = { play: [] };
    button.addEventListener('click', () => void el.show());
    button.focus();
    await sendKeys({ press: 'Enter' });
    await log.until('widget-open');
    await el.updateComplete;
    const dialog = el.shadowRoot!.querySelector('dialog')!;
    expect(dialog.matches(':modal')).to.equal(true);
    expect(dialog.contains(el.shadowRoot!.querySelector('iframe'))).to.equal(true);
    expect(document.activeElement).not.to.equal(button);
    el.close();
    await el.updateComplete;
    expect(dialog.open).to.equal(false);
    expect(document.activeElement).to.equal(button);
  });

  it('Escape on the dialog closes the widget with reason host', async () => {
    const { el, log } = mountWidget({ modal: true });
    await log.until('widget-open');
    await el.updateComplete;
    const dialog = el.shadowRoot!.querySelector('dialog')!;
    dialog.focus();
    await sendKeys({ press: 'Escape' });
    const closed = await log.until('widget-close');
    expect(closed.detail).to.deep.equal({ reason: 'host' });
    expect(el.open).to.equal(false);
    await el.updateComplete;
    expect(dialog.open).to.equal(false);
  });

  it('closes its dialog when the SDK closes', async () => {
    const { el, log } = mountWidget({ modal: true, play: [['onClose', { reason: 'exit' }]] });
    await log.until('widget-close');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('dialog')!.open).to.equal(false);
  });
});

describe('<wink-widget> accessibility', () => {
  it('passes axe inline', async () => {
    const { el, log } = mountWidget();
    await log.until('widget-open');
    await expect(el).to.be.accessible();
    expect(el.shadowRoot!.querySelector('iframe')!.title).to.equal('Smile Wink Widget');
  });

  it('passes axe in modal mode, with a labelled dialog', async () => {
    const { el, log } = mountWidget({ modal: true, configure: (widget) => (widget.label = 'Connect your employer') });
    await log.until('widget-open');
    await el.updateComplete;
    await expect(el).to.be.accessible();
    expect(el.shadowRoot!.querySelector('dialog')!.getAttribute('aria-label')).to.equal('Connect your employer');
  });
});

describe('<wink-widget> loading slot', () => {
  it('shows slotted loading content only while the widget loads', async () => {
    let answer!: (token: string) => void;
    const { el, log } = mountWidget({
      configure: (widget) => {
        widget.tokenProvider = () => new Promise<string>((resolve) => (answer = resolve));
        widget.innerHTML = '<p slot="loading">Connecting…</p>';
      },
    });
    await el.updateComplete;
    const slot = () => el.shadowRoot!.querySelector<HTMLSlotElement>('slot[name="loading"]');
    expect(el.state).to.equal('loading');
    expect(
      slot()!
        .assignedElements()
        .map((node) => node.textContent),
    ).to.deep.equal(['Connecting…']);
    answer('tok-slow');
    await log.until('widget-open');
    await el.updateComplete;
    expect(slot()).to.equal(null);
  });
});
