/**
 * Special-purpose address ranges (IANA registries, RFC 6890 and friends) that matter for pod
 * ranges, floating IPs and BGP peers. A range *overlapping* a special range is tagged, not only
 * one inside it: a pod range 0.0.0.0/1 is as wrong as 127.0.0.0/8.
 */
import { formatCidr, mustParseCidr, overlaps, v4End, v4Start } from './cidr';
import type { Cidr, IPAddress } from './types';

export type SpecialTag =
  | 'unspecified'
  | 'this-network'
  | 'loopback'
  | 'link-local'
  | 'multicast'
  | 'reserved'
  | 'ipv4-mapped'
  | 'documentation'
  | 'private';

export interface SpecialRange {
  readonly cidr: Cidr;
  /** canonical text of `cidr`, for messages */
  readonly text: string;
  readonly tag: SpecialTag;
  /** never valid as a pod range, floating IP or BGP peer address */
  readonly forbidden: boolean;
}

/** Tags whose ranges are never pod ranges, floating IPs or peers (errors, not warnings). */
export const FORBIDDEN_TAGS: readonly SpecialTag[] = [
  'unspecified',
  'this-network',
  'loopback',
  'link-local',
  'multicast',
  'reserved',
  'ipv4-mapped',
];

const TABLE: ReadonlyArray<readonly [string, SpecialTag]> = [
  ['0.0.0.0/8', 'this-network'],
  ['0.0.0.0/32', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.2.0/24', 'documentation'],
  ['192.168.0.0/16', 'private'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'], // includes the limited broadcast 255.255.255.255
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['::ffff:0:0/96', 'ipv4-mapped'],
  ['2001:db8::/32', 'documentation'],
  ['fc00::/7', 'private'],
  ['fe80::/10', 'link-local'],
  ['ff00::/8', 'multicast'],
];

/**
 * The table, sorted by `compareCidr` (IPv4 first, then by network). Note: `::ffff:0:0/96` cannot be parsed by
 * `parseCidr` (it refuses IPv4-mapped text) so it is built from its value.
 */
export const SPECIAL_RANGES: readonly SpecialRange[] = TABLE.map(([text, tag]) => {
  const cidr: Cidr =
    tag === 'ipv4-mapped' ? { family: 'ipv6', network: 0xffff_0000_0000n, prefix: 96 } : mustParseCidr(text);
  return { cidr, text: formatCidr(cidr), tag, forbidden: FORBIDDEN_TAGS.includes(tag) };
});

/** The IPv4 rows with numeric bounds: most addresses checked are IPv4, and number compares are cheap. */
const IPV4_RANGES = SPECIAL_RANGES.filter((r) => r.cidr.family === 'ipv4').map((r) => ({ range: r, start: v4Start(r.cidr), end: v4End(r.cidr) }));

/** Every special range that shares at least one address with `x`, in table order. */
export function specialRangesOverlapping(x: Cidr | IPAddress): SpecialRange[] {
  if (x.family === 'ipv4') return ipv4Overlapping(x, false);
  let hit = specialMemo.get(x);
  if (!hit) {
    hit = SPECIAL_RANGES.filter((r) => overlaps(r.cidr, x));
    specialMemo.set(x, hit);
  }
  return hit.slice();
}
/** IPv6 parsed values are shared (parseIP/parseCidr remember them), and several policies ask about each. */
const specialMemo = new WeakMap<Cidr | IPAddress, SpecialRange[]>();

/** IPv4 needs no memo: a scan of the numeric table costs less than a WeakMap lookup. */
function ipv4Overlapping(x: Cidr | IPAddress, forbiddenOnly: boolean): SpecialRange[] {
  const start = v4Start(x);
  const end = v4End(x);
  const hit: SpecialRange[] = [];
  for (const r of IPV4_RANGES) if (r.start <= end && start <= r.end && (!forbiddenOnly || r.range.forbidden)) hit.push(r.range);
  return hit;
}

/**
 * Tags of the special ranges `x` overlaps, without duplicates, in table order; empty for
 * ordinary public space. Example: classify(127.0.0.1) = ['loopback'];
 * classify(0.0.0.0/0) lists every IPv4 tag.
 */
export function classify(x: Cidr | IPAddress): SpecialTag[] {
  const tags: SpecialTag[] = [];
  for (const r of specialRangesOverlapping(x)) if (!tags.includes(r.tag)) tags.push(r.tag);
  return tags;
}

/** The forbidden special ranges `x` overlaps (empty when none): name them in the message. */
export function forbiddenRangesOverlapping(x: Cidr | IPAddress): SpecialRange[] {
  if (x.family === 'ipv4') return ipv4Overlapping(x, true);
  return specialRangesOverlapping(x).filter((r) => r.forbidden);
}
