/**
 * The script of the bridge page that runs inside the widget's sandboxed iframe.
 * It is bundled into a constant inline script by `scripts/build-bridge.mjs`; nothing about a
 * particular launch (token, template, URL) is ever part of the page: it all arrives in `launch`,
 * the callback names included, so the page carries no copy of the element's table.
 */
import { PROTOCOL_VERSION, readLaunch, toCloneable, type PortMessage } from '../protocol.js';

declare global {
  // Defined by the SDK script the launch message names.
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

onmessage = (event) => {
  const launch = readLaunch(event.data);
  const port = event.ports[0];
  if (!launch || !port || event.source !== parent) return;
  // The launch is accepted once.
  onmessage = null;

  const send = (message: Outgoing) => port.postMessage({ ...message, v: PROTOCOL_VERSION });
  // Callbacks the SDK fires while `open()` runs are held back so that `opened` comes first.
  let pending: Outgoing[] | undefined = [];
  const callbacks: Record<string, (...args: unknown[]) => void> = {};
  for (const name of launch.callbacks) {
    // Never throws back into the SDK: arguments it cannot read are reported as such instead.
    callbacks[name] = (...args) => {
      let read: unknown[] | string;
      try {
        read = toCloneable(args) as unknown[];
      } catch (error) {
        read = describe(error);
      }
      const message = { wink: 'callback', name, args: read } as Outgoing;
      try {
        if (pending) pending.push(message);
        else send(message);
      } catch {
        // The channel is gone (the element tore the frame down); nobody is listening.
      }
    };
  }

  const script = document.createElement('script');
  script.src = launch.sdkUrl;
  script.onerror = () => send({ wink: 'sdk-error', code: 'SDK_LOAD_FAILED', message: `cannot load ${launch.sdkUrl}` });
  script.onload = () => {
    try {
      new SmileLinkModal!({ ...launch.config, ...callbacks }).open();
      send({ wink: 'opened' });
    } catch (error) {
      send({ wink: 'sdk-error', code: 'SDK_ERROR', message: describe(error) });
    }
    for (const message of pending!) send(message);
    pending = undefined;
  };
  document.head.append(script);
};

parent.postMessage({ wink: 'bridge-ready', v: PROTOCOL_VERSION }, '*');
