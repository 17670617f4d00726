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
import { BridgeFrame } from './bridge/bridge-frame.js';
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
import { SESSION_TRANSITIONS, type SessionInput } from './session-transitions.js';
import type { SessionHost, SessionPropertyTable } from './session-host.js';
import type { WinkWidgetState } from './wink-widget.js';

export class WidgetSession implements ReactiveController {
  readonly #host: SessionHost;
  /** The bridge frame: the element renders its `frame`; its `ready` is the element's. */
  readonly slot: BridgeFrame;
  // The property table's properties whose change relaunches, or rebuilds a waiting frame.
  readonly #relaunchOn: ReadonlySet<PropertyKey>;
  readonly #rebuildOn: ReadonlySet<PropertyKey>;
  #state: WinkWidgetState = 'idle';
  #record?: SessionRecord | undefined;
  #pendingShow?: PromiseWithResolvers<WinkResult> | undefined;
  // The token of the launch, for the debug log to redact.
  #token?: string | undefined;
  // Each launch gets a number; an async step that finds a newer one knows it was superseded.
  #launchId = 0;
  /** When the token last expired, within the window: a tokenProvider of short-lived tokens relaunches a bounded number of times. */
  #expiries: number[] = [];
  // The focused element when the session started: focus goes back to it when an inline widget
  // that holds the focus closes, as a modal dialog does by itself.
  #opener?: HTMLElement | null | undefined;
  // Property changes and reconnection are acted on together, in a microtask after they happen.
  #changes = new Set<PropertyKey>();
  #scheduled?: Promise<void> | undefined;
  // A server-rendered element keeps its first render as the server made it, then launches.
  #awaitingHydration: boolean;

  constructor(
    host: SessionHost,
    {
      properties,
      serverRendered,
      defaults,
    }: { properties: SessionPropertyTable; serverRendered: boolean; defaults: { timeout: number; sandbox: string } },
  ) {
    this.#host = host;
    const flagged = (flag: 'relaunch' | 'rebuild') => Object.keys(properties).filter((name) => properties[name][flag]);
    this.#relaunchOn = new Set(flagged('relaunch'));
    // Reconnection rebuilds a waiting frame too, and may let a failed preload try again.
    this.#rebuildOn = new Set([...flagged('rebuild'), 'connected']);
    this.slot = new BridgeFrame(
      host,
      { onMessage: this.#onBridgeMessage, onFailure: this.#frameFailed, trace: this.#trace },
      defaults,
    );
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

  /**
   * The host's properties that changed in the update just made: its `updated` hands them on.
   * Not a hook of its own because a controller's hooks carry no changed properties, and diffing
   * the values would not do: a property set and set back in one turn must still count (`open`
   * set false by a close, then true again by `show()` in its `widget-close` listener, relaunches).
   */
  hostChanged(names: Iterable<PropertyKey>): void {
    for (const name of names) this.#schedule(name);
  }

  /** After each update: connects a frame the update has just rendered. */
  hostUpdated(): void {
    if (this.#awaitingHydration) {
      this.#awaitingHydration = false;
      this.#schedule('connected');
    }
    this.slot.rendered();
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
    // A running session owns the frame.
    if (!this.#record) {
      const refused = this.slot.keepReady(
        host.preload,
        changes.some((name) => this.#rebuildOn.has(name)),
      );
      if (refused) this.#frameFailed(refused.code, refused.message);
    }
    if (!host.open) {
      if (changes.includes('open')) {
        if (this.#record) this.#finish({ reason: 'host' });
        else this.#transition('dismiss');
      }
    } else {
      const relaunch = changes.some((name) => name === 'connected' || this.#relaunchOn.has(name));
      if (!this.#record && (relaunch || changes.includes('open'))) this.#start();
      else if (this.#record && relaunch) void this.#launch();
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
    this.#transition('launch');
    if (!host.tokenProvider && !host.token) return this.#fail('MISSING_TOKEN', 'no token or tokenProvider');
    const refused = this.slot.take();
    if (refused) return this.#fail(refused.code, refused.message);
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
    this.slot.launch({ wink: 'launch', v: PROTOCOL_VERSION, config, callbacks: CALLBACK_NAMES });
  }

  /** The frame failed: the session's, or the preload's while it waits (reported, not retried). */
  #frameFailed = (code: WidgetErrorCode, message: string): void => {
    if (this.#record) return this.#fail(code, message);
    this.slot.preloadFailed();
    this.#emit('widget-error', { code, message: `preload: ${message}` });
  };

  #onBridgeMessage = (message: PortMessage): void => {
    switch (message.wink) {
      case 'loaded':
        if (this.slot.loaded()) this.#emit('widget-ready', {});
        break;
      case 'opened':
        this.slot.opened();
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
      const now = Date.now();
      this.#expiries = this.#expiries.filter((at) => now - at < EXPIRY_WINDOW_MS).concat(now);
      if (this.#expiries.length < MAX_EXPIRIES) return void this.#launch();
      this.#expiries = [];
      this.#fail('TOKEN_EXPIRED_REPEATEDLY', 'the token expired 3 times within a minute');
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
    if (this.slot.drop()) this.#token = undefined;
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
    if (this.#host.debug) trace(this.#host as unknown as HTMLElement, step, detail, this.#token);
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

/** Expiries within this window, past the first few, are a loop of short-lived tokens: no relaunch. */
const EXPIRY_WINDOW_MS = 60_000;
const MAX_EXPIRIES = 3;

const errorText = (error: unknown): string => String((error as Error | null)?.message ?? error);
