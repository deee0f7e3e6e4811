import fc from 'fast-check';
import {
  allocate,
  allocateRange,
  bits,
  contains,
  countFree,
  formatCidr,
  freeBlocks,
  mustParseCidr,
  overlaps,
  type Cidr,
} from '@flatnet/net';

const c = mustParseCidr;
const texts = (r: { ok: true; value: Cidr[] } | { ok: false }) => (r.ok ? r.value.map(formatCidr) : r);

describe('allocate', () => {
  it.each<[string, string, number, number, string[], string[]]>([
    ['empty pool, lowest first', '10.0.0.0/16', 24, 3, [], ['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24']],
    ['count 0', '10.0.0.0/16', 24, 0, [], []],
    ['whole pool as one block', '10.0.0.0/24', 24, 1, [], ['10.0.0.0/24']],
    ['skips taken blocks', '10.0.0.0/16', 24, 2, ['10.0.0.0/24', '10.0.2.0/24'], ['10.0.1.0/24', '10.0.3.0/24']],
    ['taken order does not matter', '10.0.0.0/16', 24, 2, ['10.0.2.0/24', '10.0.0.0/24'], ['10.0.1.0/24', '10.0.3.0/24']],
    ['a small taken range blocks its whole block', '10.0.0.0/16', 24, 1, ['10.0.0.7/32'], ['10.0.1.0/24']],
    ['a big taken range is jumped over', '10.0.0.0/16', 24, 1, ['10.0.0.0/17'], ['10.0.128.0/24']],
    ['taken outside the pool is ignored', '10.0.0.0/16', 24, 1, ['10.1.0.0/16', '11.0.0.0/8'], ['10.0.0.0/24']],
    ['other family is ignored', '10.0.0.0/16', 24, 1, ['::/0'], ['10.0.0.0/24']],
    ['unaligned gap is skipped', '10.0.0.0/24', 26, 2, ['10.0.0.0/27', '10.0.0.96/27'], ['10.0.0.128/26', '10.0.0.192/26']],
    ['fills holes before the end', '10.0.0.0/24', 26, 2, ['10.0.0.64/26'], ['10.0.0.0/26', '10.0.0.128/26']],
    ['/32 blocks', '10.0.0.0/30', 32, 3, ['10.0.0.1/32'], ['10.0.0.0/32', '10.0.0.2/32', '10.0.0.3/32']],
    ['whole IPv4 space', '0.0.0.0/0', 1, 2, [], ['0.0.0.0/1', '128.0.0.0/1']],
    ['IPv6 /120 per node', 'fd00:10:244::/56', 120, 2, ['fd00:10:244::/120'], ['fd00:10:244::100/120', 'fd00:10:244::200/120']],
    ['IPv6 /128 edge', 'fd00::/126', 128, 2, ['fd00::/127'], ['fd00::2/128', 'fd00::3/128']],
    ['whole IPv6 space', '::/0', 1, 1, ['::/1'], ['8000::/1']],
    ['other family ignored in IPv6', 'fd00::/64', 64, 1, ['0.0.0.0/0'], ['fd00::/64']],
  ])('%s', (_name, pool, prefix, count, taken, expected) => {
    expect(texts(allocate(c(pool), prefix, count, taken.map(c)))).toEqual(expected);
  });

  it.each<[string, number, number, string[], number]>([
    ['10.0.0.0/16', 24, 1, ['10.0.0.0/7'], 0],
    ['10.0.1.0/24', 26, 2, ['10.0.0.0/23'], 0],
    ['10.0.0.0/24', 26, 5, [], 4],
    ['10.0.0.0/24', 26, 3, ['10.0.0.1/32', '10.0.0.200/32'], 2],
    ['fd00::/126', 128, 5, [], 4],
  ])('%s /%d x%d with %j taken is exhausted after %d', (pool, prefix, count, taken, found) => {
    expect(allocate(c(pool), prefix, count, taken.map(c))).toMatchObject({
      ok: false,
      error: { code: 'exhausted', found, missing: count - found },
    });
  });

  it('says how many blocks were found and how many are missing', () => {
    expect(allocate(c('10.0.0.0/24'), 26, 5, [])).toEqual({
      ok: false,
      error: {
        code: 'exhausted',
        message:
          'pool "10.0.0.0/24" must hold 5 free /26 blocks, but only 4 are free (1 missing): use a larger pool or a longer block prefix, or release taken ranges',
        found: 4,
        missing: 1,
      },
    });
  });

  it.each<[string, number]>([
    ['10.0.0.0/16', 8],
    ['10.0.0.0/16', 33],
    ['fd00::/64', 129],
    ['fd00::/64', 63],
  ])('%s with /%d blocks is prefix-out-of-range', (pool, prefix) => {
    expect(allocate(c(pool), prefix, 1, [])).toMatchObject({ ok: false, error: { code: 'prefix-out-of-range' } });
    expect(allocateRange(c(pool), prefix, [])).toMatchObject({ ok: false, error: { code: 'prefix-out-of-range' } });
    expect(countFree(c(pool), prefix, [])).toBe(0n);
  });

  it('throws for a bad count (a bug, not user input)', () => {
    expect(() => allocate(c('10.0.0.0/16'), 24, -1, [])).toThrow(RangeError);
    expect(() => allocate(c('10.0.0.0/16'), 24, 1.5, [])).toThrow(RangeError);
  });

  it('scales: 1000 /24s from 10.0.0.0/8 with 10,000 taken /24s', () => {
    const pool = c('10.0.0.0/8');
    const taken: Cidr[] = [];
    // Every other /24 of the first 20,000, in a scrambled order.
    for (let i = 0; i < 10000; i++) {
      const k = (i * 7919) % 10000;
      taken.push({ family: 'ipv4', network: 0x0a000000n + BigInt(k * 2) * 256n, prefix: 24 });
    }
    const r = allocate(pool, 24, 1000, taken);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toHaveLength(1000);
    expect(formatCidr(r.value[0]!)).toBe('10.0.1.0/24');
    expect(formatCidr(r.value[999]!)).toBe('10.7.207.0/24'); // the 1000th odd /24
    expect(countFree(pool, 24, taken)).toBe(65536n - 10000n);
  });
});

