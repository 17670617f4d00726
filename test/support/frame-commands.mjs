// web-test-runner commands that work the same in every engine, through puppeteer (Chromium,
// Firefox) or WebDriver (WebKit):
// - `locate-in-simulator` finds an element inside the simulator's (sandboxed, cross-origin) frame,
//   scrolls it into view as a person would, and returns its centre in page coordinates, so that a
//   test can then use real mouse and keyboard input (sendMouse / sendKeys) on it. It never clicks
//   or types itself.
// - `focused-in-simulator` tells whether keyboard focus is on the element a selector names inside
//   that frame.
// - `viewport` sets the size of the page's viewport.
const LOCATE_TIMEOUT_MS = 5000;
const RETRY_MS = 25;
/** Frames nest page → example app → widget bridge; nothing the tests draw goes deeper. */
const MAX_FRAME_DEPTH = 4;

export function frameCommandsPlugin() {
  return {
    name: 'frame-commands',
    async executeCommand({ command, payload, session }) {
      const webDriver = session.browser.type === 'webdriver' ? session.browser.driver : undefined;
      if (command === 'viewport') {
        if (webDriver) await setViewportByWebDriver(webDriver, payload);
        else await session.browser.getPage(session.id).setViewport(payload);
        return true;
      }
      const selector = `.wink-sim ${payload?.selector}`;
      if (command === 'focused-in-simulator') {
        return webDriver
          ? isFocusedByWebDriver(webDriver, selector)
          : isFocusedByPuppeteer(session.browser.getPage(session.id), selector);
      }
      if (command !== 'locate-in-simulator') return undefined;
      const locate = webDriver
        ? () => locateByWebDriver(webDriver, selector)
        : () => locateByPuppeteer(session.browser.getPage(session.id), selector);
      const deadline = Date.now() + LOCATE_TIMEOUT_MS;
      while (Date.now() < deadline) {
        const centre = await locate();
        if (centre) return centre;
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
      throw new Error(`Nothing visible matches ${payload.selector} in the simulator`);
    },
  };
}

/**
 * Scrolls the element into view and returns its box in its own frame's viewport, with where that
 * viewport sits on the screen when the engine says so (Firefox's `mozInnerScreenX/Y`).
 */
function boxInFrame(element) {
  element.scrollIntoView({ block: 'center' });
  const { x, y, width, height } = element.getBoundingClientRect();
  return { x, y, width, height, screenX: window.mozInnerScreenX, screenY: window.mozInnerScreenY };
}

/**
 * The element's box in the page's coordinates. Firefox's own numbers place a nested frame's
 * viewport against the page's: puppeteer's `boundingBox` would find the frame's element with a
 * WebDriver BiDi locator (`context`) that Firefox ESR 140 does not have, so Firefox never takes
 * that road. Chromium has no such numbers, and puppeteer's road works there.
 */
async function boxInPage(page, handle) {
  const box = await handle.evaluate(boxInFrame);
  if (box.screenX === undefined) return handle.boundingBox();
  const [pageX, pageY] = await page.evaluate(() => [window.mozInnerScreenX, window.mozInnerScreenY]);
  return { x: box.x + box.screenX - pageX, y: box.y + box.screenY - pageY, width: box.width, height: box.height };
}

/** One pass over the page's frames; a frame that detaches meanwhile (left by an earlier test) is skipped. */
async function locateByPuppeteer(page, selector) {
  for (const frame of page.frames()) {
    if (frame.detached) continue;
    try {
      // Puppeteer throws synchronously on a frame that has just detached, so this stays in try.
      const handle = await frame.$(selector);
      if (!handle) continue;
      const box = await boxInPage(page, handle);
      if (box && box.width > 0 && box.height > 0) {
        return { x: Math.round(box.x + box.width / 2), y: Math.round(box.y + box.height / 2) };
      }
    } catch {
      // The frame went away under us: look again on the next pass.
    }
  }
  return undefined;
}

/** Whether `selector` has focus in the frame that shows the simulator (false when none does). */
function focusedIn(selector) {
  return document.querySelector('.wink-sim') ? document.hasFocus() && document.activeElement.matches(selector) : null;
}

async function isFocusedByPuppeteer(page, selector) {
  for (const frame of page.frames()) {
    if (frame.detached) continue;
    try {
      const focused = await frame.evaluate(focusedIn, selector);
      if (focused !== null) return focused;
    } catch {
      // A frame that detached under us holds no simulator.
    }
  }
  return false;
}

async function isFocusedByWebDriver(driver, selector) {
  const script = `return (${focusedIn})(arguments[0]) === true`;
  try {
    await driver.switchToFrame(null);
    const path = await findFramePath(driver, SIMULATOR_SCRIPT, []);
    return path !== null && (await driver.executeScript(script, [selector]));
  } catch {
    return false;
  } finally {
    await driver.switchToFrame(null).catch(() => undefined);
  }
}

// Scripts run in one frame's document by WebDriver. Frames are looked for in open shadow roots
// too, since the widget's iframe lives in one.
const FRAMES_SCRIPT = `
  const frames = [];
  const walk = (root) => {
    for (const element of root.querySelectorAll('*')) {
      if (element.localName === 'iframe') frames.push(element);
      if (element.shadowRoot) walk(element.shadowRoot);
    }
  };
  walk(document);
  return frames.map((frame) => {
    const box = frame.getBoundingClientRect();
    const style = getComputedStyle(frame);
    return {
      frame,
      x: box.x + frame.clientLeft + parseFloat(style.paddingLeft),
      y: box.y + frame.clientTop + parseFloat(style.paddingTop),
    };
  });`;
const BOX_SCRIPT = `
  const element = document.querySelector(arguments[0]);
  if (!element) return null;
  if (arguments[1]) element.scrollIntoView({ block: 'center' });
  const { x, y, width, height } = element.getBoundingClientRect();
  return { x, y, width, height };`;
const SIMULATOR_SCRIPT = `return document.querySelector('.wink-sim') !== null`;

/**
 * Looks for the selector frame by frame, depth first, and scrolls the match into view. Scrolling
 * can move the frames around it, so the match's page position is then measured on a second walk
 * down the same path. Any WebDriver error (a frame that detached) ends the pass.
 */
async function locateByWebDriver(driver, selector) {
  try {
    await driver.switchToFrame(null);
    const path = await findFramePath(driver, BOX_SCRIPT, [selector, true]);
    if (!path) return undefined;
    await driver.switchToFrame(null);
    let x = 0;
    let y = 0;
    for (const index of path) {
      const frame = (await driver.executeScript(FRAMES_SCRIPT, []))[index];
      x += frame.x;
      y += frame.y;
      await driver.switchToFrame(frame.frame);
    }
    const box = await driver.executeScript(BOX_SCRIPT, [selector, false]);
    if (!box || box.width <= 0 || box.height <= 0) return undefined;
    return { x: Math.round(x + box.x + box.width / 2), y: Math.round(y + box.y + box.height / 2) };
  } catch {
    return undefined;
  } finally {
    await driver.switchToFrame(null).catch(() => undefined);
  }
}

/**
 * The frame indexes from the current document down to the first whose `probe` script answers
 * truthy, or null; it leaves WebDriver in that frame.
 */
async function findFramePath(driver, probe, args, depth = 0) {
  if (await driver.executeScript(probe, args)) return [];
  if (depth >= MAX_FRAME_DEPTH) return null;
  const frames = await driver.executeScript(FRAMES_SCRIPT, []);
  for (const [index, { frame }] of frames.entries()) {
    await driver.switchToFrame(frame);
    const rest = await findFramePath(driver, probe, args, depth + 1);
    if (rest) return [index, ...rest];
    await driver.switchToParentFrame();
  }
  return null;
}

/** WebDriver sizes the window, not the viewport: size it, then correct by the browser's own chrome. */
async function setViewportByWebDriver(driver, { width, height }) {
  await driver.setWindowRect(null, null, width, height);
  const inner = await driver.executeScript('return [innerWidth, innerHeight]', []);
  await driver.setWindowRect(null, null, width + (width - inner[0]), height + (height - inner[1]));
}
