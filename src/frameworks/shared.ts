/**
 * What every framework's type entry declares for `<wink-widget>`: the properties a template may
 * bind, the attributes it may write, and one handler per event. Types only.
 */
import type { LitElement } from 'lit';
import type { WinkWidgetEventMap } from '../events.js';
import type { SmileEventsEventMap } from '../smile-events.js';
import type { PageEvent, StreamedWebhookEvent } from '../page-events.js';
import type { WinkWidget } from '../wink-widget.js';

/** The element's property table (`WinkWidget.properties`), which everything below is derived from. */
type PropertyTable = typeof WinkWidget.properties;

/** The element's own settable properties. */
export type WinkWidgetPropertyName = Extract<keyof PropertyTable, string>;

// The table must list exactly the element's public fields: a field added to the class without a
// row (or a row whose field is gone) fails to compile.
type OwnMembers = Exclude<keyof WinkWidget, keyof LitElement | 'show' | 'close' | 'state' | 'ready'>;
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const listsEveryProperty: Exactly<WinkWidgetPropertyName, OwnMembers> = true;
void listsEveryProperty;

export type WinkWidgetProperties = Partial<Pick<WinkWidget, WinkWidgetPropertyName>>;

/** A property's name in kebab case: `templateId` → `template-id`. */
type KebabCase<Name extends string> = Name extends `${infer Head}${infer Rest}`
  ? `${Head extends Lowercase<Head> ? Head : `-${Lowercase<Head>}`}${KebabCase<Rest>}`
  : Name;

/**
 * A property's attribute: the table gives every primitive property one, named in kebab case, and
 * rich values none (a test holds the table to this).
 */
type AttributeName<Name extends WinkWidgetPropertyName> = WinkWidget[Name] extends string | number | boolean | undefined
  ? KebabCase<Name>
  : never;

/** What markup may write in an attribute: booleans present or not, numbers as numbers or text. */
type AttributeValue<Value> = [Value] extends [boolean]
  ? boolean | ''
  : [Value] extends [number]
    ? number | string
    : string;

/** The element's attributes as written in markup (every value a string, booleans present or not). */
export type WinkWidgetAttributes = {
  [Name in WinkWidgetPropertyName as AttributeName<Name>]?: AttributeValue<WinkWidget[Name]>;
};

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
