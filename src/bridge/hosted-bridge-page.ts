/**
 * The self-hosted bridge page (`bridge-url`), as `createBridgeHtml` writes it. Unlike the built-in
 * `srcdoc` page it has a URL, so any site can open it in a window or a frame, with a window name
 * of its choosing, which is where the bridge reads the SDK's URL from. So it runs only inside a
 * frame, and loads an SDK only from the origins its page lists; its own Content-Security-Policy
 * holds it to the same list, even if no header comes with it.
 */
import { startBridge } from './bridge-runtime.js';
import { SECURE_URL_RULE, isSecureUrl } from './url-rules.js';

// A top-level window (window.open) is nobody's bridge: nothing at all runs there.
if (parent !== self) {
  const origins = document.querySelector('meta[name="wink-sdk-origins"]')?.getAttribute('content')?.split(' ') ?? [];
  startBridge((sdkUrl) => {
    let url: URL;
    try {
      url = new URL(sdkUrl);
    } catch {
      return 'sdk-url is not an absolute URL';
    }
    // Compared by origin, never by a prefix of the text.
    if (!isSecureUrl(url)) return `sdk-url must be ${SECURE_URL_RULE}`;
    if (!origins.includes(url.origin)) {
      return `this bridge.html loads the SDK only from ${origins.join(', ') || 'nowhere'}, not ${url.origin}: generate one with createBridgeHtml({ sdkOrigins }) or npx wink-widget bridge --sdk-origin`;
    }
    return undefined;
  });
}
