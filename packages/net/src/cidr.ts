/**
 * Parsing, canonical formatting and arithmetic of addresses and CIDRs, IPv4 and IPv6 alike.
 * Addresses are unsigned bigints; nothing here compares text or library objects.
 */
import ipaddr from 'ipaddr.js';
import { parseAddressText, scanPlainV4 } from './internal/address-text';
import { bits, type Cidr, type Family, type GeneralNetError, type IPAddress, type NetResult, type ParseResult } from './types';

/** `split` refuses to list more blocks than this (2^16, the Kubernetes per-node-block bound). */
export const MAX_SPLIT_BLOCKS = 65536;

// ---------------------------------------------------------------------------------------------
// Internal helpers

const MAPPED_NETWORK = 0xffff_0000_0000n; // ::ffff:0:0/96
const V4_MASK = 0xffff_ffffn;

function fail(code: GeneralNetError['code'], message: string, suggestion?: string): { ok: false; error: GeneralNetError } {
  return { ok: false, error: suggestion === undefined ? { code, message } : { code, message, suggestion } };
}

function quote(text: string): string {
  return JSON.stringify(text);
}

/** Host masks by family and prefix, computed once: bigint shifts are costly in hot loops. */
const HOST_MASKS: Record<Family, bigint[]> = {
  ipv4: Array.from({ length: 33 }, (_, p) => (1n << BigInt(32 - p)) - 1n),
  ipv6: Array.from({ length: 129 }, (_, p) => (1n << BigInt(128 - p)) - 1n),
};

function hostMask(family: Family, prefix: number): bigint {
  return HOST_MASKS[family]?.[prefix] ?? (1n << BigInt(bits(family) - prefix)) - 1n;
}

function isMapped(family: Family, value: bigint): boolean {
  return family === 'ipv6' && value >> 32n === MAPPED_NETWORK >> 32n;
}

/** Throws (a programming bug, not a user error) when a hand-built Cidr breaks the invariants. */
export function assertCidr(c: Cidr, where: string): void {
  const width = c.family === 'ipv4' ? 32 : c.family === 'ipv6' ? 128 : NaN;
  if (
    !Number.isInteger(c.prefix) ||
    c.prefix < 0 ||
    c.prefix > width ||
    typeof c.network !== 'bigint' ||
    c.network < 0n ||
    c.network >> BigInt(width) !== 0n ||
    (c.network & hostMask(c.family, c.prefix)) !== 0n
  ) {
    throw new RangeError(`${where}: not a valid Cidr: ${JSON.stringify({ ...c, network: String(c.network) })}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Formatting

/** Canonical text of an address: IPv4 dotted quad; IPv6 RFC 5952 (lower case, `::` for the longest zero run). */
export function formatIP(ip: IPAddress): string {
  if (ip.family === 'ipv4') {
    const n = Number(ip.value); // 32 bits fit a double exactly
    return `${Math.floor(n / 16777216)}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  }
  const parts: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) parts.push(Number((ip.value >> shift) & 0xffffn));
  return new ipaddr.IPv6(parts).toRFC5952String();
}

/** Canonical text of a CIDR, e.g. `10.0.0.0/24`, `2001:db8::/32`. */
export function formatCidr(c: Cidr): string {
  return `${formatIP({ family: c.family, value: c.network })}/${c.prefix}`;
}

// ---------------------------------------------------------------------------------------------
// Parsing

type Kind = 'ip' | 'cidr';

function expectation(kind: Kind): string {
  return kind === 'ip'
    ? 'an IPv4 or IPv6 address, such as "10.0.0.1" or "2001:db8::1"'
    : 'a CIDR, such as "10.0.0.0/24" or "2001:db8::/64"';
}

/** Checks shared by both parsers; returns an error, or undefined to continue. */
function precheck(text: unknown, kind: Kind): { ok: false; error: GeneralNetError } | undefined {
  if (typeof text !== 'string') {
    return fail('invalid-syntax', `${quote(String(text))} must be a string holding ${expectation(kind)}`);
  }
  if (text === '') return fail('empty', `"" must be ${expectation(kind)}, not empty`);
  if (/\s/.test(text)) {
    const trimmed = text.trim();
    const again = trimmed === '' || /\s/.test(trimmed) ? undefined : parse(trimmed, kind);
    return again?.ok
      ? fail('whitespace', `${quote(text)} must not contain whitespace: write ${quote(again.canonical)}`, again.canonical)
      : fail('whitespace', `${quote(text)} must not contain whitespace`);
  }
  const zoneAt = text.indexOf('%');
  if (zoneAt >= 0) {
    const zone = text.slice(zoneAt).split('/', 1)[0]!; // the text has no line break (see above)
    const again = parse(text.replace(/%[^/]*/, ''), kind);
    const fix = again.ok ? `: write ${quote(again.canonical)}` : '';
    return fail(
      'zone',
      `${quote(text)} must not have a zone index (${quote(zone)}); zones only mean something on one host${fix}`,
      again.ok ? again.canonical : undefined,
    );
  }
  return undefined;
}

