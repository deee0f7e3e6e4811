import fc from 'fast-check';
import { findOverlaps, formatCidr, mustParseCidr, overlaps, type Cidr, type OwnedCidr } from '@flatnet/net';

const entries = (...texts: string[]): OwnedCidr<string>[] =>
  texts.map((text, i) => ({ cidr: mustParseCidr(text), owner: `#${i} ${text}` }));
const names = (pairs: Array<[OwnedCidr<string>, OwnedCidr<string>]>) => pairs.map(([a, b]) => [a.owner, b.owner]);

describe('findOverlaps', () => {
  it('finds nothing in disjoint ranges of both families', () => {
    expect(findOverlaps(entries('10.0.0.0/24', '10.0.1.0/24', '::/1', '8000::/1', '11.0.0.0/8'))).toEqual([]);
    expect(findOverlaps([])).toEqual([]);
  });

  it('does not report across families', () => {
    expect(findOverlaps(entries('0.0.0.0/0', '::/0'))).toEqual([]);
  });

  it('reports every nested pair, enclosing block first', () => {
    expect(names(findOverlaps(entries('10.0.1.0/24', '10.0.0.0/8', '10.0.0.0/16', '10.1.0.0/16', '2001:db8::1/128', '2001:db8::/32')))).toEqual([
      ['#1 10.0.0.0/8', '#2 10.0.0.0/16'],
      ['#1 10.0.0.0/8', '#0 10.0.1.0/24'],
      ['#2 10.0.0.0/16', '#0 10.0.1.0/24'],
      ['#1 10.0.0.0/8', '#3 10.1.0.0/16'],
      ['#5 2001:db8::/32', '#4 2001:db8::1/128'],
    ]);
  });

  it('reports duplicates, earlier input first', () => {
    expect(names(findOverlaps(entries('10.0.0.0/24', '10.0.0.0/24', '10.0.0.0/24')))).toEqual([
      ['#0 10.0.0.0/24', '#1 10.0.0.0/24'],
      ['#0 10.0.0.0/24', '#2 10.0.0.0/24'],
      ['#1 10.0.0.0/24', '#2 10.0.0.0/24'],
    ]);
  });

  it('returns the input objects themselves', () => {
    const list = entries('10.0.0.0/8', '10.0.0.0/9');
    const [pair] = findOverlaps(list);
    expect(pair?.[0]).toBe(list[0]);
    expect(pair?.[1]).toBe(list[1]);
  });

  it('matches a brute-force pairwise check on random sets', () => {
    // Small universes so that overlaps are common.
    const cidr = fc.oneof(
      fc.tuple(fc.bigInt({ min: 0n, max: 255n }), fc.integer({ min: 24, max: 32 })).map(
        ([low, prefix]): Cidr => {
          const host = (1n << BigInt(32 - prefix)) - 1n;
          return { family: 'ipv4', network: (0x0a000000n | low) & ~host, prefix };
        },
      ),
      fc.tuple(fc.bigInt({ min: 0n, max: 255n }), fc.integer({ min: 120, max: 128 })).map(
        ([low, prefix]): Cidr => {
          const host = (1n << BigInt(128 - prefix)) - 1n;
          return { family: 'ipv6', network: ((0xfdn << 120n) | low) & ~host, prefix };
        },
      ),
    );
    fc.assert(
      fc.property(fc.array(cidr, { maxLength: 25 }), (cidrs) => {
        const list = cidrs.map((c, i) => ({ cidr: c, owner: i }));
        const key = (a: number, b: number) => `${Math.min(a, b)}-${Math.max(a, b)}`;
        const expected = new Set<string>();
        for (let i = 0; i < list.length; i++) {
          for (let j = i + 1; j < list.length; j++) if (overlaps(cidrs[i]!, cidrs[j]!)) expected.add(key(i, j));
        }
        const found = findOverlaps(list).map(([a, b]) => key(a.owner, b.owner));
        // no pair twice, and the same set as brute force
        expect(new Set(found).size).toBe(found.length);
        expect(new Set(found)).toEqual(expected);
        // deterministic: shuffling the input (reversing) gives the same pairs of CIDRs
        const again = findOverlaps([...list].reverse()).map(([a, b]) => `${formatCidr(a.cidr)} ${formatCidr(b.cidr)}`);
        const first = findOverlaps(list).map(([a, b]) => `${formatCidr(a.cidr)} ${formatCidr(b.cidr)}`);
        expect(again).toEqual(first);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('handles a large fleet', () => {
    const list: OwnedCidr<number>[] = [];
    for (let i = 0; i < 20000; i++) list.push({ cidr: { family: 'ipv4', network: 0x0a000000n + BigInt(i) * 256n, prefix: 24 }, owner: i });
    list.push({ cidr: mustParseCidr('10.0.0.0/16'), owner: -1 });
    const pairs = findOverlaps(list);
    expect(pairs).toHaveLength(256);
    expect(pairs.every(([a]) => a.owner === -1)).toBe(true);
  });
});
