import fc from 'fast-check';
import { findRangeOverlaps, formatRange, mustParseCidr, parseAddressRange, rangeOf, rangesOverlap, type AddressRange, type OwnedRange } from '@flatnet/net';

const range = (text: string): AddressRange => {
  const r = parseAddressRange(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const entries = (...texts: string[]): OwnedRange<string>[] => texts.map((text, i) => ({ range: range(text), owner: `#${i} ${text}` }));
const names = (pairs: Array<[OwnedRange<string>, OwnedRange<string>]>) => pairs.map(([a, b]) => [a.owner, b.owner]);

describe('parseAddressRange', () => {
  it.each([
    ['10.0.0.0/24', '10.0.0.0-10.0.0.255', '10.0.0.0/24'],
    ['10.0.0.1-10.0.0.9', '10.0.0.1-10.0.0.9', '10.0.0.1-10.0.0.9'],
    ['10.0.0.1 - 10.0.0.9', '10.0.0.1-10.0.0.9', '10.0.0.1-10.0.0.9'],
    ['10.0.0.5-10.0.0.5', '10.0.0.5', '10.0.0.5-10.0.0.5'],
    ['FD00::1-fd00::a', 'fd00::1-fd00::a', 'fd00::1-fd00::a'],
    ['fd00:1::f/128', 'fd00:1::f', 'fd00:1::f/128'],
  ])('%j is %s (canonical %j)', (text, formatted, canonical) => {
    const r = parseAddressRange(text);
    expect(r.ok && formatRange(r.value)).toBe(formatted);
    expect(r.ok && r.canonical).toBe(canonical);
  });

  it.each([
    ['10.0.0.1', 'must be a CIDR or a range "first-last"'],
    ['10.0.0.1-10.0.0.2-10.0.0.3', 'must be a CIDR or a range'],
    ['10.0.0.9-10.0.0.1', 'must start at its lower address'],
    ['10.0.0.1-fd00::1', 'must not mix IPv4 and IPv6'],
    ['10.0.1.5/24', 'host bits'],
    ['010.0.0.1-10.0.0.2', 'leading zero'],
  ])('refuses %j', (text, why) => {
    const r = parseAddressRange(text);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toContain(why);
  });

  it('never throws on a value that is not text', () => {
    expect(parseAddressRange(42 as unknown as string).ok).toBe(false);
  });
});

describe('findRangeOverlaps', () => {
  it('finds nothing in disjoint ranges, touching ones included, nor across families', () => {
    expect(findRangeOverlaps(entries('10.0.0.0/24', '10.0.1.0-10.0.1.9', '10.0.1.10-10.0.1.20', '::/1'))).toEqual([]);
    expect(findRangeOverlaps([])).toEqual([]);
  });

  it('reports ranges that overlap without containing each other, and CIDRs against ranges', () => {
    expect(names(findRangeOverlaps(entries('10.0.0.5-10.0.0.20', '10.0.0.0/28', '10.0.0.16-10.0.0.40', 'fd00::/120', 'fd00::ff-fd00::1ff')))).toEqual([
      ['#1 10.0.0.0/28', '#0 10.0.0.5-10.0.0.20'],
      ['#0 10.0.0.5-10.0.0.20', '#2 10.0.0.16-10.0.0.40'],
      ['#3 fd00::/120', '#4 fd00::ff-fd00::1ff'],
    ]);
  });

  it('reports duplicates, earlier input first', () => {
    expect(names(findRangeOverlaps(entries('10.0.0.1-10.0.0.9', '10.0.0.1-10.0.0.9')))).toEqual([['#0 10.0.0.1-10.0.0.9', '#1 10.0.0.1-10.0.0.9']]);
  });

  it('matches a brute-force pairwise check on random sets', () => {
    const r = fc.oneof(
      fc.tuple(fc.bigInt({ min: 0n, max: 300n }), fc.bigInt({ min: 0n, max: 40n })).map(([first, len]): AddressRange => ({ family: 'ipv4', first, last: first + len })),
      fc.tuple(fc.bigInt({ min: 0n, max: 300n }), fc.bigInt({ min: 0n, max: 40n })).map(([first, len]): AddressRange => ({ family: 'ipv6', first, last: first + len })),
    );
    fc.assert(
      fc.property(fc.array(r, { maxLength: 30 }), (ranges) => {
        const list = ranges.map((range, i) => ({ range, owner: i }));
        const key = ([a, b]: [OwnedRange<number>, OwnedRange<number>]) => [Math.min(a.owner, b.owner), Math.max(a.owner, b.owner)].join(',');
        const found = findRangeOverlaps(list).map(key).sort();
        const expected: string[] = [];
        for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) if (rangesOverlap(list[i]!.range, list[j]!.range)) expected.push(`${i},${j}`);
        expect(found).toEqual(expected.sort());
      }),
    );
  });

  it('stays fast on many disjoint ranges', () => {
    const list = Array.from({ length: 50_000 }, (_, i) => ({ range: rangeOf(mustParseCidr(`10.${i >> 8}.${i & 255}.0/24`)), owner: i }));
    const t = Date.now();
    expect(findRangeOverlaps(list)).toEqual([]);
    expect(Date.now() - t).toBeLessThan(2000);
  });
});
