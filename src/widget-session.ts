/**
 * The one owner of a `<wink-widget>`'s session: its state, the launch in flight, the bridge frame
 * and its channel (a preloaded one too), what `show()` gathers, and every event the element
 * dispatches.
 *
 * The element's properties say what the page wants. After each update, this controller acts on
 * what changed, in a microtask of its own: never inside Lit's update, so that nothing it does is
 * folded into a render, and so that a page that acts from inside an event listener gets exactly
 * what it would get just after the event. Each event is dispatched once the state it reports has
 * been reached.
 */
import type { ReactiveController } from 'lit';
import { BridgeConnection } from './bridge/bridge-connection.js';
import { planFrame } from './bridge/frame-policy.js';
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
import {
  CALLBACK_NAMES,
  PROTOCOL_VERSION,
  deepFreeze,
  readCallback,
  type LaunchMessage,
  type PortMessage,
} from './protocol.js';
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

/**
 * The properties whose change, or a reconnection, rebuilds a preloaded frame that waits: what
 * the frame is made of (`modal` moves it to another container, which would reload it), and
 * `preload` itself. Each also lets a failed preload try again.
 */
const REBUILD_ON: ReadonlySet<PropertyKey> = new Set([
  'sdkUrl',
  'bridgeUrl',
  'sandbox',
  'modal',
  'preload',
  'connected',
]);

/** How long after the built-in bridge's page has loaded its handshake may still arrive. */
const BRIDGE_LOAD_GRACE = 2000;

/** A bridge frame with its checked URLs: what the next render turns into an iframe. */
export interface PendingFrame {
  id: number;
  /** The iframe's name: a nonce, then the SDK's URL, which the bridge starts loading at once. */
  name: string;
  origin: string;
  /** A session has taken it: it is shown, and gets the launch. Until then it waits, hidden. */
  launched: boolean;
  /** Preloaded: the handshake is done and the SDK's script loaded. */
  ready: boolean;
}

export class WidgetSession implements ReactiveController {
  readonly #host: WinkWidget;
  #state: WinkWidgetState = 'idle';
  #record?: SessionRecord | undefined;
  #pendingShow?: PromiseWithResolvers<WinkResult> | undefined;
  #connection?: BridgeConnection | undefined;
  #frame?: PendingFrame | undefined;
  #frames = 0;
  // The launch of the session's frame, from when its token is here until the channel takes it.
  #launchMessage?: LaunchMessage | undefined;
  // The token of the launch, for the debug log to redact.
  #token?: string | undefined;
  // A preload that failed is not tried again until what it is made of changes, or a session opens.
  #preloadFailed = false;
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

  /** The frame to render, if a launch or a preload has one. */
  get frame(): PendingFrame | undefined {
    return this.#frame;
  }

