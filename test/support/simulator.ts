// Real input into the simulator inside the widget's iframe: the runner locates an element in the
// frame, then the mouse and keyboard act on it as a person's would.
import { executeServerCommand, sendKeys, sendMouse } from '@web/test-runner-commands';
import type { AnyLoggedEvent } from './widget.js';

export const SIMULATOR_URL = new URL('/dist/simulator.js', location.href).href;

export async function click(selector: string): Promise<void> {
  const { x, y } = await executeServerCommand<{ x: number; y: number }, { selector: string }>('locate-in-simulator', {
    selector,
  });
  await sendMouse({ type: 'click', position: [x, y] });
}

export async function typeInto(selector: string, text: string): Promise<void> {
  await click(selector);
  await sendKeys({ type: text });
}

export const press = (key: string) => sendKeys({ press: key });

/** Whether keyboard focus is on `selector` inside the simulator's frame. */
export const isFocused = (selector: string) =>
  executeServerCommand<boolean, { selector: string }>('focused-in-simulator', { selector });

/**
 * Presses Tab until focus is on `selector` inside the simulator, as a keyboard user would. How
 * many stops lie between differs by engine (Firefox makes any scroller one); where focus lands
 * does not. Fails after `maxStops` presses.
 */
export async function tabTo(selector: string, maxStops = 6): Promise<void> {
  for (let stop = 0; stop < maxStops; stop++) {
    await press('Tab');
    if (await isFocused(selector)) return;
  }
  throw new Error(`Tab never brought focus to ${selector} within ${maxStops} presses`);
}

/** Sizes the page's viewport in every engine (the runner's own `setViewport` has no WebDriver path). */
export async function setViewport(size: { width: number; height: number }): Promise<void> {
  await executeServerCommand('viewport', size);
}

/** An event as one short string: its name, and what tells it apart (screen, reason, code). */
export function brief(entry: AnyLoggedEvent): string {
  switch (entry.type) {
    case 'ui-event':
      return `ui-event:${entry.detail.eventName}`;
    case 'widget-close':
      return `widget-close:${entry.detail.reason}`;
    case 'account-error':
      return `account-error:${entry.detail.errorCode}`;
    case 'widget-error':
      return `widget-error:${entry.detail.code}`;
    default:
      return entry.type;
  }
}
