// The demo page: one <wink-widget> on the simulator (or the real SDK with a real token), controls
// to open it and replay the simulator's scenarios, and a live log of every event it dispatches,
// next to the verified webhooks of its own user that the demo server pushes over the package's
// event stream. When TASK_FINISHED arrives, the page says the payroll data is ready.
import '../src/define.js';
import { SmileEvents } from '../src/smile-events.js';
import { DEFAULT_SDK_URL, WINK_CALLBACKS, type WinkWidget, type WinkWidgetEventName } from '../src/index.js';
import { SCENARIOS, type ScenarioName } from '../src/simulator/scenarios.js';

const SIMULATOR_URL = '/dist/simulator.js';
const BASE_OPTIONS = {
  companyName: 'Acme Lending',
  enableUpload: true,
  topProviders: ['contoso-payroll', 'northwind'],
};
const EVENTS: WinkWidgetEventName[] = ['widget-open', ...Object.values(WINK_CALLBACKS), 'widget-error'];

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const widget = $<WinkWidget>('#widget');
const log = $<HTMLOListElement>('#log');
const mode = $('#mode');

async function fetchLinkToken(): Promise<string> {
  const openedAt = new Date();
  const response = await fetch('/demo/api/link-token', { method: 'POST' });
  const body = (await response.json()) as { accessToken: string; userId?: string; message?: string };
  if (!response.ok) throw new Error(body.message ?? `link-token answered ${response.status}`);
  // The token's response gave this page its session: from now on the server knows its user.
  listenToWebhooks(openedAt, body.userId);
  return body.accessToken;
}

const dataStatus = $('#data-status');
let webhooks: SmileEvents | undefined;

/**
 * The verified webhooks of this page's user, pushed by the demo server, from the moment the widget
 * was first opened: an event that arrived before the stream was open still comes, from history.
 */
function listenToWebhooks(since: Date, userId: string | undefined) {
  if (webhooks) return;
  webhooks = new SmileEvents('/demo/api/events', { since });
  $('#stream-user').textContent = userId ?? 'this session';
  webhooks.addEventListener('webhook', ({ detail }) => log.prepend(logItem(detail.type, 'webhook', detail)));
  webhooks.addEventListener('TASK_STARTED', () => {
    dataStatus.dataset.state = 'syncing';
    dataStatus.textContent = 'Smile is fetching the payroll data…';
  });
  webhooks.addEventListener('TASK_FINISHED', ({ detail }) => {
    const ready = detail.data.status === 'SUCCEEDED';
    dataStatus.dataset.state = ready ? 'ready' : 'failed';
    dataStatus.textContent = ready
      ? `Payroll data ready: ${(detail.data.datapoints ?? []).join(', ')}`
      : `The data sync failed${detail.data.errorCode ? ` (${detail.data.errorCode})` : ''}`;
  });
  webhooks.addEventListener('resync', () => {
    dataStatus.textContent = 'Some webhooks were missed: a real app refetches its data now.';
  });
}

function setMode(label: string, real: boolean) {
  mode.textContent = label;
  mode.classList.toggle('real', real);
  for (const button of document.querySelectorAll<HTMLButtonElement>('#scenario-buttons button')) button.disabled = real;
}

function logEvent(event: CustomEvent<unknown>) {
  log.prepend(logItem(event.type, event.type === 'widget-error' ? 'error' : 'callback', event.detail));
  // Offline, the demo server plays Smile's backend too: it sends itself the matching webhooks.
  if (config.simulatedWebhooks) {
    void fetch('/demo/api/simulate-webhook', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event: event.type, detail: event.detail }),
    });
  }
}

function logItem(name: string, kind: 'callback' | 'error' | 'webhook', detail: unknown): HTMLLIElement {
  const item = document.createElement('li');
  const time = document.createElement('time');
  const now = new Date();
  time.dateTime = now.toISOString();
  time.textContent =
    now.toLocaleTimeString(undefined, { hour12: false }) + `.${String(now.getMilliseconds()).padStart(3, '0')}`;
  const label = document.createElement('span');
  label.className = `name ${kind}`;
  label.textContent = kind === 'webhook' ? `webhook ${name}` : name;
  const body = document.createElement('pre');
  body.textContent = JSON.stringify(detail, null, 2);
  item.dataset[kind === 'webhook' ? 'webhook' : 'event'] = name;
  item.className = kind;
  item.append(time, label, body);
  return item;
}

function open(modal: boolean) {
  notify(undefined);
  widget.modal = modal;
  void widget.show();
}

