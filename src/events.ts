/**
 * The events of `<wink-widget>`: their detail types and the table that maps each Wink SDK
 * callback to its event. Types and one constant only; no DOM.
 */

/** Error codes of a failed account link (Smile "Get Account" reference); other strings pass through. */
export type AccountErrorCode =
  | 'ACCOUNT_DISABLED'
  | 'ACCOUNT_INACCESSIBLE'
  | 'ACCOUNT_INCOMPLETE'
  | 'ACCOUNT_LOCKED'
  | 'AUTH_REQUIRED'
  | 'EXPIRED_CREDENTIALS'
  | 'INVALID_ACCOUNT_TYPE'
  | 'INVALID_AUTH'
  | 'INVALID_CREDENTIALS'
  | 'INVALID_MFA'
  | 'MFA_TIMEOUT'
  | 'SERVICE_UNAVAILABLE'
  | 'SYSTEM_ERROR'
  | 'TOS_REQUIRED'
  | 'UNSUPPORTED_AUTH_TYPE'
  | 'UNSUPPORTED_MFA_METHOD'
  | (string & {});

/** The documented `onUIEvent` screen names; names added by newer SDKs pass through. */
export type UiEventName =
  | 'ConsentPageOpened'
  | 'ProviderListPageOpened'
  | 'LoginPageOpened'
  | 'MfaPageOpened'
  | 'ConnectSuccessPageOpened'
  | 'AccountRevokePageOpened'
  | 'LoginOptionsPageOpened'
  | 'EmployerSurveyPageOpened'
  | 'FileTypeListPageOpened'
  | 'FileTypePageOpened'
  | 'ArchiveSuccessPageOpened'
  | 'RevokeArchivePageOpened'
  | (string & {});

/** The environment a Link token belongs to. */
export type WinkMode = 'SANDBOX' | 'PRODUCTION' | (string & {});

/** Why the widget closed: the SDK's reason, or `host` when the page closed it. */
export type CloseReason = 'close' | 'exit' | 'error' | 'host' | (string & {});

/** Detail of `account-created`, `account-connected` and `account-removed`. */
export interface AccountDetail {
  accountId: string;
  userId: string;
  providerId: string;
}

/** Detail of `account-error`. */
export interface AccountErrorDetail extends AccountDetail {
  errorCode: AccountErrorCode;
}

/** Detail of `token-expired`: empty; call `preventDefault()` to stop the `tokenProvider` relaunch. */
export type TokenExpiredDetail = Record<string, never>;

/** Detail of `uploads-created` and `uploads-removed`. `uploads` is passed through as the SDK sent it. */
export interface UploadsDetail {
  uploads: unknown[];
  userId: string;
}

/** Detail of `ui-event`: a new widget screen was shown. */
export interface UiEventDetail {
  eventName: UiEventName;
  /** ISO-8601 time of the screen change. */
  eventTime: string;
  mode: WinkMode;
  userId: string;
  account?: { providerId?: string; accountId?: string } | null;
  archive?: { fileType?: string } | null;
}

/** Detail of `widget-close`. */
export interface CloseDetail {
  reason: CloseReason;
}

/** Detail of `widget-open`: empty. */
export type OpenDetail = Record<string, never>;

/** Detail of `widget-ready`: empty. */
export type ReadyDetail = Record<string, never>;

/** The codes a `widget-error` can carry. */
export type WidgetErrorCode =
  | 'MISSING_TOKEN'
  | 'TOKEN_PROVIDER_FAILED'
  | 'TOKEN_EXPIRED_REPEATEDLY'
  | 'BRIDGE_TIMEOUT'
  | 'BRIDGE_BLOCKED'
  | 'BRIDGE_VERSION_MISMATCH'
  | 'SDK_LOAD_FAILED'
  | 'SDK_ERROR'
  | 'SDK_URL_NOT_ALLOWED'
  | 'BRIDGE_URL_NOT_ALLOWED'
  | 'UNSAFE_SANDBOX'
  | 'INVALID_PAYLOAD'
  | 'INVALID_OPTIONS';

/** Detail of `widget-error`. */
export interface WidgetErrorDetail {
  code: WidgetErrorCode;
  message: string;
  /** With `INVALID_PAYLOAD`: the SDK callback whose arguments did not match its documented shape. */
  callback?: CallbackName;
  /** With `INVALID_PAYLOAD`: the arguments as received, so nothing is lost. */
  payload?: unknown;
}

/**
 * The table: each SDK callback, the DOM event it becomes, and that event's `detail` type.
 * The event map, the `callbacks` type, the runtime constant below, the manifest and the README
 * are all checked against it.
 */
export interface WinkCallbackTable {
  onAccountCreated: { event: 'account-created'; detail: AccountDetail };
  onAccountConnected: { event: 'account-connected'; detail: AccountDetail };
  onAccountRemoved: { event: 'account-removed'; detail: AccountDetail };
  onAccountError: { event: 'account-error'; detail: AccountErrorDetail };
  onTokenExpired: { event: 'token-expired'; detail: TokenExpiredDetail };
  onUploadsCreated: { event: 'uploads-created'; detail: UploadsDetail };
  onUploadsRemoved: { event: 'uploads-removed'; detail: UploadsDetail };
  onUIEvent: { event: 'ui-event'; detail: UiEventDetail };
  onClose: { event: 'widget-close'; detail: CloseDetail };
}

/** The name of a Wink SDK callback. */
export type CallbackName = keyof WinkCallbackTable;

/** The `detail` type of the event a callback becomes. */
export type CallbackDetail<C extends CallbackName> = WinkCallbackTable[C]['detail'];

/** The name of the event a callback becomes. */
export type CallbackEventName<C extends CallbackName = CallbackName> = WinkCallbackTable[C]['event'];

/** The table at run time: SDK callback → DOM event name, in the SDK's documentation order. */
export const WINK_CALLBACKS = {
  onAccountCreated: 'account-created',
  onAccountConnected: 'account-connected',
  onAccountRemoved: 'account-removed',
  onAccountError: 'account-error',
  onTokenExpired: 'token-expired',
  onUploadsCreated: 'uploads-created',
  onUploadsRemoved: 'uploads-removed',
  onUIEvent: 'ui-event',
  onClose: 'widget-close',
} as const satisfies { [C in CallbackName]: CallbackEventName<C> };

/** Events the element adds to the nine callback events. */
export interface WinkWidgetOwnEventMap {
  'widget-ready': CustomEvent<ReadyDetail>;
  'widget-open': CustomEvent<OpenDetail>;
  'widget-error': CustomEvent<WidgetErrorDetail>;
}

/** Every event `<wink-widget>` dispatches, by name. */
export type WinkWidgetEventMap = {
  [C in CallbackName as CallbackEventName<C>]: CustomEvent<CallbackDetail<C>>;
} & WinkWidgetOwnEventMap;

/** The name of an event `<wink-widget>` dispatches. */
export type WinkWidgetEventName = keyof WinkWidgetEventMap;

/** SDK-style handlers for the `callbacks` property; each is called after its event. */
export type WinkCallbacks = {
  [C in CallbackName]?: (detail: CallbackDetail<C>) => void;
};

/** What `show()` resolves with when the widget closes. */
export interface WinkResult {
  reason: CloseReason;
  /** The detail of every `account-connected` of this session. */
  accounts: AccountDetail[];
  /** The detail of every `account-error` of this session. */
  errors: AccountErrorDetail[];
  /** The uploads of every `uploads-created` of this session. */
  uploads: unknown[];
  /** Set when the session ended on a `widget-error` instead of a close. */
  error?: WidgetErrorDetail;
}
