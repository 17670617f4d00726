/**
 * The client address of a webhook request, for Smile's IP allowlist: the socket's, or, only when
 * the receiver is told to trust the proxies in front of it, the one they forwarded. Addresses and
 * CIDR ranges are matched by `node:net`'s `BlockList` (found at run time, as node:crypto is: Node,
 * Deno and Bun have it), never by a parser of this package's own.
 */

/** Smile's static address for webhooks, from its "Event Notifications" page. */
export const SMILE_WEBHOOK_IPS: readonly string[] = ['18.142.61.230'];

/**
 * Which proxies in front of the receiver may say who the client is, through `X-Forwarded-For`:
 * how many hops there are, or their addresses and CIDR ranges. Never trusted unless set. A hop
 * count above the real number of proxies believes an address the client wrote itself.
 */
export type TrustProxy = number | readonly string[];

/** The part of `node:net` used here. */
interface NodeNet {
  isIP(input: string): 0 | 4 | 6;
  BlockList: new () => {
    addAddress(address: string, type: 'ipv4' | 'ipv6'): void;
    addSubnet(network: string, prefix: number, type: 'ipv4' | 'ipv6'): void;
    check(address: string, type: 'ipv4' | 'ipv6'): boolean;
  };
}

const net = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.(
  'node:net',
) as NodeNet | undefined;

const MAPPED_IPV4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;
// A hop of X-Forwarded-For may carry its port: `203.0.113.5:4711`, `[2001:db8::1]:4711`.
const IPV4_WITH_PORT = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/;
const BRACKETED = /^\[([^\]]*)\](?::\d+)?$/;

/**
 * An address as compared: without brackets or a port, an IPv4-mapped IPv6 address as its IPv4
 * address, IPv6 in lower case.
 */
export function normalizeIp(address: string): string {
  const trimmed = address.trim();
  const bare = trimmed.match(BRACKETED)?.[1] ?? trimmed.match(IPV4_WITH_PORT)?.[1] ?? trimmed;
  return bare.match(MAPPED_IPV4)?.[1] ?? bare.toLowerCase();
}

/** Which client addresses a receiver answers, or which proxies it believes. */
export interface AllowList {
  allows(address: string): boolean;
}

const family = (address: string) => (net!.isIP(address) === 6 ? 'ipv6' : 'ipv4');

/**
 * The list of `entries`: addresses (`18.142.61.230`, `::1`) and CIDR ranges (`10.0.0.0/8`,
 * `fd00::/8`), each checked when the list is made; a TypeError names one that is neither.
 */
export function allowList(entries: readonly string[], what = 'allowedIps'): AllowList {
  const say = (entry: unknown, why: string) => new TypeError(`${what}: ${JSON.stringify(entry)} ${why}`);
  if (!net) {
    // No node:net: exact addresses only.
    const exact = entries.map((entry) => {
      if (typeof entry !== 'string' || entry.includes('/'))
        throw say(entry, "needs node:net's BlockList (a CIDR range)");
      return normalizeIp(entry);
    });
    return { allows: (address) => exact.includes(normalizeIp(address)) };
  }
  const list = new net.BlockList();
  for (const entry of entries) {
    if (typeof entry !== 'string') throw say(entry, 'is not an address or a CIDR range');
    const [network, prefix, extra] = entry.trim().split('/');
    const address = normalizeIp(network);
    const kind = net.isIP(address);
    if (!kind || extra !== undefined) throw say(entry, 'is not an address or a CIDR range');
    if (prefix === undefined) {
      list.addAddress(address, family(address));
      continue;
    }
    const bits = Number(prefix);
    if (!/^\d+$/.test(prefix) || bits > (kind === 6 ? 128 : 32)) throw say(entry, 'has no valid prefix length');
    list.addSubnet(address, bits, family(address));
  }
  return {
    allows: (candidate) => {
      const address = normalizeIp(candidate);
      return net.isIP(address) !== 0 && list.check(address, family(address));
    },
  };
}

/**
 * The client's address: the socket's, unless `trustProxy` says the proxies in front of the
 * receiver may be believed, in which case the nearest address that is not one of theirs.
 */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | undefined,
  trustProxy: TrustProxy | AllowList | undefined,
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
  const trusted = Array.isArray(trustProxy) ? allowList(trustProxy, 'trustProxy') : (trustProxy as AllowList);
  return hops.find((hop) => !trusted.allows(hop)) ?? hops.at(-1);
}
