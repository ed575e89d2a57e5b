import { BlockList, isIP } from 'node:net';

// Loopback, private, carrier-grade NAT, link-local (which holds the cloud metadata service 169.254.169.254),
// benchmark, multicast and reserved ranges: nothing a webhook or a mail server setting should reach inside our network.
const forbidden = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24],
  ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) {
  forbidden.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128], ['::1', 128], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) {
  forbidden.addSubnet(network, prefix, 'ipv6');
}

/** The eight 16-bit groups of an IPv6 address, with `::` expanded and a trailing dotted quad converted. */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1].split('.').map(Number);
    text = text.slice(0, -dotted[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, null];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const middle = tail === null ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...middle, ...right].map((group) => parseInt(group, 16));
}

/** IPv4 addresses that IPv6 forms carry inside them: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d). */
function embeddedIpv4(groups: number[]): string | null {
  const zeros = (from: number, to: number) => groups.slice(from, to).every((group) => group === 0);
  const mapped = zeros(0, 5) && (groups[5] === 0xffff || groups[5] === 0);
  const nat64 = groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6);
  if (!mapped && !nat64) return null;
  return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join('.');
}

export const FORBIDDEN_ADDRESS_PROBLEM = 'must not point to a loopback, private, link-local or metadata address';

/** Whether an IP address is one the server must not connect to on a caller's behalf (unless private addresses are allowed). */
export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address.replace(/%.*$/, ''));
  if (family === 4) return forbidden.check(address, 'ipv4');
  if (family !== 6) return true;
  const groups = ipv6Groups(address);
  const inner = embeddedIpv4(groups);
  // ::1 and :: take this path too (as 0.0.0.1 and 0.0.0.0) and are refused with 0.0.0.0/8.
  if (inner !== null) return forbidden.check(inner, 'ipv4');
  return forbidden.check(groups.map((group) => group.toString(16)).join(':'), 'ipv6');
}

/** Names that mean this machine whatever the resolver says (RFC 6761): `localhost` and everything under it. */
export function isLoopbackName(host: string): boolean {
  const name = host.trim().toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}