  /** True while a preloaded frame waits with the SDK loaded, for `show()` to launch at once. */
  get ready(): boolean {
    const frame = this.#frame;
    return !!frame && frame.ready && !frame.launched;
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

  /** Acts on what changed since the last time: preloads, then closes, starts or relaunches. */
  #reconcile(): void {
    this.#scheduled = undefined;
    const changes = [...this.#changes];
    this.#changes = new Set();
    const host = this.#host;
    if (!host.isConnected || this.#awaitingHydration) return;
    // First, so that a launch in this same turn takes a frame made of what the element is now.
    this.#preload(changes.some((name) => REBUILD_ON.has(name)));
    if (!host.open) {
      if (changes.includes('open')) {
        if (this.#record) this.#finish({ reason: 'host' });
        else this.#transition('dismiss');
      }
    } else {
      const relaunch = changes.some((name) => name === 'connected' || RELAUNCH_ON.has(name));
      if (!this.#record && (relaunch || changes.includes('open'))) this.#start();
      else if (this.#record && relaunch) void this.#launch();
    }
  }

  /** Between sessions, keeps one frame ready while `preload` is set, and none otherwise. */
  #preload(rebuild: boolean): void {
    if (rebuild) this.#preloadFailed = false;
    // A running session owns the frame.
    if (this.#record) return;
    const preload = this.#host.preload;
    if (this.#frame && (rebuild || !preload)) this.#dropFrame();
    if (preload && !this.#frame && !this.#preloadFailed) {
      const refused = this.#createFrame();
      if (refused) this.#frameFailed(refused.code, refused.message);
    }
  }

  #start(): void {
    this.#record = createSessionRecord();
    this.#opener = document.activeElement as HTMLElement | null;
    void this.#launch();
  }

  /**
   * Launches in the preloaded frame when one waits, or else in a new one. The frame comes up
   * while a `tokenProvider` is asked for the token; the launch goes once both are there.
   */
  async #launch(): Promise<void> {
    const launchId = ++this.#launchId;
    const host = this.#host;
    const waiting = this.#frame?.launched === false ? this.#frame : undefined;
    if (!waiting) this.#dropFrame();
    this.#transition('launch');
    if (!host.tokenProvider && !host.token) return this.#fail('MISSING_TOKEN', 'no token or tokenProvider');
    const refused = waiting ? undefined : this.#createFrame();
    if (refused) return this.#fail(refused.code, refused.message);
    const frame = this.#frame!;
    frame.launched = true;
    host.requestUpdate();
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
    const config: Record<string, unknown> = { ...host.options, userToken: token };
    if (host.templateId) config.templateId = host.templateId;
    this.#token = token;
    this.#launchMessage = { wink: 'launch', v: PROTOCOL_VERSION, config, callbacks: CALLBACK_NAMES };
    this.#sendLaunch();
  }

  /**
   * Makes the frame to render, checked here (URLs, sandbox) so that no unsafe frame is ever
   * rendered and connecting it cannot fail inside Lit's update; or says why it may not be.
   */
  #createFrame(): WidgetErrorDetail | undefined {
    const { sdkUrl, bridgeUrl, sandbox } = this.#host;
    // A removed `sandbox` attribute leaves null: the default applies, as in the frame.
    const plan = planFrame({
      sdkUrl,
      bridgeUrl,
      sandbox: sandbox ?? this.#defaults.sandbox,
      base: document.baseURI,
      pageOrigin: window.origin,
    });
    if ('code' in plan) return plan;
    // The nonce keeps other frames from targeting this one by its name before the bridge clears it.
    const nonce = crypto.getRandomValues(new Uint32Array(2)).join('');
    this.#frame = {
      id: ++this.#frames,
      name: `${nonce} ${plan.sdkUrl}`,
      origin: plan.origin,
      launched: false,
      ready: false,
    };
    this.#host.requestUpdate();
    return undefined;
  }

  #sendLaunch(): void {
    if (this.#connection && this.#launchMessage) {
      this.#connection.launch(this.#launchMessage);
      this.#launchMessage = undefined;
    }
  }

  #connect(frame: PendingFrame): void {
    const host = this.#host;
    const iframe = host.renderRoot.querySelector('iframe');
    if (!iframe) return;
    this.#connection = new BridgeConnection(iframe, {
      origin: frame.origin,
      timeout: host.timeout > 0 ? host.timeout : this.#defaults.timeout,
      loadGrace: host.bridgeUrl ? undefined : BRIDGE_LOAD_GRACE,
      onMessage: this.#onBridgeMessage,
      onFailure: (code, message) => this.#frameFailed(code, message),
      trace: this.#trace,
    });
    this.#sendLaunch();
  }

  /** The frame failed: the session's, or the preload's while it waits (reported, not retried). */
  #frameFailed(code: WidgetErrorCode, message: string): void {
    if (this.#record) return this.#fail(code, message);
    this.#preloadFailed = true;
    this.#dropFrame();
    this.#emit('widget-error', { code, message: `preload: ${message}` });
  }

  #onBridgeMessage = (message: PortMessage): void => {
    const frame = this.#frame;
    switch (message.wink) {
      case 'loaded':
        if (frame && !frame.launched) {
          frame.ready = true;
          this.#emit('widget-ready', {});
        }
        break;
      case 'opened':
        this.#preloadFailed = false;
        this.#transition('opened');
        this.#emit('widget-open', {});
        break;
      case 'sdk-error':
        this.#frameFailed(message.code, message.message);
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
    // With `preload`, the next session's frame is made ready.
    this.#schedule('ended');
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
    this.#launchMessage = undefined;
    if (this.#frame) {
      this.#trace('teardown');
      this.#frame = undefined;
      this.#token = undefined;
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
    if (this.#host.debug) trace(this.#host, step, detail, this.#token);
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
