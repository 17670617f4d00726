// What every example's page passes its app: where the SDK is (the simulator, served from this
// package's build) and how to get a Link token (from the demo server, as from your backend).
export const SDK_URL = '/dist/simulator.js';

export async function fetchLinkToken(): Promise<string> {
  const response = await fetch('/demo/api/link-token', { method: 'POST' });
  if (!response.ok) throw new Error(`link-token answered ${response.status}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}
