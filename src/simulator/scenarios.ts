/**
 * Named flows the simulator can play by itself (`simulator: { scenario }`), for demos and tests.
 * A scenario drives the real screens, clicking and typing as a person would, so every callback
 * and UI event comes from the same code as a hand-driven session.
 */
import { SANDBOX_LOGINS } from './data.js';

type Step = { click: string; optional?: boolean } | { fill: string; value: string } | { expire: true };

export interface Scenario {
  description: string;
  steps: Step[];
  /** The scenario needs the upload flow, whatever `enableUpload` says. */
  needsUpload?: boolean;
  /** The scenario needs an account or an upload from earlier to revoke. */
  needsEarlier?: 'account' | 'upload';
}

const [mfaLogin, plainLogin] = SANDBOX_LOGINS as [
  { username: string; password: string; mfaCode: string },
  { username: string; password: string },
];

const toLogin: Step[] = [
  { click: '[data-action="continue"]', optional: true },
  { click: '[data-provider]', optional: true },
  { click: '[data-login-option]', optional: true },
];

const signIn = (username: string, password: string): Step[] => [
  { fill: 'input[name="username"]', value: username },
  { fill: 'input[name="password"]', value: password },
  { click: '[data-action="sign-in"]' },
];

export const SCENARIOS = {
  connect: {
    description: 'Connect an account without MFA, then Done',
    steps: [...toLogin, ...signIn(plainLogin.username, plainLogin.password), { click: '[data-action="done"]' }],
  },
  'connect-mfa': {
    description: 'Connect an account with an MFA code, then Done',
    steps: [
      ...toLogin,
      ...signIn(mfaLogin.username, mfaLogin.password),
      { fill: 'input[name="code"]', value: mfaLogin.mfaCode },
      { click: '[data-action="verify"]' },
      { click: '[data-action="done"]' },
    ],
  },
  'wrong-password': {
    description: 'A wrong password (INVALID_CREDENTIALS), then Exit',
    steps: [...toLogin, ...signIn(mfaLogin.username, 'not-the-password'), { click: '[data-action="exit"]' }],
  },
  'wrong-mfa': {
    description: 'A wrong MFA code (INVALID_MFA), then Exit',
    steps: [
      ...toLogin,
      ...signIn(mfaLogin.username, mfaLogin.password),
      { fill: 'input[name="code"]', value: '0000' },
      { click: '[data-action="verify"]' },
      { click: '[data-action="exit"]' },
    ],
  },
  'account-locked': {
    description: 'A locked account (ACCOUNT_LOCKED), then Exit',
    steps: [...toLogin, ...signIn(plainLogin.username, 'ACCOUNT_LOCKED'), { click: '[data-action="exit"]' }],
  },
  upload: {
    description: 'Upload a pay stub, then Done',
    needsUpload: true,
    steps: [
      { click: '[data-action="continue"]', optional: true },
      { click: '[data-action="upload"]' },
      { click: '[data-file-type="PAYSTUB"]' },
      { click: '[data-action="sample-upload"]' },
      { click: '[data-action="done"]' },
    ],
  },
  'revoke-account': {
    description: 'Revoke an account connected earlier, then close',
    needsEarlier: 'account',
    steps: [
      { click: '[data-action="continue"]', optional: true },
      { click: '[data-account]' },
      { click: '[data-action="revoke"]' },
      { click: '[data-action="close"]' },
    ],
  },
  'revoke-upload': {
    description: 'Revoke documents uploaded earlier, then close',
    needsUpload: true,
    needsEarlier: 'upload',
    steps: [
      { click: '[data-action="continue"]', optional: true },
      { click: '[data-action="upload"]' },
      { click: '[data-upload]' },
      { click: '[data-action="revoke"]' },
      { click: '[data-action="close"]' },
    ],
  },
  close: {
    description: 'Close with the × on the first screen',
    steps: [{ click: '[data-action="close"]' }],
  },
  'token-expired': {
    description: 'The token expires in the middle of the flow',
    steps: [{ click: '[data-action="continue"]', optional: true }, { click: '[data-provider]' }, { expire: true }],
  },
} satisfies Record<string, Scenario>;

export type ScenarioName = keyof typeof SCENARIOS;

export const isScenarioName = (name: unknown): name is ScenarioName =>
  typeof name === 'string' && Object.hasOwn(SCENARIOS, name);

/** Plays a scenario one step every `delay` ms; returns a function that stops it. */
export function playScenario(
  modal: { expire(): void },
  root: HTMLElement,
  name: ScenarioName,
  delay: number,
): () => void {
  const steps: Step[] = [...SCENARIOS[name].steps];
  let timer: ReturnType<typeof setTimeout>;
  const next = () => {
    const step = steps.shift();
    if (!step) return;
    if ('expire' in step) {
      modal.expire();
    } else {
      const selector = 'click' in step ? step.click : step.fill;
      const target = root.querySelector<HTMLElement>(selector);
      if (!target) {
        if ('click' in step && step.optional) {
          next();
          return;
        }
        console.warn(`[wink simulator] scenario "${name}" stopped: nothing matches ${selector}`);
        return;
      }
      if ('fill' in step) {
        (target as HTMLInputElement).value = step.value;
        target.dispatchEvent(new Event('input', { bubbles: true }));
      } else {
        target.click();
      }
    }
    timer = setTimeout(next, delay);
  };
  timer = setTimeout(next, delay);
  return () => clearTimeout(timer);
}
