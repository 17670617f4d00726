/**
 * An offline `SmileLinkModal`: the Wink SDK's constructor and `open()`, drawing the documented
 * screens and firing the documented callbacks with sandbox payloads. No network is used.
 */
import type { CloseReason, UiEventName } from '../events.js';
import { ACCOUNT_ERROR_CODES, PROVIDERS, SANDBOX_LOGINS, type FileType, type SimulatedProvider } from './data.js';
import { focusableWhileOverflowing, h, randomHex } from './dom.js';
import { isScenarioName, playScenario, SCENARIOS, type Scenario, type ScenarioName } from './scenarios.js';
import {
  accountErrorScreen,
  fileTypeListScreen,
  archiveSuccessScreen,
  connectSuccessScreen,
  consentScreen,
  expiredScreen,
  loginOptionsScreen,
  loginScreen,
  mfaScreen,
  providerListScreen,
  type ConnectedAccount,
  type Flow,
  type Screen,
  type SimulatedUpload,
  type SimulatorOptions,
} from './screens.js';
import { SIMULATOR_CSS } from './styles.js';
import { readSimulatorToken } from './token.js';

type Callback = (...args: unknown[]) => void;

/** Options only the simulator understands, under `simulator` in the SDK config. */
export interface SimulatorControls {
  /** A scenario to play unattended once opened. */
  scenario?: ScenarioName;
  /** Milliseconds between a scenario's steps (default 500). */
  delay?: number;
  /** Accounts the user connected earlier, so the revoke flow has something to revoke. */
  accounts?: ConnectedAccount[];
  /** Uploads the user made earlier. */
  uploads?: Partial<SimulatedUpload>[];
}

const MAX_TOP_PROVIDERS = 10;

const asStrings = (value: unknown): string[] | undefined =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;

const flag = (value: unknown, fallback: boolean) => (typeof value === 'boolean' ? value : fallback);

/** Applies the SDK's defaults to the documented options the simulator honours. */
function readOptions(config: Record<string, unknown>): SimulatorOptions {
  const only = asStrings(config.providers);
  const providers = only ? PROVIDERS.filter((provider) => only.includes(provider.id)) : PROVIDERS;
  const top = (asStrings(config.topProviders) ?? []).slice(0, MAX_TOP_PROVIDERS);
  const options: SimulatorOptions = {
    companyName: typeof config.companyName === 'string' && config.companyName ? config.companyName : 'This app',
    providers,
    topProviders: top.flatMap((id) => providers.filter((provider) => provider.id === id)),
    enableSearchBar: flag(config.enableSearchBar, true),
    enableTypeBar: flag(config.enableTypeBar, true),
    enableUpload: flag(config.enableUpload, false),
    // The consent page can only be skipped when the user has exactly one provider to go to.
    enableConsentPage: flag(config.enableConsentPage, true) || providers.length !== 1,
  };
  if (typeof config.templateId === 'string') options.templateId = config.templateId;
  return options;
}

export class SmileLinkModal implements Flow {
  readonly options: SimulatorOptions;
  accounts: ConnectedAccount[];
  uploads: SimulatedUpload[];

  readonly #config: Record<string, unknown>;
  readonly #controls: SimulatorControls;
  readonly #userId: string;
  readonly #expiresAt: number | undefined;
  #root?: HTMLElement;
  #expiryTimer?: ReturnType<typeof setTimeout>;
  #stopScenario?: () => void;
  #stopWatchingBody?: () => void;
  #expired = false;
  // The account whose MFA code is being asked for.
  #pending?: { accountId: string; userId: string; providerId: string; mfaCode: string };

