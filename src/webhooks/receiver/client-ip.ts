/**
 * The client address of a webhook request, for Smile's IP allowlist: the socket's, or, only when
 * the receiver is told to trust the proxies in front of it, the one they forwarded. Pure: the
 * adapters hand it the addresses they have.
 */

/** Smile's static address for webhooks, from its "Event Notifications" page. */
export const SMILE_WEBHOOK_IPS: readonly string[] = ['18.142.61.230'];

/**
 * Which proxies in front of the receiver may say who the client is, through `X-Forwarded-For`:
 * how many hops there are, or their addresses. Never trusted unless set.
 */
export type TrustProxy = number | readonly string[];

const MAPPED_IPV4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** An address as compared: an IPv4-mapped IPv6 address is its IPv4 address; IPv6 in lower case. */
export function normalizeIp(address: string): string {
  const trimmed = address.trim().replace(/^\[(.*)\]$/, '$1');
  return trimmed.match(MAPPED_IPV4)?.[1] ?? trimmed.toLowerCase();
}

/** Which client addresses a receiver answers. */
export interface AllowList {
  allows(address: string): boolean;
}

/** The allowlist of `addresses`, compared as {@link normalizeIp} writes them. */
export function allowList(addresses: readonly string[]): AllowList {
  const allowed = new Set(addresses.map(normalizeIp));
  return { allows: (address) => allowed.has(normalizeIp(address)) };
}

/**
 * The client's address: the socket's, unless `trustProxy` says the proxies in front of the
 * receiver may be believed, in which case the nearest address that is not one of theirs.
 */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | undefined,
  trustProxy: TrustProxy | undefined,
): string | undefined {
  if (!socketAddress) return undefined;
  const socket = normalizeIp(socketAddress);
  if (trustProxy === undefined || trustProxy === 0) return socket;
  // Nearest first: the socket, then each address X-Forwarded-For adds, from its right end.
  const hops = [
    socket,
    ...(forwardedFor ?? '')
      .split(',')
      .map((hop) => hop.trim())
      .filter(Boolean)
      .map(normalizeIp)
      .reverse(),
  ];
  if (typeof trustProxy === 'number') return hops[Math.min(trustProxy, hops.length - 1)];
  const trusted = new Set(trustProxy.map(normalizeIp));
  return hops.find((hop) => !trusted.has(hop)) ?? hops.at(-1);
}
