/**
 * What every framework's type entry declares for `<wink-widget>`: the properties a template may
 * bind, the attributes it may write, and one handler per event. Types only.
 */
import type { LitElement } from 'lit';
import type { WinkWidgetEventMap } from '../events.js';
import type { SmileEventsEventMap } from '../smile-events.js';
import type { PageEvent, StreamedWebhookEvent } from '../page-events.js';
import type { WinkWidget } from '../wink-widget.js';

/** The element's own settable properties. */
export type WinkWidgetPropertyName =
  | 'token'
  | 'templateId'
  | 'open'
  | 'modal'
  | 'sdkUrl'
  | 'bridgeUrl'
  | 'sandbox'
  | 'label'
  | 'timeout'
  | 'options'
  | 'callbacks'
  | 'tokenProvider'
  | 'debug'
  | 'preload';

// The list above must be exactly the element's public fields: adding one to the class without
// listing it here (or listing one that is gone) fails to compile.
type OwnMembers = Exclude<keyof WinkWidget, keyof LitElement | 'show' | 'close' | 'state' | 'ready'>;
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const listsEveryProperty: Exactly<WinkWidgetPropertyName, OwnMembers> = true;
void listsEveryProperty;

export type WinkWidgetProperties = Partial<Pick<WinkWidget, WinkWidgetPropertyName>>;

/** The element's attributes as written in markup (every value a string, booleans present or not). */
export interface WinkWidgetAttributes {
  token?: string;
  'template-id'?: string;
  open?: boolean | '';
  modal?: boolean | '';
  'sdk-url'?: string;
  'bridge-url'?: string;
  sandbox?: string;
  label?: string;
  timeout?: number | string;
  debug?: boolean | '';
  preload?: boolean | '';
}

/** `on<event-name>` handlers, the form React 19 and Svelte 5 use for custom element events. */
export type WinkWidgetEventHandlers = {
  [K in keyof WinkWidgetEventMap as `on${K}`]?: (event: WinkWidgetEventMap[K]) => void;
};

/**
 * A listener of one event of `wink-widget/events`' `SmileEvents`, typed from the webhook union as
 * projected: `SmileEventsHandler<'TASK_FINISHED'>` gets `event.detail.data.datapoints`.
 */
export type SmileEventsHandler<
  Type extends keyof SmileEventsEventMap<Event>,
  Event extends PageEvent = StreamedWebhookEvent,
> = (event: SmileEventsEventMap<Event>[Type]) => void;

export type { SmileEventsEventMap } from '../smile-events.js';
