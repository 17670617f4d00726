// A web-test-runner command that finds an element inside the simulator's (sandboxed,
// cross-origin) frame, scrolls it into view as a person would, and returns its centre in page
// coordinates, so that a test can then use real mouse and keyboard input (sendMouse / sendKeys)
// on it. It never clicks or types itself.
const LOCATE_TIMEOUT_MS = 5000;

export function frameCommandsPlugin() {
  return {
    name: 'frame-commands',
    async executeCommand({ command, payload, session }) {
      if (command !== 'locate-in-simulator') return undefined;
      const page = session.browser.getPage(session.id);
      const deadline = Date.now() + LOCATE_TIMEOUT_MS;
      while (Date.now() < deadline) {
        for (const frame of page.frames()) {
          const handle = await frame.$(`.wink-sim ${payload.selector}`).catch(() => null);
          await handle?.evaluate((element) => element.scrollIntoView({ block: 'center' })).catch(() => null);
          const box = handle && (await handle.boundingBox().catch(() => null));
          if (box && box.width > 0 && box.height > 0) {
            return { x: Math.round(box.x + box.width / 2), y: Math.round(box.y + box.height / 2) };
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(`Nothing visible matches ${payload.selector} in the simulator`);
    },
  };
}
