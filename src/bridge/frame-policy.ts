/**
 * Which bridge frame a widget may render, decided before it renders one: pure and DOM-free, so
 * that an unsafe frame is never in the page even for a moment, and the rule is tested on its own.
 */
import type { WidgetErrorDetail } from '../events.js';
import { SECURE_URL_RULE, isSecureUrl } from './url-rules.js';

/** What the frame would be made of: the element's properties, and where the page is. */
export interface FrameRequest {
  sdkUrl: string;
  bridgeUrl: string | undefined;
  sandbox: string;
  /** The page's base URL, which relative URLs resolve against. */
  base: string;
  /** The page's own origin. */
  pageOrigin: string;
}

/** A frame that may be rendered: the SDK's absolute URL, and the origin its bridge document gets. */
export interface FramePlan {
  sdkUrl: string;
  /** `'null'` (opaque) unless the sandbox allows the same origin, then the `bridge-url`'s. */
  origin: string;
}

/**
 * The frame to render, or the `widget-error` that refuses it:
 * - `sdk-url` and `bridge-url` must be `https:`, or `http:` on localhost for development: a
 *   `data:`, `blob:` or `javascript:` URL never loads, with the token beside it;
 * - `allow-same-origin` is refused with the built-in `srcdoc` bridge, or with a `bridge-url` on the
 *   page's own origin: either would give the SDK the page itself.
 */
export function planFrame({
  sdkUrl,
  bridgeUrl,
  sandbox,
  base,
  pageOrigin,
}: FrameRequest): FramePlan | WidgetErrorDetail {
  let sdk: URL;
  let bridge: URL | undefined;
  try {
    sdk = new URL(sdkUrl, base);
    bridge = bridgeUrl ? new URL(bridgeUrl, base) : undefined;
  } catch {
    return { code: 'SDK_LOAD_FAILED', message: 'invalid sdk-url or bridge-url' };
  }
  if (!isSecureUrl(sdk)) return { code: 'SDK_URL_NOT_ALLOWED', message: `sdk-url must be ${SECURE_URL_RULE}` };
  if (bridge && !isSecureUrl(bridge)) {
    return { code: 'BRIDGE_URL_NOT_ALLOWED', message: `bridge-url must be ${SECURE_URL_RULE}` };
  }
  // Sandbox tokens are case-insensitive, as the browser reads them.
  if (!sandbox.toLowerCase().split(/\s+/).includes('allow-same-origin')) return { sdkUrl: sdk.href, origin: 'null' };
  return bridge && bridge.origin !== pageOrigin
    ? { sdkUrl: sdk.href, origin: bridge.origin }
    : {
        code: 'UNSAFE_SANDBOX',
        message: 'allow-same-origin needs a bridge-url on an origin of its own',
      };
}
