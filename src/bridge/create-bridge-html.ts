/**
 * The self-hosted bridge page for `bridge-url`, for the SDK origins it may load from. The script
 * is the same constant for every list (so its CSP hash is too); the list is in the page.
 */
import { HOSTED_BRIDGE_CSP_HASH, HOSTED_BRIDGE_SCRIPT } from './hosted-bridge-document.js';
import { SECURE_URL_RULE, SMILE_SDK_ORIGIN, isSecureUrl } from './url-rules.js';

export interface BridgeHtmlOptions {
  /**
   * The origins the SDK's script, and any script it loads, may come from: `https:` origins, or
   * `http:` on localhost for development. Default: Smile's, `https://web.smileapi.io`.
   */
  sdkOrigins?: readonly string[];
}

export interface BridgeHtml {
  /** The page, to serve as it is (for example as `public/bridge.html`). */
  html: string;
  /** The CSP source expression of its inline script, for a `script-src` header of your own. */
  cspHash: string;
}

/** An origin as written (`https://host[:port]`, a trailing `/` aside), or a TypeError. */
function readOrigin(value: unknown): string {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    // Not a URL: said below.
  }
  if (!url || url.pathname !== '/' || url.search || url.hash || url.username || url.password || value === 'null') {
    throw new TypeError(`${JSON.stringify(value)} is not an origin: give a scheme, a host and a port only`);
  }
  if (!isSecureUrl(url)) throw new TypeError(`SDK origin ${url.origin} must be ${SECURE_URL_RULE}`);
  return url.origin;
}

/**
 * The bridge page to host yourself. Beyond the built-in bridge, it runs only inside a frame (a
 * window opened on it does nothing), loads the SDK only from `sdkOrigins`, and carries its own
 * `Content-Security-Policy` (`script-src` its own hash and those origins, `object-src 'none'`,
 * `base-uri 'none'`), which holds even when the server sends none.
 */
export function createBridgeHtml({ sdkOrigins = [SMILE_SDK_ORIGIN] }: BridgeHtmlOptions = {}): BridgeHtml {
  if (!Array.isArray(sdkOrigins) || sdkOrigins.length === 0) {
    throw new TypeError('createBridgeHtml needs at least one SDK origin');
  }
  const origins = [...new Set(sdkOrigins.map(readOrigin))].join(' ');
  const policy = `script-src ${HOSTED_BRIDGE_CSP_HASH} ${origins}; object-src 'none'; base-uri 'none'`;
  return {
    html: `<!doctype html><meta http-equiv="Content-Security-Policy" content="${policy}"><meta name="wink-sdk-origins" content="${origins}"><script>${HOSTED_BRIDGE_SCRIPT}</script>`,
    cspHash: HOSTED_BRIDGE_CSP_HASH,
  };
}
