// The simulator on its own, loaded into the test page as the classic script it ships as, so that
// every screen can be inspected (axe) and every option and login checked directly.
import { expect } from '@open-wc/testing';
import type { AccountErrorDetail, CloseDetail, UiEventDetail, UploadsDetail } from '../../src/index.js';
import { createSimulatorToken } from '../../src/simulator/token.js';
import { SIMULATOR_URL } from '../support/simulator.js';

// window.SmileLinkModal is typed by src/simulator/index.ts, the entry of the script loaded below.
/** What any callback may pass, field by field; each test reads the fields its callback has. */
type Payload = Partial<AccountErrorDetail & UiEventDetail & UploadsDetail & CloseDetail>;
type Call = [name: string, payload: Payload];

const CALLBACKS = [
  'onAccountCreated',
  'onAccountConnected',
  'onAccountRemoved',
  'onAccountError',
  'onTokenExpired',
  'onUploadsCreated',
  'onUploadsRemoved',
  'onUIEvent',
  'onClose',
];

before(async () => {
  const script = document.createElement('script');
  script.src = SIMULATOR_URL;
  await new Promise((resolve, reject) => {
    script.onload = resolve;
    script.onerror = reject;
    document.head.append(script);
  });
});

afterEach(() => document.querySelector('.wink-sim')?.remove());