  constructor(config: Record<string, unknown> = {}) {
    if (typeof config !== 'object' || config === null) throw new TypeError('SmileLinkModal needs a config object');
    if (typeof config.userToken !== 'string' || !config.userToken)
      throw new TypeError('SmileLinkModal needs a userToken');
    this.#config = config;
    this.#controls = (typeof config.simulator === 'object' && config.simulator) || {};
    const claims = readSimulatorToken(config.userToken);
    this.#userId = claims.userId;
    this.#expiresAt = claims.expiresAt ? Date.parse(claims.expiresAt) : undefined;
    this.options = readOptions(config);
    this.accounts = [...(this.#controls.accounts ?? [])];
    this.uploads = (this.#controls.uploads ?? []).map((upload) =>
      this.#newUpload(upload.type ?? 'PAYSTUB', ['earlier.pdf'], upload),
    );
    const scenario = isScenarioName(this.#controls.scenario)
      ? (SCENARIOS[this.#controls.scenario] as Scenario)
      : undefined;
    if (scenario?.needsUpload) this.options.enableUpload = true;
    if (scenario?.needsEarlier === 'account' && !this.accounts.length) {
      this.accounts.push({
        accountId: `acc_${randomHex()}`,
        providerId: (this.options.providers[0] ?? PROVIDERS[0]).id,
      });
    }
    if (scenario?.needsEarlier === 'upload' && !this.uploads.length)
      this.uploads.push(this.#newUpload('W2', ['w2-2025.pdf']));
  }

  /** Shows the widget. The only documented method of the real SDK. */
  open(): void {
    if (this.#root) return;
    this.#root = h(
      'div',
      { className: 'wink-sim', on: { keydown: (event) => event.key === 'Escape' && this.close('close') } },
      h('style', { text: SIMULATOR_CSS }),
    );
    document.body.append(this.#root);
    if (this.#expiresAt !== undefined && this.#expiresAt <= Date.now()) {
      this.expire();
      return;
    }
    // Timers cannot wait longer than 2^31 - 1 ms; a later expiry is still caught at the next action.
    const remaining = this.#expiresAt === undefined ? Infinity : this.#expiresAt - Date.now();
    if (remaining < 2 ** 31 - 1) this.#expiryTimer = setTimeout(() => this.expire(), remaining);
    if (this.options.enableConsentPage) this.show(consentScreen(this));
    else this.start();
    const scenario = this.#controls.scenario;
    if (isScenarioName(scenario))
      this.#stopScenario = playScenario(this, this.#root, scenario, this.#controls.delay ?? 500);
    else if (scenario !== undefined)
      console.warn(
        `[wink simulator] unknown scenario "${String(scenario)}"; known: ${Object.keys(SCENARIOS).join(', ')}`,
      );
  }

  /** Ends the session now: `onTokenExpired`, then the expired screen. */
  expire(): void {
    if (!this.#root || this.#expired) return;
    this.#expired = true;
    clearTimeout(this.#expiryTimer);
    this.#call('onTokenExpired');
    if (this.#root) this.show(expiredScreen(this));
  }

  close(reason: CloseReason): void {
    if (!this.#root) return;
    clearTimeout(this.#expiryTimer);
    this.#stopScenario?.();
    this.#stopWatchingBody?.();
    this.#root.remove();
    this.#root = undefined;
    this.#call('onClose', { reason });
  }

  show(screen: Screen): void {
    const root = this.#root;
    if (!root) return;
    const titleId = 'wink-sim-title';
    const title = h('h2', { className: 'wink-sim__title', text: screen.title, attrs: { id: titleId, tabindex: '-1' } });
    // When it scrolls, the body is a Tab stop of its own, named by the screen's title.
    const body = h(
      'div',
      { className: 'wink-sim__body', attrs: { role: 'group', 'aria-labelledby': titleId } },
      ...screen.body,
    );
    const card = h(
      'div',
      { className: 'wink-sim__card', attrs: { role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': titleId } },
      h(
        'div',
        { className: 'wink-sim__header' },
        screen.back &&
          h('button', {
            className: 'wink-sim__back',
            text: '←',
            attrs: { type: 'button', 'aria-label': 'Back', 'data-action': 'back' },
            on: { click: screen.back },
          }),
        title,
      ),
      body,
      h(
        'div',
        { className: 'wink-sim__footer' },
        h('span', { className: 'wink-sim__badge', text: 'Sandbox · simulator' }),
        this.options.templateId ? h('span', { text: `Template ${this.options.templateId}` }) : null,
      ),
      // Last in the DOM so that Tab reaches the screen's content first; drawn top right.
      h('button', {
        className: 'wink-sim__close',
        text: '×',
        attrs: { type: 'button', 'aria-label': 'Close', 'data-action': 'close' },
        on: { click: () => this.close('close') },
      }),
    );
    this.#stopWatchingBody?.();
    root.querySelector('.wink-sim__card')?.remove();
    root.append(card);
    this.#stopWatchingBody = focusableWhileOverflowing(body);
    title.focus();
    if (screen.event) this.#uiEvent(screen.event, screen.account ?? null, screen.archive ?? null);
  }

  start(): void {
    const [only] = this.options.providers;
    if (this.options.providers.length === 1 && only) this.chooseProvider(only);
    else this.show(providerListScreen(this));
  }

  chooseProvider(provider: SimulatedProvider): void {
    if (this.#guardExpired()) return;
    if (provider.loginOptions && provider.loginOptions.length > 1) this.show(loginOptionsScreen(this, provider));
    else this.show(loginScreen(this, provider));
  }

  signIn(provider: SimulatedProvider, username: string, password: string): void {
    if (this.#guardExpired()) return;
    const account = { accountId: `acc_${randomHex()}`, userId: this.#userId, providerId: provider.id };
    this.#call('onAccountCreated', account);
    const login = SANDBOX_LOGINS.find((candidate) => candidate.username.toLowerCase() === username.toLowerCase());
    const forced = ACCOUNT_ERROR_CODES.find((code) => code === password);
    const errorCode = forced ?? (login?.password === password ? undefined : 'INVALID_CREDENTIALS');
    if (errorCode) {
      this.#call('onAccountError', { ...account, errorCode });
      this.show(accountErrorScreen(this, provider, errorCode));
    } else if (login?.mfaCode) {
      this.#pending = { ...account, mfaCode: login.mfaCode };
      this.show(mfaScreen(this, provider));
    } else {
      this.#connect(account);
    }
  }

  verify(provider: SimulatedProvider, code: string): void {
    if (this.#guardExpired() || !this.#pending) return;
    const { mfaCode, ...account } = this.#pending;
    this.#pending = undefined;
    if (code === mfaCode) {
      this.#connect(account);
    } else {
      this.#call('onAccountError', { ...account, errorCode: 'INVALID_MFA' });
      this.show(accountErrorScreen(this, provider, 'INVALID_MFA'));
    }
  }

  revokeAccount(account: ConnectedAccount): void {
    if (this.#guardExpired()) return;
    this.accounts = this.accounts.filter((candidate) => candidate.accountId !== account.accountId);
    this.#call('onAccountRemoved', {
      accountId: account.accountId,
      userId: this.#userId,
      providerId: account.providerId,
    });
    this.start();
  }

  upload(fileType: FileType, fileNames: string[]): void {
    if (this.#guardExpired()) return;
    const upload = this.#newUpload(fileType.id, fileNames);
    this.uploads = [...this.uploads, upload];
    this.#call('onUploadsCreated', { uploads: [upload], userId: this.#userId });
    this.show(archiveSuccessScreen(this, fileType));
  }

  revokeUpload(upload: SimulatedUpload): void {
    if (this.#guardExpired()) return;
    this.uploads = this.uploads.filter((candidate) => candidate.id !== upload.id);
    this.#call('onUploadsRemoved', { uploads: [{ ...upload, state: 'REVOKED' }], userId: this.#userId });
    this.show(fileTypeListScreen(this));
  }

  #connect(account: { accountId: string; userId: string; providerId: string }): void {
    this.accounts = [...this.accounts, { accountId: account.accountId, providerId: account.providerId }];
    this.#call('onAccountConnected', account);
    this.show(connectSuccessScreen(this, account));
  }

  #newUpload(type: string, fileNames: string[], preset: Partial<SimulatedUpload> = {}): SimulatedUpload {
    const createdAt = new Date().toISOString();
    return {
      id: `upl_${randomHex()}`,
      userId: this.#userId,
      type,
      state: 'PROCESSING',
      rawFiles: fileNames.map((fileName) => ({
        fileName,
        mimeType: fileName.endsWith('.pdf') ? 'application/pdf' : 'image/*',
        size: 48213,
      })),
      createdAt,
      updatedAt: createdAt,
      ...preset,
    };
  }

  /** True, after reporting the expiry once, when the token has run out. */
  #guardExpired(): boolean {
    if (this.#expired) return true;
    if (this.#expiresAt !== undefined && this.#expiresAt <= Date.now()) {
      this.expire();
      return true;
    }
    return false;
  }

  #uiEvent(eventName: UiEventName, account: Screen['account'], archive: Screen['archive']): void {
    this.#call('onUIEvent', {
      eventName,
      eventTime: new Date().toISOString(),
      mode: 'SANDBOX',
      userId: this.#userId,
      account,
      archive,
    });
  }

  #call(name: string, ...args: unknown[]): void {
    const callback = this.#config[name];
    if (typeof callback !== 'function') return;
    try {
      (callback as Callback)(...args);
    } catch (error) {
      // A host callback's bug must not break the widget; report it as the browser would.
      reportError(error);
    }
  }
}
