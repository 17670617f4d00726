/**
 * The script of the bridge page that runs inside the widget's sandboxed iframe.
 * It is bundled into a constant inline script by `scripts/build-bridge.mjs`; nothing about a
 * particular launch (token, template, URL) is ever part of the page: it all arrives in `launch`.
 */
import { CALLBACK_NAMES, PROTOCOL_VERSION, readLaunch, toCloneable, type PortMessage } from '../protocol.js';

declare global {
  // Defined by the SDK script the launch message names.
  // eslint-disable-next-line no-var
  var SmileLinkModal: (new (config: Record<string, unknown>) => { open(): void }) | undefined;
}

type Outgoing = PortMessage extends infer M ? (M extends PortMessage ? Omit<M, 'v'> : never) : never;

let launched = false;

addEventListener('message', (event) => {
  const launch = readLaunch(event.data);
  const port = event.ports[0];
  if (launched || event.source !== parent || !launch || !port) return;
  launched = true;

  const send = (message: Outgoing) => port.postMessage({ ...message, v: PROTOCOL_VERSION });
  // Callbacks the SDK fires while `open()` runs are held back so that `opened` comes first.
  let pending: Outgoing[] | undefined = [];
  const callbacks: Record<string, (...args: unknown[]) => void> = {};
  for (const name of CALLBACK_NAMES) {
    callbacks[name] = (...args) => {
      const message: Outgoing = { wink: 'callback', name, args: toCloneable(args) as unknown[] };
      if (pending) pending.push(message);
      else send(message);
    };
  }

  const script = document.createElement('script');
  script.src = launch.sdkUrl;
  script.onerror = () => send({ wink: 'sdk-error', code: 'SDK_LOAD_FAILED', message: `cannot load ${launch.sdkUrl}` });
  script.onload = () => {
    try {
      if (typeof SmileLinkModal !== 'function') throw new Error('no SmileLinkModal');
      new SmileLinkModal({ ...launch.config, ...callbacks }).open();
      send({ wink: 'opened' });
    } catch (error) {
      send({ wink: 'sdk-error', code: 'SDK_ERROR', message: error instanceof Error ? error.message : String(error) });
    }
    for (const message of pending ?? []) send(message);
    pending = undefined;
  };
  document.head.append(script);
});

parent.postMessage({ wink: 'bridge-ready', v: PROTOCOL_VERSION }, '*');
