/**
 * Opt-in types for Vue templates: `import 'wink-widget/vue'` once (in a `.d.ts` or your main
 * module) and vue-tsc checks `<wink-widget>`'s props, `@event` names and `$event.detail` types.
 */
import type { EmitFn, HTMLAttributes, PublicProps } from 'vue';
import type { WinkWidgetEventMap } from '../events.js';
import type { WinkWidget } from '../wink-widget.js';
import type { WinkWidgetProperties } from './shared.js';

type WinkWidgetEmit = EmitFn<{ [K in keyof WinkWidgetEventMap]: (event: WinkWidgetEventMap[K]) => void }>;

declare module 'vue' {
  interface GlobalComponents {
    'wink-widget': new () => WinkWidget & {
      /** @deprecated Template type checking only: not a property of the element. */
      $props: HTMLAttributes & WinkWidgetProperties & PublicProps;
      /** @deprecated Template type checking only: not a property of the element. */
      $emit: WinkWidgetEmit;
    };
  }
}

export type { SmileEventsEventMap, SmileEventsHandler } from './shared.js';
