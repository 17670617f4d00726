/**
 * What the bridge page does inside the widget's sandboxed iframe, shared by the built-in `srcdoc`
 * page and the self-hosted one. Each is bundled into a constant inline script by
 * `scripts/build-bridge.mjs`; nothing about a particular launch (token, template, URL) is ever
 * part of a page. The SDK's URL comes in the frame's `name`, so that its script loads while the
 * handshake is on its way; the token comes last, in `launch`, over the private port; the callback
 * names come with it, so the page carries no copy of the element's table.
 */
import { PROTOCOL_VERSION, isConnect, toCloneable, type LaunchMessage, type PortMessage } from '../protocol.js';

declare global {
  // Defined by the SDK script the frame's name gives.
  var SmileLinkModal: (new (config: Record<string, unknown>) => { open(): void }) | undefined;
}

type Outgoing = PortMessage extends infer M ? (M extends PortMessage ? Omit<M, 'v'> : never) : never;

/** What went wrong, as text, even when the error itself cannot be read. */
function describe(error: unknown): string {
  try {
    return String((error as Error)?.message ?? error);
  } catch {
    return 'an unreadable error';
  }
}

/**
 * Runs the bridge. `refuse`, when given, is asked about the SDK's URL first: a reason to refuse
 * it means its script is never loaded, and the element hears `SDK_URL_NOT_ALLOWED` instead.
 */
export function startBridge(refuse?: (sdkUrl: string) => string | undefined): void {
  // The name is `<nonce> <SDK URL>` (a serialized URL has no space). Cleared at once: it only
  // carried the URL in, and with the nonce no other frame could target this one by name meanwhile.
  const sdkUrl = self.name.slice(self.name.indexOf(' ') + 1);
  self.name = '';

  let port: MessagePort | undefined;
  // How the SDK's script ended (loaded, or not), once it has; said as soon as there is a port.
  let sdk: Outgoing | undefined;
  let launch: LaunchMessage | undefined;
  // What this task has to say, posted as one batch once it ends.
  let batch: PortMessage[] | undefined;

  const refused = refuse?.(sdkUrl);
  if (refused) sdk = { wink: 'sdk-error', code: 'SDK_URL_NOT_ALLOWED', message: refused };
  else {
    // The SDK's script loads while the handshake is on its way.
    const script = document.createElement('script');
    script.src = sdkUrl;
    script.onload = () => settle({ wink: 'loaded' });
    script.onerror = () => settle({ wink: 'sdk-error', code: 'SDK_LOAD_FAILED', message: `cannot load ${sdkUrl}` });
    document.head.append(script);
  }

  /** Adds a message to this task's batch, at `at` or at its end. */
  function send(message: Outgoing, at?: number): void {
    if (!batch) {
      batch = [];
      queueMicrotask(() => {
        port!.postMessage(batch);
        batch = undefined;
      });
    }
    batch.splice(at ?? batch.length, 0, { ...message, v: PROTOCOL_VERSION } as PortMessage);
  }

  /** Constructs and opens the SDK once both its script and the launch are here. */
  function start(): void {
    if (sdk?.wink !== 'loaded' || !launch) return;
    const { config, callbacks: names } = launch;
    launch = undefined;
    const callbacks: Record<string, (...args: unknown[]) => void> = {};
    for (const callbackName of names) {
      // Never throws back into the SDK: arguments it cannot read are reported as such instead.
      callbacks[callbackName] = (...args) => {
        let read: unknown[] | string;
        try {
          read = toCloneable(args) as unknown[];
        } catch (error) {
          read = describe(error);
        }
        send({ wink: 'callback', name: callbackName, args: read });
      };
    }
    // Callbacks the SDK fires while `open()` runs join this batch; the outcome goes before them.
    const at = batch?.length ?? 0;
    try {
      new SmileLinkModal!({ ...config, ...callbacks }).open();
      send({ wink: 'opened' }, at);
    } catch (error) {
      send({ wink: 'sdk-error', code: 'SDK_ERROR', message: describe(error) }, at);
    }
  }

  function settle(outcome: Outgoing): void {
    sdk = outcome;
    if (port) send(outcome);
    start();
  }

  onmessage = (event) => {
    const [channel] = event.ports;
    if (!isConnect(event.data) || !channel || event.source !== parent) return;
    // The handshake is answered once; from here on, only the port speaks.
    onmessage = null;
    port = channel;
    // The port is private to the element, whose first and only message on it is the launch.
    port.onmessage = ({ data }) => {
      port!.onmessage = null;
      launch = data as LaunchMessage;
      start();
    };
    if (sdk) send(sdk);
  };

  parent.postMessage({ wink: 'bridge-ready', v: PROTOCOL_VERSION }, '*');
}
