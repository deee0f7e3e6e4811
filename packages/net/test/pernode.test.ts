import {
  addressesPerBlock,
  hostBitsMatch,
  longestPerNodeMask,
  MAX_PER_NODE_BLOCK_BITS,
  maxPodsFit,
  MIN_PER_NODE_HOST_BITS,
  mustParseCidr,
  perNodeBlocks,
  POD_ADDRESS_FACTOR,
  type Family,
} from '@flatnet/net';

describe('perNodeBlocks', () => {
  it.each<[string, number, bigint]>([
    ['10.244.0.0/16', 24, 256n],
    ['10.244.0.0/16', 16, 1n],
    ['10.244.0.0/16', 32, 65536n],
    ['10.244.0.0/22', 24, 4n],
    ['10.244.0.0/16', 15, 0n],
    ['10.244.0.0/16', 33, 0n],
    ['fd00:10:244::/56', 120, 1n << 64n],
    ['fd00:10:244::/112', 120, 256n],
    ['fd00:10:244::/112', 128, 65536n],
    ['::/0', 128, 1n << 128n],
  ])('%s with /%d per node serves %d nodes', (cidr, mask, n) => {
    expect(perNodeBlocks(mustParseCidr(cidr), mask)).toBe(n);
  });
});

describe('hostBitsMatch', () => {
  it.each<[number, number, boolean]>([
    [24, 120, true],
    [32, 128, true],
    [16, 112, true],
    [24, 64, false],
    [25, 120, false],
  ])('/%d with /%d: %s', (v4, v6, expected) => {
    expect(hostBitsMatch(v4, v6)).toBe(expected);
  });
});

describe('pod density', () => {
  it('uses two addresses per pod', () => {
    expect(POD_ADDRESS_FACTOR).toBe(2);
    expect(MAX_PER_NODE_BLOCK_BITS).toBe(16);
    expect(MIN_PER_NODE_HOST_BITS).toBe(4);
  });

  it.each<[number, Family, bigint]>([
    [24, 'ipv4', 256n],
    [32, 'ipv4', 1n],
    [0, 'ipv4', 1n << 32n],
    [120, 'ipv6', 256n],
    [64, 'ipv6', 1n << 64n],
    [33, 'ipv4', 0n],
    [-1, 'ipv4', 0n],
    [129, 'ipv6', 0n],
  ])('addressesPerBlock(/%d, %s) = %d', (prefix, family, n) => {
    expect(addressesPerBlock(prefix, family)).toBe(n);
  });

  it.each<[number, Family, number, boolean]>([
    [24, 'ipv4', 110, true], // the GDC default
    [25, 'ipv4', 110, false], // 128 addresses < 220
    [24, 'ipv4', 128, true],
    [24, 'ipv4', 129, false],
    [23, 'ipv4', 250, true],
    [24, 'ipv4', 250, false],
    [120, 'ipv6', 110, true],
    [121, 'ipv6', 110, false],
    [32, 'ipv4', 0, true],
    [33, 'ipv4', 0, false],
    [24, 'ipv4', Number.NaN, false],
    [0, 'ipv4', Number.POSITIVE_INFINITY, false],
    [24, 'ipv4', -5, true],
  ])('maxPodsFit(/%d, %s, %d) = %s', (mask, family, pods, expected) => {
    expect(maxPodsFit(mask, family, pods)).toBe(expected);
  });

  it.each<[Family, number, number | undefined]>([
    ['ipv4', 110, 24],
    ['ipv4', 250, 23],
    ['ipv4', 32, 26],
    ['ipv4', 0, 32],
    ['ipv6', 110, 120],
    ['ipv4', 2 ** 31, 0],
    ['ipv4', 2 ** 31 + 1, undefined],
  ])('longestPerNodeMask(%s, %d) = %s', (family, pods, mask) => {
    expect(longestPerNodeMask(family, pods)).toBe(mask);
  });
});
