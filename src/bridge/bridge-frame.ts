/**
 * The element's one bridge frame: the frame the next render turns into an iframe (its checked
 * URLs, its nonce), its connection once it is in the page, and between sessions, with `preload`,
 * the frame kept ready for the next `show()`. The session takes the frame for a launch; the slot
 * makes, connects and drops frames, and knows whether a waiting one is ready.
 */
import type { WidgetErrorCode, WidgetErrorDetail } from '../events.js';
import type { LaunchMessage, PortMessage } from '../protocol.js';
import { BridgeConnection, type BridgeConnectionOptions } from './bridge-connection.js';
import { planFrame } from './frame-policy.js';

/** A bridge frame with its checked URLs: what the next render turns into an iframe. */
export interface PendingFrame {
  /** The iframe's name: a nonce, then the SDK's URL, which the bridge starts loading at once. Unique, so also the frame's key. */
  name: string;
  origin: string;
  /** A session has taken it: it is shown, and gets the launch. Until then it waits, hidden. */
  launched: boolean;
  /** Preloaded: the handshake is done and the SDK's script loaded. */
  ready: boolean;
}

/** What the slot reads of the element. */
export interface FrameHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly sdkUrl: string;
  readonly bridgeUrl: string | undefined;
  readonly sandbox: string | null | undefined;
  readonly timeout: number;
  requestUpdate(): void;
}

/** What the slot tells the session. */
export interface FrameEvents {
  onMessage(message: PortMessage): void;
  onFailure(code: WidgetErrorCode, message: string): void;
  /** Each step, for the debug log: the connection's, and the frame's teardown. */
  trace(step: Parameters<BridgeConnectionOptions['trace']>[0] | 'teardown', detail?: unknown): void;
}

/** How long after the built-in bridge's page has loaded its handshake may still arrive. */
const BRIDGE_LOAD_GRACE = 2000;

export class BridgeFrame {
  readonly #host: FrameHost;
  readonly #events: FrameEvents;
  readonly #defaults: { timeout: number; sandbox: string };
  #frame?: PendingFrame | undefined;
  #connection?: BridgeConnection | undefined;
  // The launch, from when the session has it until the connection takes it.
  #launch?: LaunchMessage | undefined;
  // A preload that failed is not tried again until what it is made of changes, or a session opens.
  #preloadFailed = false;

  constructor(host: FrameHost, events: FrameEvents, defaults: { timeout: number; sandbox: string }) {
    this.#host = host;
    this.#events = events;
    this.#defaults = defaults;
  }

  /** The frame to render, if there is one. */
  get frame(): PendingFrame | undefined {
    return this.#frame;
  }

  /** A preloaded frame waits, handshaken and with the SDK loaded, for a launch. */
  get ready(): boolean {
    const frame = this.#frame;
    return !!frame && frame.ready && !frame.launched;
  }

  /**
   * Between sessions: keeps one frame ready while `preload` is set, and none otherwise; with
   * `rebuild`, makes it anew (what it is made of changed) and lets a failed preload try again.
   * Says why when the frame may not be made.
   */
  keepReady(preload: boolean, rebuild: boolean): WidgetErrorDetail | undefined {
    if (rebuild) this.#preloadFailed = false;
    if (this.#frame && (rebuild || !preload)) this.drop();
    if (!preload || this.#frame || this.#preloadFailed) return undefined;
    return this.#create();
  }

  /** A preload failed: it waits for a change before it is tried again. */
  preloadFailed(): void {
    this.#preloadFailed = true;
    this.drop();
  }

  /** A session opened on its frame: the next one is preloaded afresh. */
  opened(): void {
    this.#preloadFailed = false;
  }

  /** The session takes the waiting frame, or a new one; says why when a new one may not be made. */
  take(): WidgetErrorDetail | undefined {
    const waiting = this.#frame?.launched === false;
    const refused = waiting ? undefined : (this.drop(), this.#create());
    if (refused) return refused;
    this.#frame!.launched = true;
    this.#host.requestUpdate();
    return undefined;
  }

  /** True for the frame that waits, unlaunched: its `loaded` makes it ready. */
  loaded(): boolean {
    const frame = this.#frame;
    if (!frame || frame.launched) return false;
    frame.ready = true;
    return true;
  }

  /** Sends the launch over the frame's channel, now or once it is connected. */
  launch(message: LaunchMessage): void {
    this.#launch = message;
    this.#send();
  }

  /** Connects the frame once it has been rendered. */
  rendered(): void {
    const frame = this.#frame;
    if (!frame || this.#connection) return;
    const iframe = this.#host.renderRoot.querySelector('iframe');
    if (!iframe) return;
    const { timeout, bridgeUrl } = this.#host;
    this.#connection = new BridgeConnection(iframe, {
      ...this.#events,
      origin: frame.origin,
      timeout: timeout > 0 ? timeout : this.#defaults.timeout,
      loadGrace: bridgeUrl ? undefined : BRIDGE_LOAD_GRACE,
    });
    this.#send();
  }

  /** Drops the frame and its channel; says whether there was a frame. */
  drop(): boolean {
    this.#connection?.dispose();
    this.#connection = undefined;
    this.#launch = undefined;
    if (!this.#frame) return false;
    this.#events.trace('teardown');
    this.#frame = undefined;
    this.#host.requestUpdate();
    return true;
  }

  /**
   * Makes the frame to render, checked here (URLs, sandbox) so that no unsafe frame is ever
   * rendered and connecting it cannot fail inside Lit's update; or says why it may not be.
   */
  #create(): WidgetErrorDetail | undefined {
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
    const name = `${nonce} ${plan.sdkUrl}`;
    this.#frame = { name, origin: plan.origin, launched: false, ready: false };
    this.#host.requestUpdate();
    return undefined;
  }

  #send(): void {
    if (this.#connection && this.#launch) {
      this.#connection.launch(this.#launch);
      this.#launch = undefined;
    }
  }
}
