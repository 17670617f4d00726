import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { keyed } from 'lit/directives/keyed.js';
import { BridgeConnection } from './bridge/bridge-connection.js';
import { BRIDGE_HTML } from './bridge/bridge-document.js';
import type {
  CallbackName,
  CloseDetail,
  WidgetErrorCode,
  WidgetErrorDetail,
  WinkCallbacks,
  WinkResult,
  WinkWidgetEventMap,
  WinkWidgetEventName,
} from './events.js';
import { trace } from './debug.js';
import {
  CALLBACK_NAMES,
  PROTOCOL_VERSION,
  deepFreeze,
  readCallback,
  type CallbackEvent,
  type PortMessage,
} from './protocol.js';
import { createSessionRecord, recordCallback, toResult, type SessionRecord } from './result.js';
import { styles } from './wink-widget.styles.js';

/** The lifecycle of `<wink-widget>`, reflected to its `state` attribute. */
export type WinkWidgetState = 'idle' | 'loading' | 'open' | 'closed' | 'error';

/** Resolves to a fresh Link token `accessToken`. */
export type TokenProvider = () => string | Promise<string>;

export const DEFAULT_SDK_URL = 'https://web.smileapi.io/v2/smile.v2.js';
export const DEFAULT_SANDBOX = 'allow-scripts allow-popups allow-forms';
export const DEFAULT_LABEL = 'Smile Wink Widget';
export const DEFAULT_TIMEOUT = 15000;
/** How long after the built-in bridge's page has loaded its handshake may still arrive. */
const BRIDGE_LOAD_GRACE = 2000;

// A change to any of these while open needs a new SDK instance in a new frame.
const RELAUNCH_ON = ['token', 'templateId', 'sdkUrl', 'options', 'bridgeUrl', 'sandbox', 'modal'] as const;

