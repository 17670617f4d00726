/**
 * Opt-in types for Svelte 5: `import 'wink-widget/svelte'` once and svelte-check knows
 * `<wink-widget>`'s attributes, properties and `onaccount-connected`-style handlers.
 */
import type { HTMLAttributes } from 'svelte/elements';
import type { WinkWidget } from '../wink-widget.js';
import type { WinkWidgetAttributes, WinkWidgetEventHandlers, WinkWidgetProperties } from './shared.js';

/** What `<wink-widget>` accepts in Svelte markup. */
export type WinkWidgetSvelteAttributes = HTMLAttributes<WinkWidget> &
  WinkWidgetAttributes &
  WinkWidgetProperties &
  WinkWidgetEventHandlers;

declare module 'svelte/elements' {
  interface SvelteHTMLElements {
    'wink-widget': WinkWidgetSvelteAttributes;
  }
}

export type { SmileEventsEventMap, SmileEventsHandler } from './shared.js';