/** Parse the address part; errors quote `whole`, the user's full text. */
function parseAddressPart(addr: string, whole: string, kind: Kind): NetResult<IPAddress> {
  const r = parseAddressText(addr);
  if (r.ok) return { ok: true, value: { family: r.family, value: r.value } };
  if (r.reason === 'leading-zero') {
    const decimal = formatIP({ family: r.family, value: r.decimal });
    const fixed = whole.replace(addr, decimal);
    return fail(
      'leading-zero',
      `${quote(whole)} must not have leading zeros (some tools read them as octal): write ${quote(fixed)} if decimal is meant`,
    );
  }
  return fail('invalid-syntax', `${quote(whole)} must be ${expectation(kind)}`);
}

function mappedError(whole: string, ip: IPAddress, prefix: number | undefined): { ok: false; error: GeneralNetError } {
  const v4 = ip.value & V4_MASK;
  if (prefix === undefined) {
    const fix = formatIP({ family: 'ipv4', value: v4 });
    return fail(
      'ipv4-mapped',
      `${quote(whole)} must not be an IPv4-mapped IPv6 address: write the IPv4 address ${quote(fix)} instead`,
      fix,
    );
  }
  if (prefix >= 96) {
    const p4 = prefix - 96;
    const fix = formatCidr({ family: 'ipv4', network: v4 & ~hostMask('ipv4', p4) & V4_MASK, prefix: p4 });
    return fail(
      'ipv4-mapped',
      `${quote(whole)} must not be an IPv4-mapped IPv6 range: write the IPv4 CIDR ${quote(fix)} instead`,
      fix,
    );
  }
  return fail('ipv4-mapped', `${quote(whole)} must not be an IPv4-mapped IPv6 range`);
}

function parse(text: string, kind: Kind): ParseResult<IPAddress> | ParseResult<Cidr> {
  return kind === 'ip' ? parseIP(text) : parseCidr(text);
}

/**
 * Parsing is pure and its results are immutable, and a fleet repeats the same addresses in many
 * checks: remember recent IPv6 results (bounded, so memory stays flat on huge inputs). IPv4 text
 * is read in one pass without allocation, which costs less than hashing it for a map lookup.
 */
