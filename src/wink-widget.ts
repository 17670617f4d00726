import { LitElement, html, nothing, type PropertyDeclaration, type PropertyValues } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { BRIDGE_HTML } from './bridge/bridge-document.js';
import type { WinkCallbacks, WinkResult, WinkWidgetEventMap } from './events.js';
import { WidgetSession } from './widget-session.js';
import { styles } from './wink-widget.styles.js';

export const DEFAULT_SDK_URL = 'https://web.smileapi.io/v2/smile.v2.js';
export const DEFAULT_SANDBOX = 'allow-scripts allow-popups allow-forms';
export const DEFAULT_LABEL = 'Smile Wink Widget';
export const DEFAULT_TIMEOUT = 15000;

/** The lifecycle of `<wink-widget>`, reflected to its `state` attribute. */
export type WinkWidgetState = 'idle' | 'loading' | 'open' | 'closed' | 'error';

/** Resolves to a fresh Link token `accessToken`. */
export type TokenProvider = () => string | Promise<string>;

/** A row of the element's property table: Lit's declaration, and what its change does to a session. */
export interface WinkPropertyDeclaration extends PropertyDeclaration {
  /** While open, a change launches the SDK again in a new frame. */
  readonly relaunch?: boolean;
  /** A change rebuilds a preloaded frame that waits, and lets a failed preload try again. */
  readonly rebuild?: boolean;
}

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
 * @fires {CustomEvent<ReadyDetail>} widget-ready - With `preload`: a frame waits, handshaken and with the SDK loaded, so that `show()` only launches.
 * @fires {CustomEvent<OpenDetail>} widget-open - The SDK loaded and `open()` was called.
 * @fires {CustomEvent<WidgetErrorDetail>} widget-error - Something went wrong; `detail.code` says what. A failed preload says it with the launch's codes, its `message` starting `preload:`.
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

  /**
   * The property table: each property once, with its attribute, and whether its change, while
   * open, relaunches the SDK in a new frame (`relaunch`), or rebuilds a preloaded frame that waits
   * (`rebuild`: what the frame is made of; `modal` moves it to another container, which would
   * reload it). The framework typings and the session's sets are derived from it. A plain literal
   * (its rows are `WinkPropertyDeclaration`s), since the manifest's analyzer reads no other form.
   */
  static override properties = {
    token: { attribute: true, relaunch: true },
    templateId: { attribute: 'template-id', reflect: true, relaunch: true },
    open: { type: Boolean, reflect: true },
    modal: { type: Boolean, reflect: true, relaunch: true, rebuild: true },
    sdkUrl: { attribute: 'sdk-url', reflect: true, relaunch: true, rebuild: true },
    bridgeUrl: { attribute: 'bridge-url', reflect: true, relaunch: true, rebuild: true },
    sandbox: { reflect: true, relaunch: true, rebuild: true },
    label: { reflect: true },
    timeout: { type: Number, reflect: true },
    options: { attribute: false, relaunch: true },
    callbacks: { attribute: false },
    tokenProvider: { attribute: false },
    debug: { type: Boolean, reflect: true },
    preload: { type: Boolean, reflect: true, rebuild: true },
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

  /**
   * While set and the widget is closed, keep one bridge frame ready: created, handshaken and with
   * the SDK's script loaded, hidden and inert, with no token. `show()` then only sends the launch;
   * `widget-ready` says when the frame is ready. Each session gets a frame of its own, so a new
   * one is prepared after each close.
   */
  declare preload: boolean;

  // Declarative shadow DOM from a server render is attached before the element upgrades.
  readonly #session = new WidgetSession(this, {
    properties: WinkWidget.properties,
    serverRendered: this.shadowRoot !== null,
    defaults: { timeout: DEFAULT_TIMEOUT, sandbox: DEFAULT_SANDBOX },
  });

  constructor() {
    super();
    this.open = false;
    this.modal = false;
    this.sdkUrl = DEFAULT_SDK_URL;
    this.sandbox = DEFAULT_SANDBOX;
    this.label = DEFAULT_LABEL;
    this.timeout = DEFAULT_TIMEOUT;
    this.debug = false;
    this.preload = false;
  }

  /** Where the widget is in its lifecycle; reflected to the `state` attribute. */
  get state(): WinkWidgetState {
    return this.#session.state;
  }

  /** True while a preloaded frame is ready for `show()`: between `widget-ready` and the launch. */
  get ready(): boolean {
    return this.#session.slot.ready;
  }

  /**
   * Opens the widget and resolves when it closes, with what happened in between. A session that
   * ends on a `widget-error` resolves with `reason: 'error'` and that `error`. Calling it again
   * while open returns the same promise; calling it once the session has ended, even from a
   * listener of the event that ended it, starts a new session with a new promise.
   */
  show(): Promise<WinkResult> {
    return this.#session.show();
  }

  /** Closes the widget; `widget-close` reports `reason: 'host'`. Does nothing when closed. */
  close(): void {
    this.#session.close();
  }

  /**
   * Also waits for what the element does after an update (a launch, a close) and for the render
   * that follows it: once `updateComplete` resolves, the frame of a launch is in the DOM.
   * @internal
   */
  protected override async getUpdateComplete(): Promise<boolean> {
    await super.getUpdateComplete();
    await this.#session.pending;
    return super.getUpdateComplete();
  }

  protected override render() {
    const frame = this.#session.slot.frame;
    // The templates stay on one line each, out of Prettier's reach: what is between a template's
    // tags ships as written, and whitespace between them would render as text.
    const iframe = frame
      ? keyed(
          frame.name,
          // prettier-ignore
          html`<iframe part="frame" title=${this.label} name=${frame.name} ?hidden=${!frame.launched} ?inert=${!frame.launched} sandbox=${this.sandbox ?? DEFAULT_SANDBOX} src=${this.bridgeUrl || nothing} srcdoc=${this.bridgeUrl ? nothing : BRIDGE_HTML}></iframe>`,
        )
      : nothing;
    const loading = this.#session.state === 'loading' ? html`<slot name="loading"></slot>` : nothing;
    // prettier-ignore
    return this.modal
      ? html`<dialog part="dialog" aria-label=${this.label} @cancel=${this.#onDialogCancel} @close=${this.#onDialogClose}>${iframe}${loading}</dialog>`
      : html`<div part="base">${iframe}${loading}</div>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    // What the session does about the changes happens after this update, not inside it.
    this.#session.hostChanged(changed.keys());
    const dialog = this.renderRoot.querySelector('dialog');
    if (dialog) {
      const shown = this.#session.live;
      if (shown && !dialog.open) dialog.showModal();
      else if (!shown && dialog.open) dialog.close();
    }
  }

  #onDialogCancel = (event: Event): void => {
    // Escape: close through the element so that `open`, `state` and the events stay in step.
    event.preventDefault();
    this.close();
  };

  #onDialogClose = (): void => {
    // The browser may close a modal dialog by itself (a repeated Escape); follow it.
    if (this.#session.live) this.close();
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
