/**
 * @flatnet/net — IP, CIDR and ASN math for IPv4 and IPv6, with no KRM knowledge.
 * Addresses are bigints; user mistakes come back as `NetError`s, never thrown. See README.md.
 */
export {
  bits,
  type Family,
  type IPAddress,
  type Cidr,
  type NetErrorCode,
  type NetError,
  type GeneralNetError,
  type ExhaustedError,
  type NetResult,
  type ParseResult,
} from './types';
export {
  parseIP,
  parseCidr,
  isCanonical,
  mustParseIP,
  mustParseCidr,
  formatIP,
  formatCidr,
  isCidr,
  hostCidr,
  networkOf,
  hostBits,
  size,
  firstAddress,
  lastAddress,
  span,
  contains,
  overlaps,
  compareIP,
  compareCidr,
  equalCidr,
  blockCount,
  blocks,
  split,
  MAX_SPLIT_BLOCKS,
} from './cidr';
export {
  classify,
  specialRangesOverlapping,
  forbiddenRangesOverlapping,
  SPECIAL_RANGES,
  FORBIDDEN_TAGS,
  type SpecialTag,
  type SpecialRange,
} from './special';
export { findOverlaps, type OwnedCidr } from './overlaps';
export {
  parseAddressRange,
  rangeOf,
  formatRange,
  rangesOverlap,
  findRangeOverlaps,
  type AddressRange,
  type OwnedRange,
} from './ranges';
export { allocate, allocateRange, freeBlocks, countFree } from './allocate';
export {
  perNodeBlocks,
  hostBitsMatch,
  addressesPerBlock,
  maxPodsFit,
  longestPerNodeMask,
  POD_ADDRESS_FACTOR,
  MAX_PER_NODE_BLOCK_BITS,
  MIN_PER_NODE_HOST_BITS,
} from './pernode';
export { parseASN, classifyASN, MAX_ASN, type ASNClass } from './asn';
