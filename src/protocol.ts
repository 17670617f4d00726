/**
 * The bridge protocol between `<wink-widget>` and its iframe, as pure functions over
 * unknown data. Nothing here touches the DOM, so both sides and the unit tests share it.
 */
import {
  WINK_CALLBACKS,
  type AccountDetail,
  type AccountErrorDetail,
  type CallbackDetail,
  type CallbackEventName,
  type CallbackName,
  type CloseDetail,
  type UiEventDetail,
  type UploadsDetail,
  type WidgetErrorDetail,
} from './events.js';

export const PROTOCOL_VERSION = 2;

/** bridge → parent window, once, before the channel exists. */
export interface BridgeReadyMessage {
  wink: 'bridge-ready';
  v: typeof PROTOCOL_VERSION;
}

/**
 * element → bridge, once, in answer to `bridge-ready`, with the channel's port. It carries
 * nothing else: the bridge is already loading the SDK named in its frame's `name`.
 */
export interface ConnectMessage {
  wink: 'connect';
  v: typeof PROTOCOL_VERSION;
}

/**
 * element → bridge, once, over the port: the SDK's config and the callbacks to relay. The only
 * message that carries the token, and it never crosses the window.
 */
export interface LaunchMessage {
  wink: 'launch';
  v: typeof PROTOCOL_VERSION;
  config: Record<string, unknown>;
  /** The SDK callbacks the bridge relays: {@link CALLBACK_NAMES}. */
  callbacks: readonly CallbackName[];
}

/** bridge → element: the SDK's script has loaded; the frame waits for `launch`. */
export interface LoadedMessage {
  wink: 'loaded';
  v: typeof PROTOCOL_VERSION;
}

/** bridge → element: the SDK was constructed and `open()` returned. */
export interface OpenedMessage {
  wink: 'opened';
  v: typeof PROTOCOL_VERSION;
}

/**
 * bridge → element: the SDK could not be loaded or started, or (a self-hosted bridge) its URL is
 * not one the bridge loads from.
 */
export interface SdkErrorMessage {
  wink: 'sdk-error';
  v: typeof PROTOCOL_VERSION;
  code: 'SDK_LOAD_FAILED' | 'SDK_ERROR' | 'SDK_URL_NOT_ALLOWED';
  message: string;
}

/**
 * bridge → element: an SDK callback fired, with its arguments made cloneable; or, as a string,
 * why they could not be read (a getter that throws, nesting too deep to copy): the bridge reports
 * that instead of throwing back into the SDK.
 */
export interface CallbackMessage {
  wink: 'callback';
  v: typeof PROTOCOL_VERSION;
  name: CallbackName;
  args: unknown[] | string;
}

/**
 * What the element accepts on the port. The bridge posts them in batches, an array each: what
 * happened in one task leaves together, in order.
 */
export type PortMessage = LoadedMessage | OpenedMessage | SdkErrorMessage | CallbackMessage;

/** The outcome of reading a callback's arguments: a typed event, or the error that replaces it. */
export type CallbackEvent =
  { ok: true; type: CallbackEventName; detail: CallbackDetail<CallbackName> } | { ok: false; error: WidgetErrorDetail };

/** The callback names, in table order. */
export const CALLBACK_NAMES = /* @__PURE__ */ Object.keys(WINK_CALLBACKS) as CallbackName[];

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

const isPlainRecord = (value: unknown): value is Record<string, unknown> => isRecord(value) && !Array.isArray(value);

/** The value, when it is a record whose listed fields are all strings. */
const withStrings = (value: unknown, fields: readonly string[]) =>
  isPlainRecord(value) && fields.every((field) => typeof value[field] === 'string') ? value : undefined;

/** True for an absent or null part, or a record whose listed fields are strings where present. */
const isOptionalPart = (value: unknown, fields: readonly string[]) =>
  value == null ||
  (isPlainRecord(value) && fields.every((field) => value[field] === undefined || typeof value[field] === 'string'));

const ACCOUNT_FIELDS = ['accountId', 'userId', 'providerId'];

const readAccount = ([payload]: readonly unknown[]) =>
  withStrings(payload, ACCOUNT_FIELDS) as AccountDetail | undefined;

const readUploads = ([payload]: readonly unknown[]) => {
  const value = withStrings(payload, ['userId']);
  return value && Array.isArray(value.uploads) ? (value as unknown as UploadsDetail) : undefined;
};

/**
 * Per callback, the reader of its arguments: the typed detail when every documented field has its
 * documented type (extra fields are kept), undefined otherwise.
 */
