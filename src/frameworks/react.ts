/**
 * Opt-in types for React 19 (native custom element support, no wrapper): `import 'wink-widget/react'`
 * once and TSX knows `<wink-widget>`'s properties and `onaccount-connected`-style handlers.
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { WinkWidget } from '../wink-widget.js';
import type { WinkWidgetEventHandlers, WinkWidgetProperties } from './shared.js';

/** The props of `<wink-widget>` in JSX. React 19 sets each as a property of the element. */
export type WinkWidgetJsxProps = DetailedHTMLProps<HTMLAttributes<WinkWidget>, WinkWidget> &
  WinkWidgetProperties &
  WinkWidgetEventHandlers;

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'wink-widget': WinkWidgetJsxProps;
    }
  }
}

export type { SmileEventsEventMap, SmileEventsHandler } from './shared.js';