/**
 * Embeds the Smile API Wink Widget in a sandboxed iframe and re-emits each SDK callback as a
 * typed DOM event.
 *
 * @tag wink-widget
 * @summary The Smile Wink Widget as a framework-agnostic custom element.
 *
 * @attr {'idle' | 'loading' | 'open' | 'closed' | 'error'} state - Read-only, reflected: where the widget is in its lifecycle.
 *
 * @fires {CustomEvent<AccountDetail>} account-created - `onAccountCreated`: linking started (credentials submitted).
 * @fires {CustomEvent<AccountDetail>} account-connected - `onAccountConnected`: linking finished successfully.
 * @fires {CustomEvent<AccountDetail>} account-removed - `onAccountRemoved`: the user revoked access.
 * @fires {CustomEvent<AccountErrorDetail>} account-error - `onAccountError`: linking failed.
 * @fires {CustomEvent<TokenExpiredDetail>} token-expired - `onTokenExpired`: the Link token expired. Cancelable: `preventDefault()` stops the `tokenProvider` relaunch.
 * @fires {CustomEvent<UploadsDetail>} uploads-created - `onUploadsCreated`: the user submitted documents.
 * @fires {CustomEvent<UploadsDetail>} uploads-removed - `onUploadsRemoved`: the user revoked uploaded documents.
 * @fires {CustomEvent<UiEventDetail>} ui-event - `onUIEvent`: a new widget screen was shown.
 * @fires {CustomEvent<CloseDetail>} widget-close - `onClose`, or the page closed the widget (`reason: 'host'`).
 * @fires {CustomEvent<OpenDetail>} widget-open - The SDK loaded and `open()` was called.
 * @fires {CustomEvent<WidgetErrorDetail>} widget-error - Something went wrong; `detail.code` says what.
 *
 * @slot loading - Shown over the widget while it loads.
 *
 * @csspart base - The inline container of the frame.
 * @csspart dialog - The native `<dialog>` of modal mode.
 * @csspart frame - The sandboxed iframe that hosts the SDK.
 *
 * @cssprop [--wink-widget-dialog-width=100%] - Width of the modal dialog.
 * @cssprop [--wink-widget-dialog-height=100%] - Height of the modal dialog.
 * @cssprop [--wink-widget-backdrop=transparent] - Backdrop behind the modal dialog.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the interface below adds the typed event overloads
export class WinkWidget extends LitElement {
  static override styles = styles;

  static override properties = {
    token: {},
    templateId: { attribute: 'template-id', reflect: true },
    open: { type: Boolean, reflect: true },
    modal: { type: Boolean, reflect: true },
    sdkUrl: { attribute: 'sdk-url', reflect: true },
    bridgeUrl: { attribute: 'bridge-url', reflect: true },
    sandbox: { reflect: true },
    label: { reflect: true },
    timeout: { type: Number, reflect: true },
    options: { attribute: false },
    callbacks: { attribute: false },
    tokenProvider: { attribute: false },
    debug: { type: Boolean, reflect: true },
  };

  /**
   * The Link token's `accessToken` (the SDK's `userToken`). The one primitive that does not
   * reflect: setting the property never writes the token into the DOM.
   */
  declare token: string | undefined;

  /** The SDK's `templateId`. */
  declare templateId: string | undefined;

  /** While true the widget is launched and shown, like `<dialog open>`. */
  declare open: boolean;

  /**
   * Show the widget in a native modal `<dialog>` (top layer, inert page, focus back to the opener
   * on close) instead of inline, where it fills the element's box (600px tall unless sized).
   */
  declare modal: boolean;

  /** The SDK script. */
  declare sdkUrl: string;

  /** A self-hosted bridge page; by default the built-in `srcdoc` bridge is used. */
  declare bridgeUrl: string | undefined;

  /** The iframe's sandbox tokens. */
  declare sandbox: string;

  /** The accessible name of the iframe, and of the dialog in modal mode. */
  declare label: string;

  /** Milliseconds allowed for the bridge and the SDK to come up. */
  declare timeout: number;

  /** Other SDK options, passed through (`apiHost`, `providers`, `enableUpload`, …). */
  declare options: Record<string, unknown> | undefined;

  /** SDK-style handlers (`{ onAccountConnected(detail) {…} }`), each called after its event. */
  declare callbacks: WinkCallbacks | undefined;

  /** Called for a fresh token at each launch, and after an uncancelled `token-expired`. */
  declare tokenProvider: TokenProvider | undefined;

  /**
   * Log each protocol step to the console, prefixed `[wink-widget]`: the frame, the handshake (or
   * why a message was ignored), the launch (token redacted), each port message and the event it
   * became, close and teardown. The log's text is loaded only when this is on.
   */
  declare debug: boolean;

  #state: WinkWidgetState = 'idle';
  #session?: SessionRecord;
  #pendingShow?: PromiseWithResolvers<WinkResult>;
  #connection?: BridgeConnection;
  // Each launch gets a number; an async step that finds a newer one knows it was superseded.
  #launchId = 0;
  #frame?: { id: number; token: string };
  // Declarative shadow DOM from a server render is attached before the element upgrades.
  readonly #serverRendered = this.shadowRoot !== null;

  constructor() {
    super();
    this.open = false;
    this.modal = false;
    this.sdkUrl = DEFAULT_SDK_URL;
    this.sandbox = DEFAULT_SANDBOX;
    this.label = DEFAULT_LABEL;
    this.timeout = DEFAULT_TIMEOUT;
    this.debug = false;
  }

  /** Where the widget is in its lifecycle; reflected to the `state` attribute. */
  get state(): WinkWidgetState {
    return this.#state;
  }

  /**
   * Opens the widget and resolves when it closes, with what happened in between. A session that
   * ends on a `widget-error` resolves with `reason: 'error'` and that `error`. Calling it again
   * while open returns the same promise.
   */
  show(): Promise<WinkResult> {
    const { promise } = (this.#pendingShow ??= Promise.withResolvers());
    if (!this.open) this.open = true;
    else if (!this.#session && this.isConnected) this.#startSession();
    return promise;
  }

  /** Closes the widget; `widget-close` reports `reason: 'host'`. Does nothing when closed. */
  close(): void {
    this.#finish({ reason: 'host' });
    this.open = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.setAttribute('state', this.#state);
    // The first connection launches from the first update; a later one relaunches here.
    if (this.hasUpdated && this.open) {
      if (this.#session) void this.#launch();
      else this.#startSession();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#launchId++;
    this.#dropFrame();
    if (this.#session) this.#setState('idle');
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A server-rendered shadow root must hydrate: its first render stays as the server rendered
    // it (nothing launched), and the launch starts from firstUpdated.
    if (this.#serverRendered && !this.hasUpdated) return;
    if (changed.has('open')) {
      if (!this.open) {
        this.#finish({ reason: 'host' });
        if (this.#state === 'error') this.#setState('closed');
      } else if (!this.#session && this.isConnected) this.#startSession();
    } else if (this.open && this.isConnected && RELAUNCH_ON.some((name) => changed.has(name))) {
      if (this.#session) void this.#launch();
      else this.#startSession();
    }
  }

  protected override firstUpdated(): void {
    if (this.#serverRendered && this.open && this.isConnected) this.#startSession();
  }

  protected override render() {
    const frame = this.#frame
      ? keyed(
          this.#frame.id,
          // prettier-ignore
          html`<iframe part="frame" title=${this.label} sandbox=${this.sandbox ?? DEFAULT_SANDBOX} src=${ifDefined(this.bridgeUrl || undefined)} srcdoc=${ifDefined(this.bridgeUrl ? undefined : BRIDGE_HTML)}></iframe>`,
        )
      : nothing;
    const loading = this.#state === 'loading' ? html`<slot name="loading"></slot>` : nothing;
    // prettier-ignore
    return this.modal
      ? html`<dialog part="dialog" aria-label=${this.label} @cancel=${this.#onDialogCancel} @close=${this.#onDialogClose}>${frame}${loading}</dialog>`
      : html`<div part="base">${frame}${loading}</div>`;
  }

  protected override updated(): void {
    const frame = this.#frame;
    if (frame && !this.#connection) this.#connect(frame);
    const dialog = this.renderRoot.querySelector('dialog');
    if (dialog) {
      const shown = Boolean(frame) || this.#state === 'loading';
      if (shown && !dialog.open) dialog.showModal();
      else if (!shown && dialog.open) dialog.close();
    }
  }

  #startSession(): void {
    this.#session = createSessionRecord();
    void this.#launch();
  }

  async #launch(): Promise<void> {
    const launchId = ++this.#launchId;
    this.#dropFrame();
    this.#setState('loading');
    let token = this.token;
    if (this.tokenProvider) {
      try {
        token = await this.tokenProvider();
        if (typeof token !== 'string' || !token) throw new TypeError('no token string');
      } catch (error) {
        if (launchId === this.#launchId)
          this.#fail('TOKEN_PROVIDER_FAILED', `tokenProvider: ${(error as Error)?.message ?? error}`);
        return;
      }
      if (launchId !== this.#launchId) return;
    }
    if (!token) {
      this.#fail('MISSING_TOKEN', 'no token or tokenProvider');
      return;
    }
    this.#frame = { id: launchId, token };
    this.requestUpdate();
  }

  #connect(frame: { id: number; token: string }): void {
    const iframe = this.renderRoot.querySelector('iframe');
    let sdkUrl: string;
    let origin: string;
    try {
      sdkUrl = new URL(this.sdkUrl, document.baseURI).href;
      origin = this.#bridgeOrigin();
    } catch {
      this.#fail('SDK_LOAD_FAILED', 'invalid sdk-url or bridge-url');
      return;
    }
    if (!iframe) return;
    const config: Record<string, unknown> = { ...this.options, userToken: frame.token };
    if (this.templateId) config.templateId = this.templateId;
    this.#connection = new BridgeConnection(iframe, {
      origin,
      launch: { wink: 'launch', v: PROTOCOL_VERSION, sdkUrl, config, callbacks: CALLBACK_NAMES },
      timeout: this.timeout > 0 ? this.timeout : DEFAULT_TIMEOUT,
      loadGrace: this.bridgeUrl ? undefined : BRIDGE_LOAD_GRACE,
      onMessage: this.#onBridgeMessage,
      onFailure: (code, message) => this.#fail(code, message),
      trace: this.#trace,
    });
  }

  /** The origin the bridge document gets: opaque unless the sandbox allows the same origin. */
  #bridgeOrigin(): string {
    if (!(this.sandbox ?? DEFAULT_SANDBOX).split(/\s+/).includes('allow-same-origin')) return 'null';
    return this.bridgeUrl ? new URL(this.bridgeUrl, document.baseURI).origin : window.origin;
  }

  #onBridgeMessage = (message: PortMessage): void => {
    switch (message.wink) {
      case 'opened':
        this.#setState('open');
        this.#emit('widget-open', {});
        break;
      case 'sdk-error':
        this.#fail(message.code, message.message);
        break;
      case 'callback':
        this.#onCallback(message.name, readCallback(message.name, message.args));
        break;
    }
  };

  #onCallback(name: CallbackName, read: CallbackEvent): void {
    if (!read.ok) {
      this.#emit('widget-error', read.error);
      // The SDK has closed itself; the element follows even when the reason is unreadable.
      if (name === 'onClose') this.#finish(undefined, read.error);
      return;
    }
    if (name === 'onClose') {
      this.#finish(read.detail as CloseDetail);
      return;
    }
    if (this.#session) recordCallback(this.#session, name, read.detail);
    const event = this.#emit(read.type, read.detail, name);
    if (name === 'onTokenExpired' && !event.defaultPrevented && this.tokenProvider) void this.#launch();
  }

  /**
   * Ends the session as closed: tears the frame down, then reports `widget-close` (unless the
   * close detail was unreadable, which `widget-error` already reported) and settles `show()`.
   */
  #finish(detail: CloseDetail | undefined, error?: WidgetErrorDetail): void {
    const session = this.#endSession('closed');
    if (!session) return;
    this.open = false;
    if (detail) this.#emit('widget-close', detail, 'onClose');
    this.#settleShow(toResult(session, detail?.reason ?? 'error', error));
  }

  /** Ends the session on an error; `open` stays true so that a new token can relaunch it. */
  #fail(code: WidgetErrorCode, message: string): void {
    const session = this.#endSession('error');
    const detail: WidgetErrorDetail = { code, message };
    this.#emit('widget-error', detail);
    if (session) this.#settleShow(toResult(session, 'error', detail));
  }

  /** Stops whatever runs (a launch in flight, the frame, the channel); returns the session it ended. */
  #endSession(state: WinkWidgetState): SessionRecord | undefined {
    const session = this.#session;
    this.#session = undefined;
    this.#launchId++;
    this.#dropFrame();
    if (session || state === 'error') this.#setState(state);
    return session;
  }

  #settleShow(result: WinkResult): void {
    const pending = this.#pendingShow;
    this.#pendingShow = undefined;
    pending?.resolve(result);
  }

  #dropFrame(): void {
    this.#connection?.dispose();
    this.#connection = undefined;
    if (this.#frame) {
      this.#trace('teardown');
      this.#frame = undefined;
      this.requestUpdate();
    }
  }

  /** Hands a protocol step to the debug log when `debug` is on; the token goes along to be redacted. */
  #trace = (step: string, detail?: unknown): void => {
    if (this.debug) trace(this, step, detail, this.#frame?.token);
  };

  #emit<K extends WinkWidgetEventName>(
    type: K,
    detail: WinkWidgetEventMap[K]['detail'],
    callback?: CallbackName,
  ): CustomEvent {
    const event = new CustomEvent(type, {
      detail: deepFreeze(detail),
      bubbles: true,
      composed: false,
      cancelable: type === 'token-expired',
    });
    this.#trace('event', type);
    this.dispatchEvent(event);
    const handler = callback && this.callbacks?.[callback];
    if (typeof handler === 'function') {
      try {
        (handler as (value: unknown) => void).call(this.callbacks, event.detail);
      } catch (error) {
        // Report like a throwing event listener would, without breaking the widget.
        reportError(error);
      }
    }
    return event;
  }

  #setState(state: WinkWidgetState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.setAttribute('state', state);
    this.requestUpdate();
  }

  #onDialogCancel = (event: Event): void => {
    // Escape: close through the element so that `open`, `state` and the events stay in step.
    event.preventDefault();
    this.close();
  };

  #onDialogClose = (): void => {
    // The browser may close a modal dialog by itself (a repeated Escape); follow it.
    if (this.#session) this.close();
  };
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- typed addEventListener overloads, as lib.dom gives HTMLElement
export interface WinkWidget {
  addEventListener<K extends keyof WinkWidgetEventMap>(
    type: K,
    listener: (this: WinkWidget, event: WinkWidgetEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener<K extends keyof HTMLElementEventMap>(
    type: K,
    listener: (this: WinkWidget, event: HTMLElementEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  /**
   * Angular's pseudo-events on a DOM event (`(keydown.enter)`), which its template type checker
   * passes here as they are written. The part before the dot must be a DOM event, so a misspelt
   * event name is still a compile error.
   */
  addEventListener<K extends keyof HTMLElementEventMap>(
    type: `${K}.${string}`,
    listener: (this: WinkWidget, event: HTMLElementEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  removeEventListener<K extends keyof WinkWidgetEventMap>(
    type: K,
    listener: (this: WinkWidget, event: WinkWidgetEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener<K extends keyof HTMLElementEventMap>(
    type: K,
    listener: (this: WinkWidget, event: HTMLElementEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'wink-widget': WinkWidget;
  }
}
