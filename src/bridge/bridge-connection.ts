/**
 * The element's end of the bridge: waits for the handshake from exactly one iframe, hands it a
 * private `MessageChannel` port, and from then on listens on that port only. The launch, with the
 * token, goes over the port when the session has it: at once for a plain launch, at `show()` for a
 * preloaded frame. Everything it passes on has been validated by the protocol module.
 */
import {
  PROTOCOL_VERSION,
  isBridgeReady,
  otherBridgeVersion,
  readPortMessage,
  type ConnectMessage,
  type LaunchMessage,
  type PortMessage,
} from '../protocol.js';

/** How the bridge can fail before the SDK answers. */
export type BridgeFailure = 'BRIDGE_TIMEOUT' | 'BRIDGE_BLOCKED' | 'BRIDGE_VERSION_MISMATCH' | 'INVALID_OPTIONS';

/** Why a window message was not taken for the handshake, for the debug log. */
export type IgnoredReason = 'source' | 'origin' | 'protocol';

export interface BridgeConnectionOptions {
  /** The origin the bridge document will have: `'null'` when sandboxed without `allow-same-origin`. */
  origin: string;
  /**
   * Milliseconds allowed until the bridge reports the SDK loaded, or, once launched, `opened`
   * (or `sdk-error`).
   */
  timeout: number;
  /**
   * With the built-in bridge, whose script says `bridge-ready` while its page is still loading:
   * how long after the page's `load` the handshake may still arrive before the bridge counts as
   * blocked. Undefined for a `bridge-url` page, which may take its time.
   */
  loadGrace?: number | undefined;
  onMessage(message: PortMessage): void;
  /**
   * The bridge did not come up in time, speaks another protocol version, or the launch message
   * could not be cloned.
   */
  onFailure(code: BridgeFailure, message: string): void;
  /** Each step of the protocol, for the debug log. */
  trace: (step: 'frame' | 'ignored' | 'connect' | 'launch' | 'message', detail?: unknown) => void;
}

// What keeps a bridge from starting, in the order it is most often met.
const CAUSES =
  '; check that the Content-Security-Policy script-src has BRIDGE_CSP_HASH, bridge-url loads, sandbox has allow-scripts';

export class BridgeConnection {
  readonly #iframe: HTMLIFrameElement;
  readonly #options: BridgeConnectionOptions;
  #timer?: ReturnType<typeof setTimeout>;
  #grace?: ReturnType<typeof setTimeout>;
  #port?: MessagePort | undefined;
  // The launch, from the time it is given until it is sent.
  #launch?: LaunchMessage | undefined;
  #launched = false;

  constructor(iframe: HTMLIFrameElement, options: BridgeConnectionOptions) {
    this.#iframe = iframe;
    this.#options = options;
    this.#arm();
    addEventListener('message', this.#onWindowMessage);
    if (options.loadGrace !== undefined) iframe.addEventListener('load', this.#onFrameLoad);
    options.trace('frame', iframe.src || 'srcdoc');
  }

  /** Sends the launch over the port, now or as soon as the handshake gives one. */
  launch(message: LaunchMessage): void {
    this.#launched = true;
    // The clock starts again: the SDK has this long to open.
    this.#arm();
    this.#launch = message;
    this.#sendLaunch();
  }

  /** Stops listening everywhere and closes the channel; safe to call more than once. */
  dispose(): void {
    clearTimeout(this.#timer);
    clearTimeout(this.#grace);
    removeEventListener('message', this.#onWindowMessage);
    this.#iframe.removeEventListener('load', this.#onFrameLoad);
    if (this.#port) {
      this.#port.onmessage = null;
      this.#port.close();
      this.#port = undefined;
    }
  }

  #arm(): void {
    const { timeout } = this.#options;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(
      () =>
        this.#fail(
          'BRIDGE_TIMEOUT',
          `no ${this.#port ? 'SDK answer' : 'bridge-ready'} in ${timeout} ms${this.#port ? '' : CAUSES}`,
        ),
      timeout,
    );
  }

  #sendLaunch(): void {
    const launch = this.#launch;
    if (!launch || !this.#port) return;
    this.#launch = undefined;
    try {
      this.#port.postMessage(launch);
      this.#options.trace('launch', launch);
    } catch (error) {
      // Only `options` can hold what structured clone refuses (a function, a DOM node).
      this.#fail('INVALID_OPTIONS', `options: ${(error as Error).message}`);
    }
  }

  #onPortMessage = ({ data }: MessageEvent): void => {
    const { trace } = this.#options;
    trace('message', data);
    if (!Array.isArray(data)) return trace('ignored', 'protocol');
    for (const item of data as unknown[]) {
      // A listener of an earlier message in the batch may have closed the widget.
      if (!this.#port) return;
      const message = readPortMessage(item);
      if (!message) trace('ignored', 'protocol');
      else {
        // What the clock waits for: the SDK loaded, or once launched its outcome.
        if (message.wink !== 'callback' && (this.#launched || message.wink === 'loaded')) clearTimeout(this.#timer);
        this.#options.onMessage(message);
      }
    }
  };

  #fail(code: BridgeFailure, message: string): void {
    this.dispose();
    this.#options.onFailure(code, message);
  }

  #onFrameLoad = (): void => {
    // The built-in bridge has said bridge-ready before its load ends, unless its script was kept
    // from running. The grace covers the message still being on its way.
    if (!this.#port)
      this.#grace = setTimeout(
        () => this.#fail('BRIDGE_BLOCKED', `bridge script blocked${CAUSES}`),
        this.#options.loadGrace,
      );
  };

  #onWindowMessage = (event: MessageEvent): void => {
    const bridge = this.#iframe.contentWindow;
    const { origin, trace } = this.#options;
    // Any frame can post to this window; only our own iframe's first handshake counts.
    const ignored: IgnoredReason | undefined =
      !bridge || event.source !== bridge
        ? 'source'
        : event.origin !== origin
          ? 'origin'
          : isBridgeReady(event.data)
            ? undefined
            : 'protocol';
    if (ignored) {
      // Our own frame, greeting in another version: a self-hosted bridge.html left behind by an
      // upgrade. Said at once, instead of as a timeout.
      const other = ignored === 'protocol' ? otherBridgeVersion(event.data) : undefined;
      if (other) {
        return this.#fail(
          'BRIDGE_VERSION_MISMATCH',
          `bridge is protocol v${String(other.v)}, element v${PROTOCOL_VERSION}: update the self-hosted bridge.html`,
        );
      }
      return trace('ignored', ignored);
    }
    removeEventListener('message', this.#onWindowMessage);
    this.#iframe.removeEventListener('load', this.#onFrameLoad);
    clearTimeout(this.#grace);
    const { port1, port2 } = new MessageChannel();
    this.#port = port1;
    port1.onmessage = this.#onPortMessage;
    // An opaque-origin bridge can only be addressed with '*'. The message holds nothing but the
    // port, and the token never crosses the window: it follows over the port.
    bridge!.postMessage({ wink: 'connect', v: PROTOCOL_VERSION } satisfies ConnectMessage, {
      targetOrigin: origin === 'null' ? '*' : origin,
      transfer: [port2],
    });
    trace('connect');
    this.#sendLaunch();
  };
}
