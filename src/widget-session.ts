/**
 * The one owner of a `<wink-widget>`'s session: its state, the launch in flight, the bridge frame
 * and its channel, what `show()` gathers, and every event the element dispatches.
 *
 * The element's properties say what the page wants. After each update, this controller acts on
 * what changed, in a microtask of its own: never inside Lit's update, so that nothing it does is
 * folded into a render, and so that a page that acts from inside an event listener gets exactly
 * what it would get just after the event. Each event is dispatched once the state it reports has
 * been reached.
 */
import type { ReactiveController } from 'lit';
import { BridgeConnection } from './bridge/bridge-connection.js';
import type {
  CallbackName,
  CloseDetail,
  CloseReason,
  WidgetErrorCode,
  WidgetErrorDetail,
  WinkResult,
  WinkWidgetEventMap,
  WinkWidgetEventName,
} from './events.js';
import { trace } from './debug.js';
import { CALLBACK_NAMES, PROTOCOL_VERSION, deepFreeze, readCallback, type PortMessage } from './protocol.js';
import { createSessionRecord, recordCallback, toResult, type SessionRecord } from './result.js';
import type { WinkWidget, WinkWidgetState } from './wink-widget.js';

/** What moves a session from one state to the next. */
export type SessionInput = 'launch' | 'opened' | 'fail' | 'close' | 'dismiss' | 'detach';

/**
 * The transitions: for each input, the state it leads to from each state where it applies. An
 * input that a state does not list is ignored in that state.
 */
export const SESSION_TRANSITIONS = {
  /** A new SDK instance in a new frame: `open` set, `show()`, a relaunching change, reconnection. */
  launch: { idle: 'loading', loading: 'loading', open: 'loading', closed: 'loading', error: 'loading' },
  /** The bridge reports that the SDK loaded and `open()` returned. */
  opened: { loading: 'open' },
  /** A launch, the bridge or the SDK failed; `open` stays true, so that a new token can relaunch. */
  fail: { loading: 'error', open: 'error' },
  /** The SDK closed itself, or the page closed it (`close()`, `open = false`, Escape). */
  close: { idle: 'closed', loading: 'closed', open: 'closed' },
  /** `open` set to false after an error: there is nothing to close, and the error is over. */
  dismiss: { error: 'closed' },
  /** The element left the document; the session waits to relaunch if it comes back while open. */
  detach: { loading: 'idle', open: 'idle' },
} as const satisfies Record<SessionInput, Partial<Record<WinkWidgetState, WinkWidgetState>>>;

/** The properties whose change, while open, needs a new SDK instance in a new frame. */
const RELAUNCH_ON: ReadonlySet<PropertyKey> = new Set([
  'token',
  'templateId',
  'sdkUrl',
  'options',
  'bridgeUrl',
  'sandbox',
  'modal',
]);

/** How long after the built-in bridge's page has loaded its handshake may still arrive. */
const BRIDGE_LOAD_GRACE = 2000;

/** A launch that has its token and its checked URLs: what the next render turns into a frame. */
export interface PendingFrame {
  id: number;
  token: string;
  sdkUrl: string;
  origin: string;
}

export class WidgetSession implements ReactiveController {
  readonly #host: WinkWidget;
  #state: WinkWidgetState = 'idle';
  #record?: SessionRecord | undefined;
  #pendingShow?: PromiseWithResolvers<WinkResult> | undefined;
  #connection?: BridgeConnection | undefined;
  #frame?: PendingFrame | undefined;
  // Each launch gets a number; an async step that finds a newer one knows it was superseded.
  #launchId = 0;
  // The focused element when the session started: focus goes back to it when an inline widget
  // that holds the focus closes, as a modal dialog does by itself.
  #opener?: HTMLElement | null | undefined;
  // Property changes and reconnection are acted on together, in a microtask after they happen.
  #changes = new Set<PropertyKey>();
  #scheduled?: Promise<void> | undefined;
  // A server-rendered element keeps its first render as the server made it, then launches.
  #awaitingHydration: boolean;

  readonly #defaults: { timeout: number; sandbox: string };

  constructor(
    host: WinkWidget,
    { serverRendered, defaults }: { serverRendered: boolean; defaults: { timeout: number; sandbox: string } },
  ) {
    this.#host = host;
    this.#defaults = defaults;
    this.#awaitingHydration = serverRendered;
    host.addController(this);
  }

  get state(): WinkWidgetState {
    return this.#state;
  }

  /** True while a session runs: from its start to its close or error. */
  get live(): boolean {
    return this.#record !== undefined;
  }

  /** Settles once the changes waiting to be acted on have been; undefined when none wait. */
  get pending(): Promise<void> | undefined {
    return this.#scheduled;
  }

