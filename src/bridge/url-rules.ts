/**
 * Which URLs a widget may load its SDK or bridge from: `https:`, or `http:` on the machine itself
 * for development. Pure and DOM-free: the element, the self-hosted bridge page and
 * `createBridgeHtml` share it.
 */

/** The hosts on which `http:` is allowed, as `URL.hostname` spells them. */
export const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/** The rule, as the errors that enforce it say it. */
export const SECURE_URL_RULE = 'https:, or http: on localhost, 127.0.0.1 or [::1]';

/** True for an `https:` URL, or an `http:` one on a loopback host. */
export const isSecureUrl = ({ protocol, hostname }: URL): boolean =>
  protocol === 'https:' || (protocol === 'http:' && LOOPBACK_HOSTS.includes(hostname));

/** The origin of Smile's Wink Widget SDK: the only one the shipped `bridge.html` loads from. */
export const SMILE_SDK_ORIGIN = 'https://web.smileapi.io';