const DETAIL_READERS: { [C in CallbackName]: (args: readonly unknown[]) => CallbackDetail<C> | undefined } = {
  onAccountCreated: readAccount,
  onAccountConnected: readAccount,
  onAccountRemoved: readAccount,
  onAccountError: ([payload]) =>
    withStrings(payload, [...ACCOUNT_FIELDS, 'errorCode']) as AccountErrorDetail | undefined,
  // The 2021 SDK passed a refresh function here; it cannot cross the bridge and carries no data.
  onTokenExpired: () => ({}),
  onUploadsCreated: readUploads,
  onUploadsRemoved: readUploads,
  onUIEvent: ([payload]) => {
    const value = withStrings(payload, ['eventName', 'eventTime', 'mode', 'userId']);
    return value &&
      isOptionalPart(value.account, ['providerId', 'accountId']) &&
      isOptionalPart(value.archive, ['fileType'])
      ? (value as unknown as UiEventDetail)
      : undefined;
  },
  // One docs page passes a bare reason string, the samples pass `{ reason }`: both are accepted.
  onClose: ([payload]) =>
    typeof payload === 'string' ? { reason: payload } : (withStrings(payload, ['reason']) as CloseDetail | undefined),
};

const SDK_ERROR_CODES: readonly unknown[] = [
  'SDK_LOAD_FAILED',
  'SDK_ERROR',
  'SDK_URL_NOT_ALLOWED',
] satisfies SdkErrorMessage['code'][];

const isMessage = (data: unknown): data is Record<string, unknown> & { wink: unknown } =>
  isRecord(data) && data.v === PROTOCOL_VERSION && typeof data.wink === 'string';

export const isCallbackName = (name: unknown): name is CallbackName =>
  typeof name === 'string' && Object.hasOwn(WINK_CALLBACKS, name);

/** True for the bridge's handshake message. */
export function isBridgeReady(data: unknown): data is BridgeReadyMessage {
  return isMessage(data) && data.wink === 'bridge-ready';
}

/**
 * The protocol version a bridge of another version says `bridge-ready` with (absent in none so
 * far, but it is said as it comes); undefined for this version's handshake and for anything
 * that is not a handshake. A bridge page of every version says hello this way.
 */
export function otherBridgeVersion(data: unknown): { v: unknown } | undefined {
  return isRecord(data) && data.wink === 'bridge-ready' && data.v !== PROTOCOL_VERSION ? { v: data.v } : undefined;
}

/** True for the element's answer to the handshake, as the bridge receives it. */
export function isConnect(data: unknown): data is ConnectMessage {
  return isMessage(data) && data.wink === 'connect';
}

/** Reads a message from the port; undefined for anything that is not part of the protocol. */
export function readPortMessage(data: unknown): PortMessage | undefined {
  if (!isMessage(data)) return undefined;
  switch (data.wink) {
    case 'loaded':
    case 'opened':
      return data as unknown as LoadedMessage | OpenedMessage;
    case 'sdk-error':
      return SDK_ERROR_CODES.includes(data.code) && typeof data.message === 'string'
        ? (data as unknown as SdkErrorMessage)
        : undefined;
    case 'callback':
      return isCallbackName(data.name) && (Array.isArray(data.args) || typeof data.args === 'string')
        ? (data as unknown as CallbackMessage)
        : undefined;
    default:
      return undefined;
  }
}

/**
 * Turns a callback's arguments into its event's detail, deep-frozen. A payload whose documented
 * fields have the wrong type becomes an `INVALID_PAYLOAD` error that carries it unchanged; one the
 * bridge could not read (`args` is then why) becomes an `INVALID_PAYLOAD` error that says why.
 */
export function readCallback(name: CallbackName, args: readonly unknown[] | string): CallbackEvent {
  const unreadable = typeof args === 'string';
  const detail = unreadable ? undefined : DETAIL_READERS[name](args);
  return detail === undefined
    ? {
        ok: false,
        error: deepFreeze({
          code: 'INVALID_PAYLOAD',
          message: `${name} arguments ${unreadable ? `could not be read: ${args}` : 'do not match the documented shape'}`,
          callback: name,
          payload: unreadable ? undefined : args.length === 1 ? args[0] : [...args],
        }),
      }
    : { ok: true, type: WINK_CALLBACKS[name], detail: deepFreeze(detail) };
}

/** Freezes a value and everything reachable from it; returns it for chaining. */
export function deepFreeze<T>(value: T): T {
  if (isRecord(value) && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/**
 * A copy of `value` that `postMessage` can always clone, made through JSON: plain objects,
 * arrays and primitives are kept (dates become ISO strings); functions, symbols, bigints, class
 * instances (DOM nodes, windows, events, errors) and objects met a second time (which is how a
 * cycle shows) are dropped, so posting an SDK payload never throws.
 */
export function toCloneable(value: unknown): unknown {
  const seen = new WeakSet<object>();
  const json = JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === 'bigint') return undefined;
    if (typeof item !== 'object' || item === null) return item;
    const proto: unknown = Object.getPrototypeOf(item);
    if (seen.has(item) || (!Array.isArray(item) && proto !== Object.prototype && proto !== null)) return undefined;
    seen.add(item);
    return item;
  });
  return json === undefined ? undefined : JSON.parse(json);
}