  /** The frame to render, if a launch has one. */
  get frame(): PendingFrame | undefined {
    return this.#frame;
  }

  /** The host's properties that changed in the update just made (its `updated` hands them on). */
  hostChanged(names: Iterable<PropertyKey>): void {
    for (const name of names) this.#schedule(name);
  }

  show(): Promise<WinkResult> {
    const { promise } = (this.#pendingShow ??= Promise.withResolvers());
    if (!this.#host.open) this.#host.open = true;
    // Open already, after an error: launch again.
    else if (!this.#record) this.#schedule('open');
    return promise;
  }

  close(): void {
    // `open` goes first, so that a `widget-close` listener that reopens is not undone after it.
    this.#host.open = false;
    this.#finish({ reason: 'host' });
  }

  hostConnected(): void {
    this.#host.setAttribute('state', this.#state);
    this.#schedule('connected');
  }

  hostDisconnected(): void {
    this.#stop();
    if (this.#record) this.#transition('detach');
  }

  hostUpdated(): void {
    if (this.#awaitingHydration) {
      this.#awaitingHydration = false;
      this.#schedule('connected');
    }
    const frame = this.#frame;
    if (frame && !this.#connection) this.#connect(frame);
  }

  #schedule(change: PropertyKey): void {
    this.#changes.add(change);
    this.#scheduled ??= Promise.resolve().then(() => this.#reconcile());
  }

  /** Acts on what changed since the last time: closes, starts or relaunches. */
  #reconcile(): void {
    this.#scheduled = undefined;
    const changes = this.#changes;
    this.#changes = new Set();
    const host = this.#host;
    if (!host.isConnected || this.#awaitingHydration) return;
    if (!host.open) {
      if (changes.has('open')) {
        if (this.#record) this.#finish({ reason: 'host' });
        else this.#transition('dismiss');
      }
      return;
    }
    const relaunch = changes.has('connected') || [...changes].some((name) => RELAUNCH_ON.has(name));
    if (!this.#record && (relaunch || changes.has('open'))) this.#start();
    else if (this.#record && relaunch) void this.#launch();
  }

  #start(): void {
    this.#record = createSessionRecord();
    this.#opener = document.activeElement as HTMLElement | null;
    void this.#launch();
  }

  async #launch(): Promise<void> {
    const launchId = ++this.#launchId;
    this.#dropFrame();
    this.#transition('launch');
    const host = this.#host;
    let token = host.token;
    if (host.tokenProvider) {
      try {
        token = await host.tokenProvider();
        if (typeof token !== 'string' || !token) throw new TypeError('no token string');
      } catch (error) {
        if (launchId === this.#launchId) this.#fail('TOKEN_PROVIDER_FAILED', `tokenProvider: ${errorText(error)}`);
        return;
      }
      if (launchId !== this.#launchId) return;
    }
    if (!token) return this.#fail('MISSING_TOKEN', 'no token or tokenProvider');
    // Checked here, so that connecting the rendered frame cannot fail inside Lit's update.
    let sdkUrl: string;
    let origin: string;
    try {
      sdkUrl = new URL(host.sdkUrl, document.baseURI).href;
      origin = this.#bridgeOrigin();
    } catch {
      return this.#fail('SDK_LOAD_FAILED', 'invalid sdk-url or bridge-url');
    }
    this.#frame = { id: launchId, token, sdkUrl, origin };
    host.requestUpdate();
  }

  /** The origin the bridge document gets: opaque unless the sandbox allows the same origin. */
  #bridgeOrigin(): string {
    const { sandbox, bridgeUrl } = this.#host;
    // A removed `sandbox` attribute leaves null: the default applies, as in the frame.
    if (!(sandbox ?? this.#defaults.sandbox).split(/\s+/).includes('allow-same-origin')) return 'null';
    return bridgeUrl ? new URL(bridgeUrl, document.baseURI).origin : window.origin;
  }

  #connect(frame: PendingFrame): void {
    const host = this.#host;
    const iframe = host.renderRoot.querySelector('iframe');
    if (!iframe) return;
    const config: Record<string, unknown> = { ...host.options, userToken: frame.token };
    if (host.templateId) config.templateId = host.templateId;
    this.#connection = new BridgeConnection(iframe, {
      origin: frame.origin,
      launch: { wink: 'launch', v: PROTOCOL_VERSION, sdkUrl: frame.sdkUrl, config, callbacks: CALLBACK_NAMES },
      timeout: host.timeout > 0 ? host.timeout : this.#defaults.timeout,
      loadGrace: host.bridgeUrl ? undefined : BRIDGE_LOAD_GRACE,
      onMessage: this.#onBridgeMessage,
      onFailure: (code, message) => this.#fail(code, message),
      trace: this.#trace,
    });
  }

  #onBridgeMessage = (message: PortMessage): void => {
    switch (message.wink) {
      case 'opened':
        this.#transition('opened');
        this.#emit('widget-open', {});
        break;
      case 'sdk-error':
        this.#fail(message.code, message.message);
        break;
      case 'callback':
        this.#onCallback(message.name, message.args);
        break;
    }
  };

  #onCallback(name: CallbackName, args: readonly unknown[] | string): void {
    const read = readCallback(name, args);
    if (!read.ok) {
      // The SDK has closed itself; the element follows even when the reason is unreadable, and
      // the error it reports is then the session's last event.
      if (name === 'onClose') this.#finish(undefined, read.error);
      this.#emit('widget-error', read.error);
      return;
    }
    if (name === 'onClose') return this.#finish(read.detail as CloseDetail);
    if (this.#record) recordCallback(this.#record, name, read.detail);
    const launchId = this.#launchId;
    const event = this.#emit(read.type, read.detail, name);
    // Unless a listener has moved on already (closed, removed, relaunched the widget).
    if (
      name === 'onTokenExpired' &&
      !event.defaultPrevented &&
      this.#host.tokenProvider &&
      launchId === this.#launchId
    ) {
      void this.#launch();
    }
  }

  /**
   * Ends the session as closed: tears the frame down, gives the focus back when it was inside,
   * settles `show()`, then reports `widget-close` (unless the close detail was unreadable, which
   * the caller reports).
   */
  #finish(detail: CloseDetail | undefined, error?: WidgetErrorDetail): void {
    // The focus is inside when it is on the frame (`:focus-within` does not see through it everywhere).
    const opener = this.#host.shadowRoot?.activeElement && !this.#host.modal && this.#opener;
    if (!this.#end('close', detail?.reason ?? 'error', error)) return;
    this.#host.open = false;
    // (A modal dialog gives the focus back by itself.) The opener may be gone, or be the body.
    if (opener) opener.focus();
    if (detail) this.#emit('widget-close', detail, 'onClose');
  }

  /** Ends the session on an error; `open` stays true, so that a new token can relaunch it. */
  #fail(code: WidgetErrorCode, message: string): void {
    const detail: WidgetErrorDetail = { code, message };
    if (this.#end('fail', 'error', detail)) this.#emit('widget-error', detail);
  }

  /** Ends the running session, if there is one, and settles `show()`; says whether there was. */
  #end(input: 'close' | 'fail', reason: CloseReason, error?: WidgetErrorDetail): boolean {
    const record = this.#record;
    if (!record) return false;
    this.#record = undefined;
    this.#opener = undefined;
    this.#stop();
    this.#transition(input);
    const pending = this.#pendingShow;
    this.#pendingShow = undefined;
    pending?.resolve(toResult(record, reason, error));
    return true;
  }

  /** Stops whatever runs: a launch in flight, the frame, the channel. */
  #stop(): void {
    this.#launchId++;
    this.#dropFrame();
  }

  #dropFrame(): void {
    this.#connection?.dispose();
    this.#connection = undefined;
    if (this.#frame) {
      this.#trace('teardown');
      this.#frame = undefined;
      this.#host.requestUpdate();
    }
  }

  #transition(input: SessionInput): void {
    const next = (SESSION_TRANSITIONS[input] as Partial<Record<WinkWidgetState, WinkWidgetState>>)[this.#state];
    if (next === undefined || next === this.#state) return;
    this.#state = next;
    this.#host.setAttribute('state', next);
    this.#host.requestUpdate();
  }

  /** Hands a protocol step to the debug log when `debug` is on; the token goes along to be redacted. */
  #trace = (step: string, detail?: unknown): void => {
    if (this.#host.debug) trace(this.#host, step, detail, this.#frame?.token);
  };

  /**
   * Dispatches one of the element's events, then calls its `callbacks` handler. Every event leaves
   * from here, after the state it reports has been reached.
   */
  #emit<K extends WinkWidgetEventName>(
    type: K,
    detail: WinkWidgetEventMap[K]['detail'],
    callback?: CallbackName,
  ): CustomEvent {
    const host = this.#host;
    const event = new CustomEvent(type, {
      detail: deepFreeze(detail),
      bubbles: true,
      composed: false,
      cancelable: type === 'token-expired',
    });
    this.#trace('event', type);
    host.dispatchEvent(event);
    const handler = callback && host.callbacks?.[callback];
    if (typeof handler === 'function') {
      try {
        (handler as (value: unknown) => void).call(host.callbacks, event.detail);
      } catch (error) {
        // Report like a throwing event listener would, without breaking the widget.
        reportError(error);
      }
    }
    return event;
  }
}

const errorText = (error: unknown): string => String((error as Error | null)?.message ?? error);