const config = (await (await fetch('/demo/api/config')).json().catch(() => ({ sdk: 'simulator' }))) as {
  sdk: 'simulator' | 'smile';
  /** Where the real SDK is loaded from: Smile's, unless the demo server was told otherwise. */
  realSdkUrl?: string;
  /** Offline with a made-up webhook secret: the server plays Smile's webhooks for the page's flows. */
  simulatedWebhooks?: boolean;
};
const REAL_SDK_URL = config.realSdkUrl ?? DEFAULT_SDK_URL;

/** Back to the offline simulator, its tokens minted by the demo server. */
function useSimulator(label = 'Offline simulator') {
  widget.token = undefined;
  widget.tokenProvider = fetchLinkToken;
  widget.sdkUrl = SIMULATOR_URL;
  widget.options = BASE_OPTIONS;
  setMode(label, false);
}

if (config.sdk === 'smile') {
  widget.tokenProvider = fetchLinkToken;
  widget.sdkUrl = REAL_SDK_URL;
  setMode('Smile sandbox (real SDK)', true);
} else {
  useSimulator();
}
// Preloading starts only now that the SDK is chosen: set in the markup, it would load the default
// (Smile's own SDK) before the simulator was picked, a request off the machine in offline mode.
widget.preload = true;

/** True while the widget plays one of the simulator's scenarios. */
const playingScenario = () => widget.options?.simulator !== undefined;

/** Says what happened to the widget when it did something a person would not expect by themselves. */
function notify(text: string | undefined) {
  const notice = $('#notice');
  notice.textContent = text ?? '';
  notice.hidden = text === undefined;
}

// A scenario plays once. When it makes the token expire, the widget relaunches on a fresh token
// with the plain flow, instead of replaying the expiry for ever.
widget.addEventListener('token-expired', (event) => {
  // The relaunch starts over at the consent screen: say why, or the person just sees it reset.
  notify(
    widget.tokenProvider
      ? 'Your session expired, so the widget started again with a fresh token: please connect from the start.'
      : 'Your session expired: close the widget and open it again.',
  );
  if (!playingScenario()) return;
  event.preventDefault();
  // A change of options relaunches once, and the launch asks tokenProvider for a fresh token.
  widget.options = BASE_OPTIONS;
});
widget.addEventListener('widget-close', () => {
  if (playingScenario()) widget.options = BASE_OPTIONS;
});

// A pasted token with a real SDK that cannot be reached (offline, blocked): say so, and go back to
// the simulator rather than leave an empty widget behind.
widget.addEventListener('widget-error', ({ detail }) => {
  if (detail.code === 'TOKEN_EXPIRED_REPEATEDLY') {
    notify('The session kept expiring, so the widget stopped: open it again to start over.');
  }
  if (config.sdk !== 'simulator' || widget.sdkUrl === SIMULATOR_URL) return;
  if (!['SDK_LOAD_FAILED', 'SDK_ERROR', 'BRIDGE_TIMEOUT'].includes(detail.code)) return;
  widget.open = false;
  useSimulator(`Offline simulator: the real SDK did not load (${detail.code})`);
});

for (const type of EVENTS) widget.addEventListener(type, logEvent as EventListener);
new MutationObserver(() => ($('#state').textContent = widget.state)).observe(widget, { attributeFilter: ['state'] });

const scenarioButtons = $('#scenario-buttons');
for (const [name, scenario] of Object.entries(SCENARIOS) as [ScenarioName, { description: string }][]) {
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = name;
  button.title = scenario.description;
  button.dataset.scenario = name;
  button.disabled = config.sdk === 'smile';
  button.addEventListener('click', () => {
    widget.options = { ...BASE_OPTIONS, simulator: { scenario: name, delay: 700 } };
    if (!widget.open) open(widget.modal);
  });
  scenarioButtons.append(button);
}

$('#open-inline').addEventListener('click', () => {
  widget.options = config.sdk === 'smile' ? undefined : BASE_OPTIONS;
  open(false);
});
$('#open-modal').addEventListener('click', () => {
  widget.options = config.sdk === 'smile' ? undefined : BASE_OPTIONS;
  open(true);
});
$('#close').addEventListener('click', () => widget.close());
$('#clear-log').addEventListener('click', () => log.replaceChildren());
$<HTMLFormElement>('#paste-token').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = $<HTMLInputElement>('#pasted-token');
  const token = input.value.trim();
  if (!token) return;
  input.value = '';
  widget.tokenProvider = undefined;
  widget.options = undefined;
  widget.sdkUrl = REAL_SDK_URL;
  widget.token = token;
  setMode('Real SDK with a pasted token', true);
  if (!widget.open) open(widget.modal);
});
