// `npm run screenshots`: PNGs of the demo page and of each simulator screen, taken in headless
// Chromium from the demo server, into docs/screenshots/.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { startDemoServer } from '../demo/server.mjs';
import { CHROMIUM_ARGS, chromiumPath } from '../test/support/chromium.mjs';

const outDir = new URL('../docs/screenshots/', import.meta.url);

const toLogin = (provider = 'contoso-payroll') => [
  { click: '[data-action="continue"]' },
  { click: `[data-provider="${provider}"]` },
];
const signIn = (username, password) => [
  { type: 'input[name="username"]', text: username },
  { type: 'input[name="password"]', text: password },
  { click: '[data-action="sign-in"]' },
];
const mfa = [...toLogin(), ...signIn('gpalomero1234@smileapi.io', '123456')];
const connected = [...toLogin(), ...signIn('ryan1234@smileapi.io', '654321')];
const toUpload = [{ click: '[data-action="continue"]' }, { click: '[data-action="upload"]' }];
const uploaded = [...toUpload, { click: '[data-file-type="PAYSTUB"]' }, { click: '[data-action="sample-upload"]' }];

/** Each simulator screen, as the clicks and typing that reach it from a fresh widget. */
export const SCREENS = {
  'consent-page': [],
  'provider-list-page': [{ click: '[data-action="continue"]' }],
  'login-options-page': toLogin('fabrikam-hr'),
  'login-page': toLogin(),
  'mfa-page': mfa,
  'connect-success-page': [...mfa, { type: 'input[name="code"]', text: '1234' }, { click: '[data-action="verify"]' }],
  'account-error-page': [...toLogin(), ...signIn('gpalomero1234@smileapi.io', 'wrong')],
  'account-revoke-page': [...connected, { click: '[data-action="connect-another"]' }, { click: '[data-account]' }],
  'employer-survey-page': [{ click: '[data-action="continue"]' }, { click: '[data-action="survey"]' }],
  'file-type-list-page': toUpload,
  'file-type-page': [...toUpload, { click: '[data-file-type="PAYSTUB"]' }],
  'archive-success-page': uploaded,
  'revoke-archive-page': [...uploaded, { click: '[data-action="upload-more"]' }, { click: '[data-upload]' }],
};

/** The frame in which the simulator draws, once it has drawn. */
async function simulatorFrame(page) {
  for (let tries = 0; tries < 100; tries++) {
    for (const frame of page.frames()) {
      if (await frame.$('.wink-sim').catch(() => null)) return frame;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('The simulator never drew');
}

async function perform(frame, steps) {
  for (const step of steps) {
    const selector = step.click ?? step.type;
    const handle = await frame.waitForSelector(selector, { visible: true, timeout: 5000 });
    if (step.click) await handle.click();
    else await handle.type(step.text);
  }
}

export async function takeScreenshots() {
  await mkdir(outDir, { recursive: true });
  const server = await startDemoServer({ env: { ...process.env, SMILE_API_KEY: '', SMILE_API_SECRET: '' } });
  const browser = await puppeteer.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
  const saved = [];
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 1100 });
    // The page keeps a webhook stream open, so wait for its script rather than an idle network.
    const openDemo = async () => {
      await page.goto(server.url, { waitUntil: 'load' });
      await page.waitForFunction(() => document.querySelector('#mode')?.textContent !== 'Starting…');
    };
    const fresh = async () => {
      await openDemo();
      await page.click('#open-inline');
      return simulatorFrame(page);
    };
    for (const [name, steps] of Object.entries(SCREENS)) {
      await perform(await fresh(), steps);
      const file = fileURLToPath(new URL(`simulator-${name}.png`, outDir));
      await (await page.$('wink-widget')).screenshot({ path: file });
      saved.push(file);
    }
    // The demo itself, after a scenario has filled its event log.
    await openDemo();
    await page.click('[data-scenario="connect-mfa"]');
    await page.waitForSelector('#log li[data-event="widget-close"]', { timeout: 20000 });
    await page.click('#open-inline');
    await simulatorFrame(page);
    await page.waitForSelector('#log li[data-event="ui-event"]');
    const file = fileURLToPath(new URL('demo.png', outDir));
    await page.screenshot({ path: file });
    saved.push(file);
  } finally {
    await browser.close();
    await server.stop();
  }
  return saved;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const file of await takeScreenshots()) console.log(file);
}
