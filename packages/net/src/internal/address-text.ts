/**
 * Strict address-text parsers. We do not use ipaddr.js to parse: it reads `::1.2.3.4` as
 * `::ffff:1.2.3.4`, accepts hex IPv4 parts inside IPv6 (`::0xa.1.1.1`) and leading zeros. The
 * grammar here is RFC 4291 section 2.2 (with an optional trailing dotted quad) and strict
 * dotted-decimal IPv4, as Go's net/netip, Kubernetes, Calico and MetalLB accept.
 */
import type { Family } from '../types';

export type AddressTextResult =
  | { readonly ok: true; readonly family: Family; readonly value: bigint }
  | { readonly ok: false; readonly reason: 'invalid' }
  /** syntactically fine except for leading zeros; `decimal` is the value read as decimal */
  | { readonly ok: false; readonly reason: 'leading-zero'; readonly family: Family; readonly decimal: bigint };

const OCTET = /^\d{1,3}$/;
const HEXTET = /^[0-9A-Fa-f]{1,4}$/;
const IPV6_CHARS = /^[0-9A-Fa-f:.]+$/;

interface V4 {
  readonly value: bigint;
  readonly leadingZero: boolean;
}

/**
 * The common case of both parsers in one pass over the text with no allocation: plain
 * dotted-decimal IPv4 without leading zeros and, when `withPrefix`, a `/` and a prefix length
 * 0..32 without leading zeros. Returns the address as a number (or `address * 64 + prefix`), or
 * -1 for anything else, which the careful parsers then read and word.
 */
export function scanPlainV4(text: string, withPrefix: boolean): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  const n = text.length;
  let i = 0;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      if (digits === 1 && octet === 0) return -1;
      octet = octet * 10 + (c - 0x30);
      if (++digits > 3 || octet > 255) return -1;
    } else if (c === 0x2e && digits > 0 && dots < 3) {
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else break;
  }
  if (dots !== 3 || digits === 0) return -1;
  value = value * 256 + octet;
  if (!withPrefix) return i === n ? value : -1;
  if (i >= n - 1 || text.charCodeAt(i) !== 0x2f || n - i > 3) return -1;
  let prefix = 0;
  for (let j = i + 1; j < n; j++) {
    const c = text.charCodeAt(j);
    if (c < 0x30 || c > 0x39 || (j > i + 1 && prefix === 0)) return -1;
    prefix = prefix * 10 + (c - 0x30);
  }
  return prefix > 32 ? -1 : value * 64 + prefix;
}

function parseDottedQuad(text: string): V4 | undefined {
  const plain = scanPlainV4(text, false);
  if (plain >= 0) return { value: BigInt(plain), leadingZero: false };
  return parseDottedQuadCarefully(text);
}

function parseDottedQuadCarefully(text: string): V4 | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  let leadingZero = false;
  for (const part of parts) {
    if (!OCTET.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    if (part.length > 1 && part.startsWith('0')) leadingZero = true;
    value = (value << 8n) | BigInt(n);
  }
  return { value, leadingZero };
}

function parseV6(text: string): AddressTextResult {
  if (!IPV6_CHARS.test(text)) return { ok: false, reason: 'invalid' };
  const halves = text.split('::');
  if (halves.length > 2) return { ok: false, reason: 'invalid' };
  const compressed = halves.length === 2;
  const head = halves[0] === '' ? [] : (halves[0] ?? '').split(':');
  const tail = compressed ? (halves[1] === '' ? [] : (halves[1] ?? '').split(':')) : [];

  let leadingZero = false;
  const toGroups = (list: string[], mayEndWithQuad: boolean): number[] | undefined => {
    const groups: number[] = [];
    for (let i = 0; i < list.length; i++) {
      const g = list[i] ?? '';
      if (g.includes('.')) {
        if (!mayEndWithQuad || i !== list.length - 1) return undefined;
        const quad = parseDottedQuad(g);
        if (!quad) return undefined;
        if (quad.leadingZero) leadingZero = true;
        groups.push(Number(quad.value >> 16n), Number(quad.value & 0xffffn));
      } else {
        if (!HEXTET.test(g)) return undefined;
        groups.push(parseInt(g, 16));
      }
    }
    return groups;
  };
  // A dotted quad may only be the last 32 bits: the end of the tail, or of the head when
  // there is no "::".
  const headGroups = toGroups(head, !compressed);
  const tailGroups = toGroups(tail, compressed);
  if (!headGroups || !tailGroups) return { ok: false, reason: 'invalid' };
  const count = headGroups.length + tailGroups.length;
  if (compressed ? count > 7 : count !== 8) return { ok: false, reason: 'invalid' };

  const all = [...headGroups, ...new Array<number>(8 - count).fill(0), ...tailGroups];
  let value = 0n;
  for (const g of all) value = (value << 16n) | BigInt(g);
  return leadingZero ? { ok: false, reason: 'leading-zero', family: 'ipv6', decimal: value } : { ok: true, family: 'ipv6', value };
}

/** Parse one address with no prefix, zone or whitespace (the caller checks those first). */
export function parseAddressText(text: string): AddressTextResult {
  if (text.includes(':')) return parseV6(text);
  const quad = parseDottedQuad(text);
  if (!quad) return { ok: false, reason: 'invalid' };
  return quad.leadingZero
    ? { ok: false, reason: 'leading-zero', family: 'ipv4', decimal: quad.value }
    : { ok: true, family: 'ipv4', value: quad.value };
}
