/**
 * The element's end of the bridge: waits for the handshake from exactly one iframe,
 * hands it the launch message and a private `MessageChannel` port, and from then on listens on
 * that port only. Everything it passes on has been validated by the protocol module.
 */
import { isBridgeReady, readPortMessage, type LaunchMessage, type PortMessage } from '../protocol.js';

export interface BridgeConnectionOptions {
  /** The origin the bridge document will have: `'null'` when sandboxed without `allow-same-origin`. */
  origin: string;
  launch: LaunchMessage;
  /** Milliseconds allowed until the bridge reports `opened` or `sdk-error`. */
  timeout: number;
  onMessage(message: PortMessage): void;
  /** The bridge did not come up in time, or the launch message could not be cloned. */
  onFailure(code: 'BRIDGE_TIMEOUT' | 'INVALID_OPTIONS', message: string): void;
}

export class BridgeConnection {
  readonly #iframe: HTMLIFrameElement;
  readonly #options: BridgeConnectionOptions;
  readonly #timer: ReturnType<typeof setTimeout>;
  #port?: MessagePort;

  constructor(iframe: HTMLIFrameElement, options: BridgeConnectionOptions) {
    this.#iframe = iframe;
    this.#options = options;
    this.#timer = setTimeout(() => {
      this.dispose();
      options.onFailure('BRIDGE_TIMEOUT', `no answer from the SDK in ${options.timeout} ms`);
    }, options.timeout);
    addEventListener('message', this.#onWindowMessage);
  }

  /** Stops listening everywhere and closes the channel; safe to call more than once. */
  dispose(): void {
    clearTimeout(this.#timer);
    removeEventListener('message', this.#onWindowMessage);
    if (this.#port) {
      this.#port.onmessage = null;
      this.#port.close();
      this.#port = undefined;
    }
  }

  #onWindowMessage = (event: MessageEvent): void => {
    const bridge = this.#iframe.contentWindow;
    // Any frame can post to this window; only our own iframe's first handshake counts.
    if (!bridge || event.source !== bridge || event.origin !== this.#options.origin || !isBridgeReady(event.data)) {
      return;
    }
    removeEventListener('message', this.#onWindowMessage);
    const { port1, port2 } = new MessageChannel();
    this.#port = port1;
    port1.onmessage = (portEvent) => {
      const message = readPortMessage(portEvent.data);
      if (!message) return;
      if (message.wink !== 'callback') clearTimeout(this.#timer);
      this.#options.onMessage(message);
    };
    const { origin } = this.#options;
    // An opaque-origin bridge can only be addressed with '*'. Until it receives this message the
    // iframe runs nothing but the constant bridge script, so nothing else can be there to read it.
    try {
      bridge.postMessage(this.#options.launch, { targetOrigin: origin === 'null' ? '*' : origin, transfer: [port2] });
    } catch (error) {
      // Only `options` can hold what structured clone refuses (a function, a DOM node).
      this.dispose();
      this.#options.onFailure('INVALID_OPTIONS', `options: ${(error as Error).message}`);
    }
  };
}
