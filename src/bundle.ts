/**
 * Entry of the self-registering bundle (`wink-widget.min.js`): the element and everything a page
 * uses with it, with Lit inlined. `createBridgeHtml` writes a page to host, on a server or at build
 * time, so it stays in the main entry and out of the file every page downloads.
 */
import './define.js';

export {
  WinkWidget,
  DEFAULT_LABEL,
  DEFAULT_SANDBOX,
  DEFAULT_SDK_URL,
  DEFAULT_TIMEOUT,
  BRIDGE_CSP_HASH,
  BRIDGE_HTML,
  WINK_CALLBACKS,
  PROTOCOL_VERSION,
} from './index.js';
export type * from './index.js';
