/**
 * Deterministic first-fit allocation of aligned blocks from a pool. Pure: the same pool, block
 * prefix, count and taken list always give the same blocks, whatever order `taken` is in.
 *
 * Algorithm: keep the taken ranges of the pool's family that touch the pool, clip them to the
 * pool, sort by start and sweep once to get the free gaps in ascending order. In each gap the
 * candidate blocks are the aligned ones between the gap's first aligned address and its end; we
 * take them lowest first. Cost: O(t log t) for the sort plus O(t + count) bigint steps — a taken
 * range is jumped over in one step, never tested block by block.
 */
import { assertCidr, formatCidr } from './cidr';
import { bits, type Cidr, type NetResult } from './types';

/** Free gaps of `pool` as half-open [start, end) bigint intervals, ascending. */
function* freeGaps(pool: Cidr, taken: readonly Cidr[]): Generator<readonly [bigint, bigint], void, undefined> {
  const poolStart = pool.network;
  const poolEnd = pool.network + (1n << BigInt(bits(pool.family) - pool.prefix)); // exclusive
  const busy: Array<readonly [bigint, bigint]> = [];
  for (const t of taken) {
    assertCidr(t, 'allocate (taken)');
    if (t.family !== pool.family) continue;
    const start = t.network;
    const end = t.network + (1n << BigInt(bits(t.family) - t.prefix));
    if (end <= poolStart || start >= poolEnd) continue;
    busy.push([start > poolStart ? start : poolStart, end < poolEnd ? end : poolEnd]);
  }
  busy.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let cursor = poolStart;
  for (const [start, end] of busy) {
    if (start > cursor) yield [cursor, start];
    if (end > cursor) cursor = end;
  }
  if (cursor < poolEnd) yield [cursor, poolEnd];
}

function validBlockPrefix(pool: Cidr, blockPrefix: number): boolean {
  return Number.isInteger(blockPrefix) && blockPrefix >= pool.prefix && blockPrefix <= bits(pool.family);
}

function prefixError(pool: Cidr, blockPrefix: number): NetResult<never> {
  return {
    ok: false,
    error: {
      code: 'prefix-out-of-range',
      message: `the block prefix length for pool "${formatCidr(pool)}" must be from ${pool.prefix} to ${bits(pool.family)}, not ${blockPrefix}`,
    },
  };
}

/**
 * Lazily yields the free aligned /blockPrefix blocks of `pool`, lowest first: blocks that share
 * no address with any `taken` range of the same family (other families are ignored; taken
 * ranges may be any size and may stick out of the pool). Yields nothing for an invalid prefix.
 */
export function* freeBlocks(pool: Cidr, blockPrefix: number, taken: readonly Cidr[]): Generator<Cidr, void, undefined> {
  assertCidr(pool, 'freeBlocks');
  if (!validBlockPrefix(pool, blockPrefix)) return;
  const step = 1n << BigInt(bits(pool.family) - blockPrefix);
  for (const [start, end] of freeGaps(pool, taken)) {
    for (let network = ((start + step - 1n) / step) * step; network + step <= end; network += step) {
      yield { family: pool.family, network, prefix: blockPrefix };
    }
  }
}

/** How many free aligned /blockPrefix blocks `pool` has (0n for an invalid prefix). Never materialises blocks. */
export function countFree(pool: Cidr, blockPrefix: number, taken: readonly Cidr[]): bigint {
  assertCidr(pool, 'countFree');
  if (!validBlockPrefix(pool, blockPrefix)) return 0n;
  const step = 1n << BigInt(bits(pool.family) - blockPrefix);
  let total = 0n;
  for (const [start, end] of freeGaps(pool, taken)) {
    const first = ((start + step - 1n) / step) * step;
    if (first < end) total += (end - first) / step;
  }
  return total;
}

/**
 * Deterministic first-fit: `count` blocks of size /blockPrefix inside `pool`, lowest addresses
 * first, each aligned and sharing no address with any `taken` range of the pool's family.
 * Guarantees: the blocks are disjoint, inside the pool, aligned, ascending, and no free aligned
 * block lower than the last one returned was skipped.
 *
 * Errors: 'prefix-out-of-range' when blockPrefix is not within pool.prefix..bits; 'exhausted'
 * (with `found` and `missing`) when fewer than `count` blocks are free — no partial result.
 * Throws (a bug) when count is not a non-negative safe integer or a Cidr is malformed.
 */
export function allocate(pool: Cidr, blockPrefix: number, count: number, taken: readonly Cidr[]): NetResult<Cidr[]> {
  assertCidr(pool, 'allocate');
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`allocate: count must be a non-negative integer, got ${count}`);
  if (!validBlockPrefix(pool, blockPrefix)) return prefixError(pool, blockPrefix);
  const out: Cidr[] = [];
  if (count > 0) {
    for (const block of freeBlocks(pool, blockPrefix, taken)) {
      out.push(block);
      if (out.length === count) break;
    }
  }
  if (out.length < count) {
    const found = out.length;
    const missing = count - found;
    return {
      ok: false,
      error: {
        code: 'exhausted',
        message: `pool "${formatCidr(pool)}" must hold ${count} free /${blockPrefix} blocks, but only ${found} are free (${missing} missing): use a larger pool or a longer block prefix, or release taken ranges`,
        found,
        missing,
      },
    };
  }
  return { ok: true, value: out };
}

/**
 * The first (lowest) free aligned /prefix range of `pool` — e.g. carve one contiguous /22 for a
 * node pool out of a /16. Same rules and errors as `allocate` with count 1.
 */
export function allocateRange(pool: Cidr, prefix: number, taken: readonly Cidr[]): NetResult<Cidr> {
  assertCidr(pool, 'allocateRange');
  if (!validBlockPrefix(pool, prefix)) return prefixError(pool, prefix);
  const first = freeBlocks(pool, prefix, taken).next();
  if (first.done) {
    return {
      ok: false,
      error: {
        code: 'exhausted',
        message: `pool "${formatCidr(pool)}" must have a free /${prefix} range, but every /${prefix} in it overlaps a taken range: use a larger pool or a longer prefix, or release taken ranges`,
        found: 0,
        missing: 1,
      },
    };
  }
  return { ok: true, value: first.value };
}