const MEMO_LIMIT = 100_000;
const ipMemo = new Map<string, ParseResult<IPAddress>>();
const cidrMemo = new Map<string, ParseResult<Cidr>>();
function memo<T>(cache: Map<string, T>, key: string, compute: (k: string) => T): T {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const value = compute(key);
  if (cache.size >= MEMO_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

/**
 * Parse a single address, strictly: dotted-decimal IPv4 without leading zeros, or IPv6 (any
 * valid spelling, upper case allowed; `canonical` tells the RFC 5952 form). Rejects zones,
 * whitespace, IPv4-mapped IPv6 and CIDR text ('not-a-single-address').
 */
export function parseIP(text: string): ParseResult<IPAddress> {
  return typeof text === 'string' && text.includes(':') ? memo(ipMemo, text, parseIPUncached) : parseIPUncached(text);
}

export function parseCidr(text: string): ParseResult<Cidr> {
  return typeof text === 'string' && text.includes(':') ? memo(cidrMemo, text, parseCidrUncached) : parseCidrUncached(text);
}

function parseIPUncached(text: string): ParseResult<IPAddress> {
  const v4 = typeof text === 'string' ? scanPlainV4(text, false) : -1;
  // Plain IPv4 text (no leading zeros, nothing but digits and dots) is its own canonical form.
  if (v4 >= 0) return { ok: true, value: { family: 'ipv4', value: BigInt(v4) }, canonical: text };
  const pre = precheck(text, 'ip');
  if (pre) return pre;
  const slash = text.indexOf('/');
  if (slash >= 0) {
    const asCidr = parseCidr(text);
    const full = asCidr.ok && asCidr.value.prefix === bits(asCidr.value.family);
    const single = full ? formatIP({ family: asCidr.value.family, value: asCidr.value.network }) : undefined;
    return fail(
      'not-a-single-address',
      `${quote(text)} must be a single IP address, not a CIDR${single ? `: write ${quote(single)}` : ''}`,
      single,
    );
  }
  const r = parseAddressPart(text, text, 'ip');
  if (!r.ok) return r;
  if (isMapped(r.value.family, r.value.value)) return mappedError(text, r.value, undefined);
  // Strict IPv4 text (no leading zeros, nothing but digits and dots) is its own canonical form.
  return { ok: true, value: r.value, canonical: r.value.family === 'ipv4' ? text : formatIP(r.value) };
}

/**
 * Parse a CIDR, strictly: the address rules of `parseIP`, plus a decimal prefix length (no
 * leading zeros) within 0..32 / 0..128, and no host bits set ('host-bits-set', whose
 * `suggestion` is the network CIDR). A bare address is 'missing-prefix'.
 */
function parseCidrUncached(text: string): ParseResult<Cidr> {
  const v4 = typeof text === 'string' ? scanPlainV4(text, true) : -1;
  if (v4 >= 0) {
    const prefix = v4 % 64;
    const address = (v4 - prefix) / 64;
    // Host bits set: the careful path below words the error and its fix.
    if (address % 2 ** (32 - prefix) === 0) return { ok: true, value: { family: 'ipv4', network: BigInt(address), prefix }, canonical: text };
  }
  const pre = precheck(text, 'cidr');
  if (pre) return pre;
  const parts = text.split('/');
  if (parts.length > 2) return fail('invalid-syntax', `${quote(text)} must be ${expectation('cidr')}`);
  const [addrText = '', prefixText] = parts;
  const addr = parseAddressPart(addrText, text, 'cidr');
  if (!addr.ok) return addr;
  const { family, value } = addr.value;
  const width = bits(family);
  if (prefixText === undefined) {
    return fail(
      'missing-prefix',
      `${quote(text)} must be a CIDR with a prefix length, such as ${quote(`${text}/${width === 32 ? 24 : 64}`)}`,
    );
  }
  if (!/^\d+$/.test(prefixText)) {
    return fail('invalid-syntax', `${quote(text)} must have a prefix length from 0 to ${width} after the "/"`);
  }
  const prefix = Number(prefixText);
  if (prefix > width) {
    return fail('prefix-out-of-range', `${quote(text)} must have a prefix length from 0 to ${width}`);
  }
  if (prefixText.length > 1 && prefixText.startsWith('0')) {
    const fixed = `${addrText}/${prefix}`;
    return fail('leading-zero', `${quote(text)} must not have leading zeros in the prefix length: write ${quote(fixed)}`, fixed);
  }
  if (isMapped(family, value)) return mappedError(text, addr.value, prefix);
  const network = value & ~hostMask(family, prefix);
  if (network !== value) {
    const fix = formatCidr({ family, network, prefix });
    return fail('host-bits-set', `${quote(text)} has host bits set: the network address is ${quote(fix)}`, fix);
  }
  const cidr: Cidr = { family, network, prefix };
  return { ok: true, value: cidr, canonical: family === 'ipv4' ? text : formatCidr(cidr) };
}

/** True when `text` is a valid address or CIDR already written in canonical form. */
export function isCanonical(text: string): boolean {
  const r = typeof text === 'string' && text.includes('/') ? parseCidr(text) : parseIP(text);
  return r.ok && r.canonical === text;
}

/** Parse or throw. For constants and tests only: user input goes through `parseIP`. */
export function mustParseIP(text: string): IPAddress {
  const r = parseIP(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** Parse or throw. For constants and tests only: user input goes through `parseCidr`. */
export function mustParseCidr(text: string): Cidr {
  const r = parseCidr(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

// ---------------------------------------------------------------------------------------------
// Arithmetic

/** Type guard telling a Cidr from an IPAddress. */
export function isCidr(x: IPAddress | Cidr): x is Cidr {
  return 'prefix' in x;
}

/** The CIDR holding just this address (/32 or /128). */
export function hostCidr(ip: IPAddress): Cidr {
  return { family: ip.family, network: ip.value, prefix: bits(ip.family) };
}

/** The network of the given prefix length that contains `ip`. Throws on a prefix outside 0..bits (a bug). */
export function networkOf(ip: IPAddress, prefix: number): Cidr {
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits(ip.family)) {
    throw new RangeError(`networkOf: prefix ${prefix} is outside 0..${bits(ip.family)}`);
  }
  return { family: ip.family, network: ip.value & ~hostMask(ip.family, prefix), prefix };
}

/** Number of host bits: bits(family) - prefix. */
export function hostBits(c: Cidr): number {
  return bits(c.family) - c.prefix;
}

/** Number of addresses in the CIDR (2^hostBits), e.g. 256n for a /24, 1n for a /32. */
export function size(c: Cidr): bigint {
  return 1n << BigInt(hostBits(c));
}

/** The lowest address (the network address). */
export function firstAddress(c: Cidr): IPAddress {
  return { family: c.family, value: c.network };
}

/** The highest address (the IPv4 broadcast address; IPv6 has none, it is just the last). */
export function lastAddress(c: Cidr): IPAddress {
  return { family: c.family, value: c.network + size(c) - 1n };
}

/** Inclusive [start, end] of a CIDR or address as bigints. */
export function span(x: IPAddress | Cidr): readonly [bigint, bigint] {
  return isCidr(x) ? [x.network, x.network + size(x) - 1n] : [x.value, x.value];
}

// Bounds without building arrays: these run for every address against every range in a check.
const startOf = (x: IPAddress | Cidr): bigint => (isCidr(x) ? x.network : x.value);
const endOf = (x: IPAddress | Cidr): bigint => (isCidr(x) ? x.network | hostMask(x.family, x.prefix) : x.value);

/** IPv4 block sizes by prefix as plain numbers: IPv4 bounds fit a double exactly, and number math allocates nothing. */
const V4_SIZES: readonly number[] = Array.from({ length: 33 }, (_, p) => 2 ** (32 - p));
/** Inclusive bounds of an IPv4 address or CIDR as numbers. */
export const v4Start = (x: IPAddress | Cidr): number => Number(isCidr(x) ? x.network : x.value);
export const v4End = (x: IPAddress | Cidr): number => (isCidr(x) ? Number(x.network) + V4_SIZES[x.prefix]! - 1 : Number(x.value));

/** True when every address of `x` is inside `c`. False across families. */
export function contains(c: Cidr, x: IPAddress | Cidr): boolean {
  if (c.family !== x.family) return false;
  if (c.family === 'ipv4') return v4Start(c) <= v4Start(x) && v4End(x) <= v4End(c);
  return c.network <= startOf(x) && endOf(x) <= endOf(c);
}

/** True when `a` and `b` share at least one address. False across families. */
export function overlaps(a: IPAddress | Cidr, b: IPAddress | Cidr): boolean {
  if (a.family !== b.family) return false;
  if (a.family === 'ipv4') return v4Start(a) <= v4End(b) && v4Start(b) <= v4End(a);
  return startOf(a) <= endOf(b) && startOf(b) <= endOf(a);
}

function compareBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareFamily(a: Family, b: Family): number {
  return a === b ? 0 : a === 'ipv4' ? -1 : 1;
}

/** Total order: IPv4 before IPv6, then by address. */
export function compareIP(a: IPAddress, b: IPAddress): number {
  return compareFamily(a.family, b.family) || compareBig(a.value, b.value);
}

/** Total order for sorting: IPv4 before IPv6, then by network, then shorter prefix (the bigger block) first. */
export function compareCidr(a: Cidr, b: Cidr): number {
  return compareFamily(a.family, b.family) || compareBig(a.network, b.network) || a.prefix - b.prefix;
}

/** True when both are the same block. */
export function equalCidr(a: Cidr, b: Cidr): boolean {
  return compareCidr(a, b) === 0;
}

function validSubPrefix(c: Cidr, newPrefix: number): boolean {
  return Number.isInteger(newPrefix) && newPrefix >= c.prefix && newPrefix <= bits(c.family);
}

/**
 * How many /newPrefix blocks `c` holds: 2^(newPrefix - prefix). Total: 0n when newPrefix is
 * not an integer in prefix..bits (no block of that size fits). Never materialises blocks.
 */
export function blockCount(c: Cidr, newPrefix: number): bigint {
  return validSubPrefix(c, newPrefix) ? 1n << BigInt(newPrefix - c.prefix) : 0n;
}

/** Lazily yields the /newPrefix blocks of `c`, lowest first (nothing when blockCount is 0n). */
export function* blocks(c: Cidr, newPrefix: number): Generator<Cidr, void, undefined> {
  if (!validSubPrefix(c, newPrefix)) return;
  const step = 1n << BigInt(bits(c.family) - newPrefix);
  const end = c.network + size(c);
  for (let network = c.network; network < end; network += step) yield { family: c.family, network, prefix: newPrefix };
}

/**
 * Split `c` into its /newPrefix blocks, lowest first. Refuses ('too-many-blocks') when that
 * would be more than MAX_SPLIT_BLOCKS blocks — use `blockCount` or `blocks` for big splits — and
 * ('prefix-out-of-range') when newPrefix is not within prefix..bits.
 */
export function split(c: Cidr, newPrefix: number): NetResult<Cidr[]> {
  assertCidr(c, 'split');
  const text = quote(formatCidr(c));
  if (!validSubPrefix(c, newPrefix)) {
    return fail(
      'prefix-out-of-range',
      `the block prefix length for ${text} must be from ${c.prefix} to ${bits(c.family)}, not ${newPrefix}`,
    );
  }
  const count = blockCount(c, newPrefix);
  if (count > BigInt(MAX_SPLIT_BLOCKS)) {
    return fail(
      'too-many-blocks',
      `splitting ${text} into /${newPrefix} blocks must give at most ${MAX_SPLIT_BLOCKS} blocks, not ${count}: use a shorter block prefix or count the blocks instead`,
    );
  }
  return { ok: true, value: [...blocks(c, newPrefix)] };
}
