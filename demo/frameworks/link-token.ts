// What every example's page passes its app: where the SDK is (the simulator, served from this
// package's build), how to get a Link token (from the demo server, as from your backend), and
// where the webhooks of the page's user are pushed.
export const SDK_URL = '/dist/simulator.js';

/** The demo server's event stream of the page's own user (the session the Link token gave it). */
export const EVENTS_URL = '/demo/api/events';

export async function fetchLinkToken(): Promise<string> {
  const response = await fetch('/demo/api/link-token', { method: 'POST' });
  if (!response.ok) throw new Error(`link-token answered ${response.status}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}
