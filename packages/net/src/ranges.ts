/**
 * Address ranges: a CIDR or a MetalLB-style `first-last` pair, as one closed interval of one
 * family, and a sweep that finds every overlapping pair among many of them. Unlike CIDRs, ranges
 * are not laminar (two may overlap without either containing the other), so the sweep keeps the
 * open ranges in a min-heap on their last address instead of a stack.
 */
import { formatIP, parseCidr, parseIP, span } from './cidr';
import type { Cidr, Family, IPAddress, ParseResult } from './types';

/** A closed interval of addresses of one family, `first <= last`. */
export interface AddressRange {
  readonly family: Family;
  readonly first: bigint;
  readonly last: bigint;
}

/** The addresses of a CIDR, or the one address. */
export function rangeOf(x: Cidr | IPAddress): AddressRange {
  const [first, last] = span(x);
  return { family: x.family, first, last };
}

const quote = (text: string): string => JSON.stringify(text);
const syntax = (message: string) => ({ ok: false as const, error: { code: 'invalid-syntax' as const, message } });

/**
 * A load-balancer pool entry: a CIDR (strict, as `parseCidr`), or two addresses of one family
 * joined by '-', lower first (spaces around them allowed, as MetalLB trims them). A single address
 * is not an entry: MetalLB wants `a.b.c.d/32`. `canonical` is the CIDR's canonical text, or the two
 * canonical addresses joined by '-' without spaces.
 */
export function parseAddressRange(text: string): ParseResult<AddressRange> {
  if (typeof text !== 'string') return syntax('an address range must be text');
  if (text.includes('/')) {
    const c = parseCidr(text);
    return c.ok ? { ok: true, value: rangeOf(c.value), canonical: c.canonical } : c;
  }
  const dash = text.indexOf('-');
  if (dash < 0 || text.indexOf('-', dash + 1) >= 0) return syntax(`${quote(text)} must be a CIDR or a range "first-last"`);
  const a = parseIP(text.slice(0, dash).trim());
  if (!a.ok) return a;
  const b = parseIP(text.slice(dash + 1).trim());
  if (!b.ok) return b;
  if (a.value.family !== b.value.family) return syntax(`${quote(text)} must not mix IPv4 and IPv6`);
  if (a.value.value > b.value.value) return syntax(`${quote(text)} must start at its lower address`);
  return { ok: true, value: { family: a.value.family, first: a.value.value, last: b.value.value }, canonical: `${a.canonical}-${b.canonical}` };
}

/** The text of a range: a single address, or `first-last`. */
export function formatRange(r: AddressRange): string {
  const first = formatIP({ family: r.family, value: r.first });
  return r.first === r.last ? first : `${first}-${formatIP({ family: r.family, value: r.last })}`;
}

/** True when two ranges share an address (same family only). */
export const rangesOverlap = (a: AddressRange, b: AddressRange): boolean => a.family === b.family && a.first <= b.last && b.first <= a.last;

/** A range with whatever identifies where it came from. */
export interface OwnedRange<T> {
  readonly range: AddressRange;
  readonly owner: T;
}

interface Open<T> {
  readonly entry: OwnedRange<T>;
  /** Position in the sweep order, to report pairs in a fixed order. */
  readonly pos: number;
}

/**
 * Every pair of entries whose ranges share an address (same family only; equal ranges included),
 * in O(n log n + k) for k pairs: sorted by (family, first address, input position), each entry
 * meets the still-open ranges — those ending at or after its first address — which a min-heap on
 * the last address yields after the closed ones are popped. In each pair `[a, b]`, `a` comes first
 * in that order. Pairs are listed by the position of `b`, then of `a`. Returns the input objects.
 */
export function findRangeOverlaps<T>(entries: readonly OwnedRange<T>[]): Array<[OwnedRange<T>, OwnedRange<T>]> {
  const order = entries.map((entry, index) => ({ entry, index }));
  order.sort((x, y) => {
    const fx = x.entry.range.family;
    const fy = y.entry.range.family;
    if (fx !== fy) return fx === 'ipv4' ? -1 : 1;
    const a = x.entry.range.first;
    const b = y.entry.range.first;
    return a < b ? -1 : a > b ? 1 : x.index - y.index;
  });
  const pairs: Array<[OwnedRange<T>, OwnedRange<T>]> = [];
  const heap: Array<Open<T>> = [];
  let family: Family | undefined;
  for (let pos = 0; pos < order.length; pos++) {
    const entry = order[pos]!.entry;
    const { first } = entry.range;
    if (entry.range.family !== family) {
      heap.length = 0;
      family = entry.range.family;
    }
    while (heap.length > 0 && heap[0]!.entry.range.last < first) popMin(heap);
    if (heap.length > 0) {
      const open = [...heap].sort((x, y) => x.pos - y.pos);
      for (const o of open) pairs.push([o.entry, entry]);
    }
    push(heap, { entry, pos });
  }
  return pairs;
}

// A binary min-heap on `entry.range.last`.
const lastOf = <T>(o: Open<T>): bigint => o.entry.range.last;

function push<T>(heap: Array<Open<T>>, item: Open<T>): void {
  heap.push(item);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (lastOf(heap[parent]!) <= lastOf(heap[i]!)) break;
    [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
    i = parent;
  }
}

function popMin<T>(heap: Array<Open<T>>): void {
  const last = heap.pop()!;
  if (heap.length === 0) return;
  heap[0] = last;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < heap.length && lastOf(heap[l]!) < lastOf(heap[m]!)) m = l;
    if (r < heap.length && lastOf(heap[r]!) < lastOf(heap[m]!)) m = r;
    if (m === i) return;
    [heap[m], heap[i]] = [heap[i]!, heap[m]!];
    i = m;
  }
}
