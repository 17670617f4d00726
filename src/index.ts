/**
 * wink-widget: the element class, its types and helpers. Importing this module registers nothing;
 * import `wink-widget/define.js` for that.
 */
export {
  WinkWidget,
  DEFAULT_LABEL,
  DEFAULT_SANDBOX,
  DEFAULT_SDK_URL,
  DEFAULT_TIMEOUT,
  type TokenProvider,
  type WinkWidgetState,
} from './wink-widget.js';
export { BRIDGE_CSP_HASH, BRIDGE_HTML } from './bridge/bridge-document.js';
export { createBridgeHtml, type BridgeHtml, type BridgeHtmlOptions } from './bridge/create-bridge-html.js';
export { SMILE_SDK_ORIGIN } from './bridge/url-rules.js';
export { WINK_CALLBACKS } from './events.js';
export type * from './events.js';
export {
  PROTOCOL_VERSION,
  type BridgeReadyMessage,
  type CallbackMessage,
  type ConnectMessage,
  type LaunchMessage,
  type LoadedMessage,
  type OpenedMessage,
  type PortMessage,
  type SdkErrorMessage,
} from './protocol.js';