describe('allocateRange', () => {
  it('carves the first free aligned range', () => {
    const r = allocateRange(c('10.0.0.0/16'), 22, [c('10.0.0.0/24'), c('10.0.5.0/24')]);
    expect(r.ok && formatCidr(r.value)).toBe('10.0.8.0/22');
    const v6 = allocateRange(c('fd00::/48'), 56, [c('fd00::/64')]);
    expect(v6.ok && formatCidr(v6.value)).toBe('fd00:0:0:100::/56');
  });

  it('reports exhaustion with found 0 and missing 1', () => {
    expect(allocateRange(c('10.0.0.0/16'), 17, [c('10.0.0.1/32'), c('10.0.128.1/32')])).toEqual({
      ok: false,
      error: {
        code: 'exhausted',
        message:
          'pool "10.0.0.0/16" must have a free /17 range, but every /17 in it overlaps a taken range: use a larger pool or a longer prefix, or release taken ranges',
        found: 0,
        missing: 1,
      },
    });
  });
});

describe('properties', () => {
  /**
   * A pool, a block prefix, a count and taken ranges of any size: inside the pool, around it,
   * enclosing it, and some of the other family.
   */
  const share = fc.integer({ min: 0, max: 1000 }).map((n) => n / 1000);
  const scenario = fc
    .record({
      family: fc.constantFrom<'ipv4' | 'ipv6'>('ipv4', 'ipv6'),
      poolHostBits: fc.integer({ min: 0, max: 10 }),
      blockBits: fc.integer({ min: 0, max: 6 }),
      countShare: share,
      taken: fc.array(
        fc.tuple(share, share, fc.boolean()),
        { maxLength: 12 },
      ),
    })
    .map(({ family, poolHostBits, blockBits, countShare, taken }) => {
      const width = bits(family);
      const base = family === 'ipv4' ? 0x0a000000n : 0xfd00n << 112n;
      const poolSize = 1n << BigInt(poolHostBits);
      // The pool is the second pool-sized block after `base`, so ranges can fall on either side.
      const pool: Cidr = { family, network: base + poolSize, prefix: width - poolHostBits };
      const blockPrefix = Math.min(width, pool.prefix + blockBits);
      // 1 up to the whole pool's worth of blocks: sometimes it fits, sometimes not.
      const count = Math.max(1, Math.round(countShare * 2 ** (blockPrefix - pool.prefix)));
      const takenCidrs = taken.map(([where, sizeShare, otherFamily]): Cidr => {
        // Mostly ranges smaller than the pool, sometimes one enclosing it.
        const hostBits = Math.floor(sizeShare ** 2 * (poolHostBits + 2));
        const f = otherFamily ? (family === 'ipv4' ? 'ipv6' : 'ipv4') : family;
        const offset = BigInt(Math.floor(where * Number(3n * poolSize)));
        const start = (f === 'ipv4' ? 0x0a000000n : 0xfd00n << 112n) + offset;
        return { family: f, network: start & ~((1n << BigInt(hostBits)) - 1n), prefix: bits(f) - hostBits };
      });
      return { pool, blockPrefix, count, taken: takenCidrs };
    });

  it('allocations are inside the pool, aligned, disjoint, free, ascending and first-fit', () => {
    fc.assert(
      fc.property(scenario, ({ pool, blockPrefix, count, taken }) => {
        const r = allocate(pool, blockPrefix, count, taken);
        const free = countFree(pool, blockPrefix, taken);
        if (!r.ok) {
          expect(r.error.code).toBe('exhausted');
          if (r.error.code === 'exhausted') {
            expect(BigInt(r.error.found)).toBe(free);
            expect(r.error.found + r.error.missing).toBe(count);
          }
          return;
        }
        const got = r.value;
        expect(got).toHaveLength(count);
        const step = 1n << BigInt(bits(pool.family) - blockPrefix);
        for (const [i, block] of got.entries()) {
          expect(block.prefix).toBe(blockPrefix);
          expect(block.family).toBe(pool.family);
          expect(block.network % step).toBe(0n);
          expect(contains(pool, block)).toBe(true);
          for (const t of taken) expect(overlaps(block, t)).toBe(false);
          const next = got[i + 1];
          if (next) expect(next.network > block.network).toBe(true); // ascending, hence disjoint
          for (const other of got) if (other !== block) expect(overlaps(block, other)).toBe(false);
        }
        // First fit: walking every aligned block of the pool below the last one allocated, each
        // is either allocated or overlaps a taken range.
        const last = got.at(-1);
        if (last) {
          const allocated = new Set(got.map((b) => b.network));
          for (let n = pool.network; n <= last.network; n += step) {
            const candidate: Cidr = { family: pool.family, network: n, prefix: blockPrefix };
            expect(allocated.has(n) || taken.some((t) => overlaps(candidate, t))).toBe(true);
          }
        }
        // freeBlocks and countFree agree, and allocate is a prefix of freeBlocks
        const all = [...freeBlocks(pool, blockPrefix, taken)];
        expect(BigInt(all.length)).toBe(free);
        expect(all.slice(0, count)).toEqual(got);
        // allocateRange is the first free block
        const one = allocateRange(pool, blockPrefix, taken);
        if (all.length > 0) expect(one).toEqual({ ok: true, value: all[0] });
        else expect(one).toMatchObject({ ok: false, error: { code: 'exhausted' } });
        // pure: taken order does not matter
        expect(allocate(pool, blockPrefix, count, [...taken].reverse())).toEqual(r);
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
