/**
 * Fleet-scale overlap detection. CIDRs are laminar — two blocks are either disjoint or one
 * contains the other — so after sorting by (family, network, prefix) the blocks that overlap the
 * current one are exactly the still-open enclosing blocks, which form a chain (a stack). A sweep
 * pops the blocks that end before the current one starts; everything left on the stack contains
 * the current block. O(n log n) for the sort plus O(n + k) for the sweep, k = pairs reported.
 */
import { assertCidr, compareCidr, size } from './cidr';
import type { Cidr } from './types';

/** A CIDR with whatever identifies where it came from (a resource, a field path, ...). */
export interface OwnedCidr<T> {
  readonly cidr: Cidr;
  readonly owner: T;
}

/**
 * Every pair of entries whose CIDRs share an address (same family only; equal CIDRs included).
 * Returns the input objects themselves. Order is deterministic and independent of input order
 * except for ties: in each pair `[a, b]`, `a` is the enclosing (or equal) block — it sorts first
 * by `compareCidr`, ties broken by input position. Pairs are listed by the sort position of `b`,
 * then of `a`.
 */
export function findOverlaps<T>(entries: readonly OwnedCidr<T>[]): Array<[OwnedCidr<T>, OwnedCidr<T>]> {
  const sorted = entries.map((entry, index) => {
    assertCidr(entry.cidr, 'findOverlaps');
    return { entry, index, end: entry.cidr.network + size(entry.cidr) - 1n };
  });
  sorted.sort((x, y) => compareCidr(x.entry.cidr, y.entry.cidr) || x.index - y.index);

  const pairs: Array<[OwnedCidr<T>, OwnedCidr<T>]> = [];
  const open: typeof sorted = [];
  for (const current of sorted) {
    const { family, network } = current.entry.cidr;
    // Pop blocks of another family or ending before this one starts; what is left encloses it.
    for (let top = open.at(-1); top && (top.entry.cidr.family !== family || top.end < network); top = open.at(-1)) {
      open.pop();
    }
    for (const enclosing of open) pairs.push([enclosing.entry, current.entry]);
    open.push(current);
  }
  return pairs;
}