/** Opens a simulator with recording callbacks; `calls` lists [callback, payload] in order. */
function openSimulator(options: Record<string, unknown> = {}, token = createSimulatorToken({ userId: 'usr_unit' })) {
  const calls: Call[] = [];
  const waiters = new Set<() => void>();
  const config: Record<string, unknown> = { userToken: token, templateId: 'wtpl-unit', ...options };
  for (const name of CALLBACKS) {
    config[name] = (payload: Payload) => {
      calls.push([name, payload]);
      for (const wake of waiters) wake();
    };
  }
  new window.SmileLinkModal(config).open();
  const root = document.querySelector<HTMLElement>('.wink-sim')!;
  const $ = <T extends HTMLElement = HTMLElement>(selector: string) => {
    const found = root.querySelector<T>(selector);
    if (!found) throw new Error(`no ${selector} on "${root.querySelector('h2')?.textContent}"`);
    return found;
  };
  const fill = (selector: string, value: string) => {
    const input = $<HTMLInputElement>(selector);
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  };
  const signIn = (username: string, password: string) => {
    fill('input[name="username"]', username);
    fill('input[name="password"]', password);
    $('[data-action="sign-in"]').click();
  };
  const screens = () => calls.filter(([name]) => name === 'onUIEvent').map(([, payload]) => payload.eventName);
  const names = () => calls.map(([name, payload]) => (name === 'onUIEvent' ? payload.eventName : name));
  /** Resolves once a call to `name` has been made, bounded by `timeout`. */
  const callTo = (name: string, timeout = 5000) =>
    new Promise<Call>((resolve, reject) => {
      const check = () => {
        const found = calls.find(([called]) => called === name);
        if (!found) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no ${name}; got ${calls.map(([called]) => called).join(', ')}`));
      }, timeout);
      waiters.add(check);
      check();
    });
  return { calls, root, $, fill, signIn, screens, names, callTo };
}

describe('simulator screens', () => {
  it('draws all twelve documented screens, each accessible, and reports each with its fields', async () => {
    const seen = new Map<string, Payload>();
    const visit = async (sim: ReturnType<typeof openSimulator>) => {
      const event = sim.calls.filter(([name]) => name === 'onUIEvent').at(-1)![1];
      if (!seen.has(event.eventName!)) {
        seen.set(event.eventName!, event);
        await expect(sim.root).to.be.accessible();
      }
    };
    const connect = openSimulator({ enableUpload: true });
    await visit(connect);
    connect.$('[data-action="continue"]').click();
    await visit(connect);
    connect.$('[data-action="survey"]').click();
    await visit(connect);
    connect.$('[data-action="back"]').click();
    connect.$('[data-provider="fabrikam-hr"]').click();
    await visit(connect);
    connect.$('[data-login-option="0"]').click();
    await visit(connect);
    connect.signIn('gpalomero1234@smileapi.io', '123456');
    await visit(connect);
    connect.fill('input[name="code"]', '1234');
    connect.$('[data-action="verify"]').click();
    await visit(connect);
    connect.$('[data-action="connect-another"]').click();
    connect.$('[data-account]').click();
    await visit(connect);
    connect.$('[data-action="keep"]').click();
    connect.$('[data-action="upload"]').click();
    await visit(connect);
    connect.$('[data-file-type="W2"]').click();
    await visit(connect);
    connect.$('[data-action="sample-upload"]').click();
    await visit(connect);
    connect.$('[data-action="upload-more"]').click();
    connect.$('[data-upload]').click();
    await visit(connect);

    expect([...seen.keys()].sort()).to.deep.equal([
      'AccountRevokePageOpened',
      'ArchiveSuccessPageOpened',
      'ConnectSuccessPageOpened',
      'ConsentPageOpened',
      'EmployerSurveyPageOpened',
      'FileTypeListPageOpened',
      'FileTypePageOpened',
      'LoginOptionsPageOpened',
      'LoginPageOpened',
      'MfaPageOpened',
      'ProviderListPageOpened',
      'RevokeArchivePageOpened',
    ]);
    expect(seen.get('LoginPageOpened')!.account).to.deep.equal({ providerId: 'fabrikam-hr' });
    expect(seen.get('FileTypePageOpened')!.archive).to.deep.equal({ fileType: 'W2' });
    expect(seen.get('AccountRevokePageOpened')!.account!.accountId).to.match(/^acc_/);
    for (const event of seen.values()) {
      expect(event).to.include({ mode: 'SANDBOX', userId: 'usr_unit' });
      expect(new Date(event.eventTime!).toISOString()).to.equal(event.eventTime);
    }
  });

  it('labels every input, and focuses each new screen’s heading', () => {
    const sim = openSimulator();
    sim.$('[data-action="continue"]').click();
    expect(document.activeElement).to.equal(sim.$('h2'));
    sim.$('[data-provider="contoso-payroll"]').click();
    expect(document.activeElement?.textContent).to.equal('Sign in to Contoso Payroll');
    for (const input of sim.root.querySelectorAll('input')) {
      expect(input.labels?.[0]?.textContent, input.name).to.be.a('string').and.not.equal('');
    }
  });

  it('closes with reason close on the ×, and on Escape', () => {
    const first = openSimulator();
    first.$('[data-action="close"]').click();
    expect(first.calls.at(-1)).to.deep.equal(['onClose', { reason: 'close' }]);
    expect(document.querySelector('.wink-sim')).to.equal(null);
    const second = openSimulator();
    second.$('[data-action="continue"]').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(second.calls.at(-1)).to.deep.equal(['onClose', { reason: 'close' }]);
  });
});

describe('simulator options', () => {
  it('shows companyName and templateId', () => {
    const sim = openSimulator({ companyName: 'Acme Lending' });
    expect(sim.root.textContent).to.contain('Acme Lending uses Smile');
    expect(sim.root.textContent).to.contain('wtpl-unit');
  });

  it('lists only `providers`, with `topProviders` (at most ten) first', () => {
    const sim = openSimulator({
      providers: ['northwind', 'contoso-payroll', 'coho-vineyard'],
      topProviders: ['coho-vineyard', 'not-listed'],
    });
    sim.$('[data-action="continue"]').click();
    const listed = [...sim.root.querySelectorAll<HTMLElement>('[data-provider]')].map(
      (button) => button.dataset.provider,
    );
    expect(listed).to.deep.equal(['coho-vineyard', 'contoso-payroll', 'northwind']);
  });

  it('hides the search bar and the type bar when disabled, and shows the upload link when enabled', () => {
    const plain = openSimulator({ enableSearchBar: false, enableTypeBar: false });
    plain.$('[data-action="continue"]').click();
    expect(plain.root.querySelector('input[type="search"]')).to.equal(null);
    expect(plain.root.querySelector('[data-type]')).to.equal(null);
    expect(plain.root.querySelector('[data-action="upload"]')).to.equal(null);
    plain.root.remove();
    const full = openSimulator({ enableUpload: true });
    full.$('[data-action="continue"]').click();
    expect(full.root.querySelector('input[type="search"]')).not.to.equal(null);
    expect(full.root.querySelectorAll('[data-type]').length).to.be.greaterThan(2);
    expect(full.root.querySelector('[data-action="upload"]')).not.to.equal(null);
  });

  it('filters by search text and by type', () => {
    const sim = openSimulator();
    sim.$('[data-action="continue"]').click();
    sim.fill('input[type="search"]', 'payroll');
    const names = () =>
      [...sim.root.querySelectorAll<HTMLElement>('[data-provider]')].map((button) => button.dataset.provider);
    expect(names()).to.deep.equal(['contoso-payroll', 'litware-payroll', 'woodgrove-payroll']);
    sim.fill('input[type="search"]', '');
    sim.$('[data-type="GIG"]').click();
    expect(names()).to.deep.equal(['tailspin-rides', 'alpine-deliveries']);
    expect(sim.$('[data-type="GIG"]').getAttribute('aria-pressed')).to.equal('true');
    sim.fill('input[type="search"]', 'zzz');
    expect(sim.root.textContent).to.contain('No provider matches');
  });

  it('skips the consent page for exactly one provider with enableConsentPage: false, and only then', () => {
    const single = openSimulator({ providers: ['northwind'], enableConsentPage: false });
    expect(single.screens()).to.deep.equal(['LoginPageOpened']);
    single.root.remove();
    const two = openSimulator({ providers: ['northwind', 'coho-vineyard'], enableConsentPage: false });
    expect(two.screens()).to.deep.equal(['ConsentPageOpened']);
    two.root.remove();
    const consented = openSimulator({ providers: ['northwind'] });
    consented.$('[data-action="continue"]').click();
    expect(consented.screens()).to.deep.equal(['ConsentPageOpened', 'LoginPageOpened']);
  });

  it('refuses a config without a userToken, as the SDK would', () => {
    expect(() => new window.SmileLinkModal({ templateId: 'x' })).to.throw(/userToken/);
  });
});

describe('simulator logins', () => {
  const logins: [string, string, string | undefined][] = [
    ['gpalomero1234@smileapi.io', '123456', '1234'],
    ['ryan1234@smileapi.io', '654321', undefined],
    ['christina4321@smileapi.io', 'YGUS1', undefined],
    ['anisha98765@smileapi.io', '123456', undefined],
  ];
  for (const [username, password, mfa] of logins) {
    it(`accepts ${username}${mfa ? ' with its MFA code' : ''}`, () => {
      const sim = openSimulator({ providers: ['northwind'] });
      sim.$('[data-action="continue"]').click();
      sim.signIn(username, password);
      if (mfa) {
        sim.fill('input[name="code"]', mfa);
        sim.$('[data-action="verify"]').click();
      }
      expect(sim.names()).to.deep.equal([
        'ConsentPageOpened',
        'LoginPageOpened',
        'onAccountCreated',
        ...(mfa ? ['MfaPageOpened'] : []),
        'onAccountConnected',
        'ConnectSuccessPageOpened',
      ]);
      const [, connected] = sim.calls.find(([name]) => name === 'onAccountConnected')!;
      expect(connected).to.include({ userId: 'usr_unit', providerId: 'northwind' });
    });
  }

  it('can fail with every documented account error code', () => {
    const codes = [
      'ACCOUNT_DISABLED',
      'ACCOUNT_INACCESSIBLE',
      'ACCOUNT_INCOMPLETE',
      'ACCOUNT_LOCKED',
      'AUTH_REQUIRED',
      'EXPIRED_CREDENTIALS',
      'INVALID_ACCOUNT_TYPE',
      'INVALID_AUTH',
      'INVALID_CREDENTIALS',
      'INVALID_MFA',
      'MFA_TIMEOUT',
      'SERVICE_UNAVAILABLE',
      'SYSTEM_ERROR',
      'TOS_REQUIRED',
      'UNSUPPORTED_AUTH_TYPE',
      'UNSUPPORTED_MFA_METHOD',
    ];
    for (const code of codes) {
      const sim = openSimulator({ providers: ['northwind'], enableConsentPage: false });
      sim.signIn('ryan1234@smileapi.io', code);
      const [, error] = sim.calls.find(([name]) => name === 'onAccountError')!;
      expect(error.errorCode).to.equal(code);
      expect(sim.root.textContent).to.contain(code);
      sim.root.remove();
    }
  });

  it('asks again for empty credentials without starting a link', () => {
    const sim = openSimulator({ providers: ['northwind'], enableConsentPage: false });
    sim.$('[data-action="sign-in"]').click();
    expect(sim.$('[role="alert"]').hidden).to.equal(false);
    expect(sim.names()).to.deep.equal(['LoginPageOpened']);
  });
});

describe('simulator tokens', () => {
  it('reports an already expired token at once, instead of the first screen', () => {
    const sim = openSimulator({}, createSimulatorToken({ userId: 'usr_old', expiresAt: '2020-01-01T00:00:00Z' }));
    expect(sim.names()).to.deep.equal(['onTokenExpired']);
    expect(sim.root.textContent).to.contain('Session expired');
    sim.$('[data-action="close-expired"]').click();
    expect(sim.calls.at(-1)).to.deep.equal(['onClose', { reason: 'close' }]);
  });

  it('expires while open when the token runs out, and stops the flow', async () => {
    const sim = openSimulator(
      {},
      createSimulatorToken({ userId: 'usr_soon', expiresAt: new Date(Date.now() + 300).toISOString() }),
    );
    sim.$('[data-action="continue"]').click();
    await sim.callTo('onTokenExpired');
    expect(sim.names()).to.deep.equal(['ConsentPageOpened', 'ProviderListPageOpened', 'onTokenExpired']);
    expect(sim.root.textContent).to.contain('Session expired');
  });

  it('derives a stable user from a token that is not a simulator token', () => {
    const first = openSimulator({}, 'some-real-looking-token');
    const userId = first.calls[0][1].userId;
    first.root.remove();
    const second = openSimulator({}, 'some-real-looking-token');
    expect(userId).to.match(/^usr_sim_[0-9a-f]{8}$/);
    expect(second.calls[0][1].userId).to.equal(userId);
  });
});

describe('simulator scenarios', () => {
  const expected: Record<string, string[]> = {
    connect: [
      'ConsentPageOpened',
      'ProviderListPageOpened',
      'LoginPageOpened',
      'onAccountCreated',
      'onAccountConnected',
      'ConnectSuccessPageOpened',
      'onClose',
    ],
    'connect-mfa': [
      'ConsentPageOpened',
      'ProviderListPageOpened',
      'LoginPageOpened',
      'onAccountCreated',
      'MfaPageOpened',
      'onAccountConnected',
      'ConnectSuccessPageOpened',
      'onClose',
    ],
    'wrong-password': [
      'ConsentPageOpened',
      'ProviderListPageOpened',
      'LoginPageOpened',
      'onAccountCreated',
      'onAccountError',
      'onClose',
    ],
    'wrong-mfa': [
      'ConsentPageOpened',
      'ProviderListPageOpened',
      'LoginPageOpened',
      'onAccountCreated',
      'MfaPageOpened',
      'onAccountError',
      'onClose',
    ],
    'account-locked': [
      'ConsentPageOpened',
      'ProviderListPageOpened',
      'LoginPageOpened',
      'onAccountCreated',
      'onAccountError',
      'onClose',
    ],
    upload: [
      'ConsentPageOpened',
      'ProviderListPageOpened',
      'FileTypeListPageOpened',
      'FileTypePageOpened',
      'onUploadsCreated',
      'ArchiveSuccessPageOpened',
      'onClose',
    ],
    'revoke-account': [
      'ConsentPageOpened',
      'ProviderListPageOpened',
      'AccountRevokePageOpened',
      'onAccountRemoved',
      'ProviderListPageOpened',
      'onClose',
    ],
    'revoke-upload': [
      'ConsentPageOpened',
      'ProviderListPageOpened',
      'FileTypeListPageOpened',
      'RevokeArchivePageOpened',
      'onUploadsRemoved',
      'FileTypeListPageOpened',
      'onClose',
    ],
    close: ['ConsentPageOpened', 'onClose'],
    'token-expired': ['ConsentPageOpened', 'ProviderListPageOpened', 'LoginPageOpened', 'onTokenExpired'],
  };
  for (const [scenario, names] of Object.entries(expected)) {
    it(`plays "${scenario}" unattended`, async () => {
      const sim = openSimulator({ simulator: { scenario, delay: 0 } });
      await sim.callTo(names.at(-1)!);
      expect(sim.names()).to.deep.equal(names);
    });
  }
});

describe('simulator keyboard access', () => {
  /** Resolves with `element`'s tabindex once it equals `expected`, or rejects after 2 s. */
  const tabindexBecomes = (element: HTMLElement, expected: string | null) =>
    new Promise<string | null>((resolve, reject) => {
      const observer = new MutationObserver(() => check());
      const timer = setTimeout(() => {
        observer.disconnect();
        reject(new Error(`tabindex stayed ${element.getAttribute('tabindex')}, not ${expected}`));
      }, 2000);
      const check = () => {
        if (element.getAttribute('tabindex') !== expected) return;
        observer.disconnect();
        clearTimeout(timer);
        resolve(expected);
      };
      observer.observe(element, { attributes: true, attributeFilter: ['tabindex'] });
      check();
    });

  it('makes a screen body a Tab stop while, and only while, its content overflows', async () => {
    const sim = openSimulator();
    sim.$('[data-action="continue"]').click();
    const card = sim.$('.wink-sim__card');
    const body = sim.$('.wink-sim__body');
    expect(body.getAttribute('aria-labelledby')).to.equal(sim.$('h2').id);
    card.style.height = '2000px';
    expect(await tabindexBecomes(body, null)).to.equal(null);
    card.style.height = '200px';
    expect(await tabindexBecomes(body, '0')).to.equal('0');
    expect(body.scrollHeight).to.be.greaterThan(body.clientHeight);
    card.style.height = '2000px';
    expect(await tabindexBecomes(body, null)).to.equal(null);
  });
});
