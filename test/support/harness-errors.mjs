// What keeps the browser harness working across the builds Debian ships, and what makes its own
// failures (not the tests') say which build they came from.

/**
 * Protocol commands that only the harness sends, for something no test relies on, and that some
 * browser builds lack. Firefox ESR 140 has no `emulation.setScreenOrientationOverride`, which
 * puppeteer sends with every `page.setViewport` over WebDriver BiDi.
 */
export const OPTIONAL_COMMANDS = ['emulation.setScreenOrientationOverride'];

/** Whether an error is a browser's "unknown command" answer to one of the optional commands. */
export function isMissingOptionalCommand(error) {
  const message = String(error?.message ?? '');
  if (!/unknown command|unsupported operation/.test(message)) return false;
  return OPTIONAL_COMMANDS.some((command) => message.includes(`(${command})`));
}

/**
 * Makes a page's `setViewport` tolerate a build without the screen-orientation override. Puppeteer
 * sends the size and the orientation as separate commands, side by side; the size is applied
 * whatever the orientation's answer, and the tests rely on the size only. Any other error is
 * thrown as it was.
 */
export function tolerateMissingOrientation(page) {
  const setViewport = page.setViewport.bind(page);
  page.setViewport = async (viewport) => {
    try {
      await setViewport(viewport);
    } catch (error) {
      if (!isMissingOptionalCommand(error)) throw error;
    }
  };
  return page;
}

/** The same error with the browser build in front of its message, keeping the original as cause. */
export function namedError(label, error) {
  const message = error instanceof Error ? error.message : String(error);
  if (message.startsWith(`${label}: `)) return error;
  const named = new Error(`${label}: ${message}`, { cause: error });
  if (error instanceof Error && error.stack) named.stack = `${label}: ${error.stack}`;
  return named;
}

const LAUNCHER_METHODS = ['initialize', 'startSession', 'startDebugSession', 'stopSession', 'stop'];

/**
 * Names the browser build in a launcher: its `name` (which the runner prints beside each of its
 * sessions) and every error its own methods throw (a browser that will not start, a page that
 * cannot be made, a protocol command refused).
 */
export function withNamedErrors(launcher, label) {
  launcher.name = label;
  for (const method of LAUNCHER_METHODS) {
    const original = launcher[method];
    if (typeof original !== 'function') continue;
    launcher[method] = async function (...args) {
      try {
        return await original.apply(this, args);
      } catch (error) {
        throw namedError(label, error);
      } finally {
        // The WebDriver launcher names itself from the session's capabilities once it has one.
        launcher.name = label;
      }
    };
  }
  return launcher;
}
