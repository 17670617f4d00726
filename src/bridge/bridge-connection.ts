/**
 * The element's end of the bridge: waits for the handshake from exactly one iframe,
 * hands it the launch message and a private `MessageChannel` port, and from then on listens on
 * that port only. Everything it passes on has been validated by the protocol module.
 */
import {
  PROTOCOL_VERSION,
  isBridgeReady,
  otherBridgeVersion,
  readPortMessage,
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
  launch: LaunchMessage;
  /** Milliseconds allowed until the bridge reports `opened` or `sdk-error`. */
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
  trace: (step: 'frame' | 'ignored' | 'launch' | 'message', detail?: unknown) => void;
}

// What keeps a bridge from starting, in the order it is most often met.
const CAUSES =
  '; check that the Content-Security-Policy script-src has BRIDGE_CSP_HASH, bridge-url loads, sandbox has allow-scripts';

export class BridgeConnection {
  readonly #iframe: HTMLIFrameElement;
  readonly #options: BridgeConnectionOptions;
  readonly #timer: ReturnType<typeof setTimeout>;
  #grace?: ReturnType<typeof setTimeout>;
  #port?: MessagePort;

  constructor(iframe: HTMLIFrameElement, options: BridgeConnectionOptions) {
    this.#iframe = iframe;
    this.#options = options;
    this.#timer = setTimeout(
      () =>
        this.#fail(
          'BRIDGE_TIMEOUT',
          `no ${this.#port ? 'SDK answer' : 'bridge-ready'} in ${options.timeout} ms${this.#port ? '' : CAUSES}`,
        ),
      options.timeout,
    );
    addEventListener('message', this.#onWindowMessage);
    if (options.loadGrace !== undefined) iframe.addEventListener('load', this.#onFrameLoad);
    options.trace('frame', iframe.src || 'srcdoc');
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
    }
  }

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
    port1.onmessage = (portEvent) => {
      trace('message', portEvent.data);
      const message = readPortMessage(portEvent.data);
      if (!message) return trace('ignored', 'protocol');
      if (message.wink !== 'callback') clearTimeout(this.#timer);
      this.#options.onMessage(message);
    };
    // An opaque-origin bridge can only be addressed with '*'. Until it receives this message the
    // iframe runs nothing but the constant bridge script, so nothing else can be there to read it.
    try {
      bridge!.postMessage(this.#options.launch, { targetOrigin: origin === 'null' ? '*' : origin, transfer: [port2] });
      trace('launch', this.#options.launch);
    } catch (error) {
      // Only `options` can hold what structured clone refuses (a function, a DOM node).
      this.#fail('INVALID_OPTIONS', `options: ${(error as Error).message}`);
    }
  };
}
