// The three browser engines the suite runs in, each from Debian's packages, none downloaded:
// Chromium and Firefox ESR through puppeteer-core (Firefox over WebDriver BiDi), and WebKitGTK's
// MiniBrowser through its own WebKitWebDriver, under Xvfb when there is no display.
import { spawn } from 'node:child_process';
import { chromeLauncher } from '@web/test-runner-chrome';
import { WebdriverLauncher } from '@web/test-runner-webdriver';
import * as puppeteerCore from 'puppeteer-core';
import { CHROMIUM_ARGS, chromiumPath } from './chromium.mjs';
import { engineVersion, FIREFOX_PATH } from './engine-versions.mjs';
import { freePort } from './free-port.mjs';
import { tolerateMissingOrientation, withNamedErrors } from './harness-errors.mjs';

export const ENGINES = ['chromium', 'firefox', 'webkit'];

const WEBKIT_DRIVER_PATH = process.env.WEBKIT_DRIVER_PATH ?? '/usr/bin/WebKitWebDriver';
const MINIBROWSER_PATH = process.env.MINIBROWSER_PATH ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const START_TIMEOUT_MS = 30000;

/** The engines `WINK_ENGINES` names (comma-separated), or all three. */
export function selectedEngines(value = process.env.WINK_ENGINES) {
  const names = (value ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (names.length === 0) return [...ENGINES];
  const unknown = names.filter((name) => !ENGINES.includes(name));
  if (unknown.length) throw new Error(`Unknown engine ${unknown.join(', ')}: choose from ${ENGINES.join(', ')}`);
  return names;
}

/** The web-test-runner launcher of one engine, named after the browser build it drives. */
export function launcherFor(engine) {
  return withNamedErrors(engineLauncher(engine), engineVersion(engine));
}

// Each page of the puppeteer launchers tolerates a build without the screen-orientation override
// (Firefox ESR 140), which the launcher's viewport call would otherwise fail every file on.
const createPage = async ({ context }) => tolerateMissingOrientation(await context.newPage());

function engineLauncher(engine) {
  switch (engine) {
    case 'chromium':
      return chromeLauncher({
        createPage,
        launchOptions: { executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS },
      });
    case 'firefox':
      return chromeLauncher({
        createPage,
        puppeteer: puppeteerCore,
        launchOptions: { browser: 'firefox', executablePath: FIREFOX_PATH, headless: true },
      });
    case 'webkit':
      return new WebKitLauncher();
    default:
      throw new Error(`Unknown engine ${engine}`);
  }
}

/** Starts Xvfb on the first free display and resolves with that display's name, e.g. `:99`. */
function startXvfb() {
  const child = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let number = '';
    let errors = '';
    const timer = setTimeout(
      () => fail(new Error(`Xvfb did not start within ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    );
    const fail = (error) => {
      clearTimeout(timer);
      child.kill();
      reject(error);
    };
    child.stderr.on('data', (chunk) => (errors += chunk));
    child.stdio[3].on('data', (chunk) => {
      number += chunk;
      if (!number.includes('\n')) return;
      clearTimeout(timer);
      resolve({ child, display: `:${number.trim()}` });
    });
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`Xvfb exited with ${code}: ${errors.trim()}`)));
  });
}

/** Resolves once a WebDriver server answers `/status` as ready; rejects after `START_TIMEOUT_MS`. */
async function whenDriverReady(port, driver) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (driver.exitCode !== null) throw new Error(`WebKitWebDriver exited with ${driver.exitCode}`);
    const ready = await fetch(`http://127.0.0.1:${port}/status`)
      .then((response) => response.json())
      .then((body) => body?.value?.ready === true)
      .catch(() => false);
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`WebKitWebDriver did not answer within ${START_TIMEOUT_MS} ms`);
}

/**
 * WebKitGTK's MiniBrowser driven by Debian's WebKitWebDriver. The launcher starts the driver (and
 * Xvfb when there is no display) itself and points webdriverio at it, so that nothing is fetched.
 */
class WebKitLauncher extends WebdriverLauncher {
  #children = [];

  constructor() {
    // The frame commands use WebDriver's own `switchToFrame` on purpose (webdriverio's newer
    // `switchFrame` leans on BiDi); webdriverio would otherwise warn at every call.
    process.env.DISABLE_WEBDRIVERIO_DEPRECATION_WARNINGS = 'true';
    super({
      hostname: '127.0.0.1',
      capabilities: {
        browserName: 'MiniBrowser',
        'webkitgtk:browserOptions': { binary: MINIBROWSER_PATH, args: ['--automation'] },
        // webdriverio would otherwise ask for BiDi, which WebKitWebDriver does not speak.
        'wdio:enforceWebDriverClassic': true,
      },
    });
  }

  async initialize(config) {
    const env = { ...process.env };
    if (!env.DISPLAY) {
      const xvfb = await startXvfb();
      this.#children.push(xvfb.child);
      env.DISPLAY = xvfb.display;
    }
    const port = await freePort();
    const driver = spawn(WEBKIT_DRIVER_PATH, [`--port=${port}`, '--host=local'], { env, stdio: 'ignore' });
    this.#children.push(driver);
    await whenDriverReady(port, driver);
    this.options.port = port;
    await super.initialize(config);
  }

  async stop() {
    await super.stop();
    for (const child of this.#children.reverse()) child.kill();
    this.#children = [];
  }
}
