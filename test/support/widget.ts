// Helpers shared by the browser tests: where the SDK double lives, a bounded event recorder and
// a fixture that mounts a widget with its listeners attached before the bridge can post.
import { fixtureSync, html } from '@open-wc/testing';
import {
  WINK_CALLBACKS,
  type UiEventDetail,
  type WinkWidgetEventMap,
  type WinkWidgetEventName,
} from '../../src/index.js';
import type { WinkWidget } from '../../src/index.js';
import '../../src/define.js';

export const DOUBLE_URL = new URL('/test/fixtures/sdk-double.js', location.href).href;

/** Every event name the element can dispatch, from the table. */
export const EVENT_TYPES: WinkWidgetEventName[] = [
  ...Object.values(WINK_CALLBACKS),
  'widget-ready',
  'widget-open',
  'widget-error',
];

/** The same server on a genuinely different origin (localhost ↔ 127.0.0.1). */
export const OTHER_ORIGIN = `${location.protocol}//${location.hostname === 'localhost' ? '127.0.0.1' : 'localhost'}:${location.port}`;

/**
 * The detail of an event by its name: typed for the element's own events. The SDK double's
 * `echoConfig` adds the config it was given to a `ui-event`, so that tests can read it.
 */
export type LoggedDetail<K extends string> = K extends 'ui-event'
  ? UiEventDetail & { config: Record<string, unknown> }
  : K extends WinkWidgetEventName
    ? WinkWidgetEventMap[K]['detail']
    : unknown;

export interface LoggedEvent<K extends string = WinkWidgetEventName> {
  type: K;
  detail: LoggedDetail<K>;
  event: CustomEvent;
}

/** Any logged event of the element, told apart by its `type`. */
export type AnyLoggedEvent = { [K in WinkWidgetEventName]: LoggedEvent<K> }[WinkWidgetEventName];

/** Records the element's events in order; `until` waits for one, bounded by a timeout. */
export class EventLog {
  readonly entries: AnyLoggedEvent[] = [];
  #waiters = new Set<() => void>();

  constructor(target: EventTarget, types: readonly string[] = EVENT_TYPES) {
    for (const type of types) {
      target.addEventListener(type, (event) => {
        this.entries.push({ type, detail: (event as CustomEvent<unknown>).detail, event } as AnyLoggedEvent);
        for (const wake of this.#waiters) wake();
      });
    }
  }

  get types(): string[] {
    return this.entries.map((entry) => entry.type);
  }

  of<K extends string>(type: K): LoggedEvent<K>[] {
    return this.entries.filter((entry) => entry.type === type) as unknown[] as LoggedEvent<K>[];
  }

  /** Resolves with the `count`-th event of `type`; rejects after `timeout` ms. */
  until<K extends string>(type: K, { count = 1, timeout = 8000 } = {}): Promise<LoggedEvent<K>> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.of(type)[count - 1];
        if (!found) return false;
        this.#waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        // A widget-error names its code and message, so that a failure says why it happened.
        const got = this.entries.map((entry) =>
          entry.type === 'widget-error' ? `widget-error ${JSON.stringify(entry.detail)}` : entry.type,
        );
        reject(new Error(`No ${type} #${count} within ${timeout} ms; got: ${got.join(', ') || 'nothing'}`));
      }, timeout);
      if (!check()) this.#waiters.add(check);
    });
  }
}

export interface MountOptions {
  token?: string;
  play?: unknown[][];
  options?: Record<string, unknown>;
  open?: boolean;
  modal?: boolean;
  sdkUrl?: string;
  configure?: (el: WinkWidget) => void;
}

/** Mounts `<wink-widget>` on the SDK double, recording its events from before the first launch. */
export function mountWidget({
  token = 'tok-test',
  play = [],
  options = {},
  open = true,
  modal = false,
  sdkUrl = DOUBLE_URL,
  configure,
}: MountOptions = {}): { el: WinkWidget; log: EventLog } {
  const el = fixtureSync<WinkWidget>(html`<wink-widget sdk-url=${sdkUrl} template-id="wtpl-test"></wink-widget>`);
  const log = new EventLog(el);
  el.token = token;
  el.options = { play, ...options };
  el.modal = modal;
  configure?.(el);
  el.open = open;
  return { el, log };
}
