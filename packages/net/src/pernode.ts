/**
 * Per-node pod-range arithmetic for ClusterCIDRConfig (`spec.ipv4|ipv6.{cidr, perNodeMaskSize}`).
 *
 * Pod-density rule: a node's block must have at least POD_ADDRESS_FACTOR (2) addresses per pod,
 * so addresses of deleted pods are not reused at once. This is the rule GDC documents for
 * `maxPodsPerNode` (110 pods, the default, needs a /24; 250 pods needs a /23) and the one
 * Kubernetes node IPAM follows. Callers wanting another rule use `addressesPerBlock`.
 */
import { blockCount } from './cidr';
import { bits, type Cidr, type Family } from './types';

/** Addresses required per pod in a node's block. */
export const POD_ADDRESS_FACTOR = 2;

/** perNodeMaskSize - cidr prefix must be at most this (at most 65,536 node blocks; Kubernetes, Cilium, kubeadm). */
export const MAX_PER_NODE_BLOCK_BITS = 16;

/** A node block should have at least this many host bits (16 addresses). */
export const MIN_PER_NODE_HOST_BITS = 4;

/** How many nodes a config can serve: the number of /perNodeMaskSize blocks in `cidr` (0n when the mask is out of range). */
export function perNodeBlocks(cidr: Cidr, perNodeMaskSize: number): bigint {
  return blockCount(cidr, perNodeMaskSize);
}

/** Dual-stack configs must give each node the same number of host bits: 32 - v4 === 128 - v6 (/24 pairs with /120). */
export function hostBitsMatch(ipv4PerNodeMask: number, ipv6PerNodeMask: number): boolean {
  return 32 - ipv4PerNodeMask === 128 - ipv6PerNodeMask;
}

/** Addresses in one /prefix block of the family (256n for IPv4 /24); 0n when prefix is not an integer in 0..bits. */
export function addressesPerBlock(prefix: number, family: Family): bigint {
  const width = bits(family);
  return Number.isInteger(prefix) && prefix >= 0 && prefix <= width ? 1n << BigInt(width - prefix) : 0n;
}

/**
 * True when a /perNodeMaskSize block holds maxPods pods: addresses >= maxPods * POD_ADDRESS_FACTOR.
 * False for a mask outside 0..bits and for a maxPods that is NaN or Infinity.
 */
export function maxPodsFit(perNodeMaskSize: number, family: Family, maxPods: number): boolean {
  if (Number.isNaN(maxPods)) return false;
  if (maxPods === Infinity) return false;
  const addresses = addressesPerBlock(perNodeMaskSize, family);
  return addresses > 0n && addresses >= BigInt(Math.max(0, Math.ceil(maxPods))) * BigInt(POD_ADDRESS_FACTOR);
}

/**
 * The longest per-node mask (smallest block) that still holds maxPods pods under the rule above:
 * 24 for 110 IPv4 pods, 23 for 250; 120 for 110 IPv6 pods. Undefined if even /0 is too small.
 */
export function longestPerNodeMask(family: Family, maxPods: number): number | undefined {
  for (let prefix = bits(family); prefix >= 0; prefix--) {
    if (maxPodsFit(prefix, family, maxPods)) return prefix;
  }
  return undefined;
}
