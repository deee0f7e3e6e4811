import {
  bits,
  blockCount,
  blocks,
  compareCidr,
  compareIP,
  contains,
  equalCidr,
  firstAddress,
  formatCidr,
  formatIP,
  hostBits,
  hostCidr,
  lastAddress,
  MAX_SPLIT_BLOCKS,
  mustParseCidr,
  mustParseIP,
  networkOf,
  overlaps,
  size,
  split,
  type Cidr,
  type IPAddress,
} from '@flatnet/net';

const c = mustParseCidr;
const ip = mustParseIP;
/** "10.0.0.0/8" is a CIDR, "10.0.0.1" an address. */
const any = (text: string): Cidr | IPAddress => (text.includes('/') ? c(text) : ip(text));

describe('bits, hostBits, size, first and last address', () => {
  it('bits', () => {
    expect(bits('ipv4')).toBe(32);
    expect(bits('ipv6')).toBe(128);
  });

  it.each<[string, number, bigint, string, string]>([
    ['0.0.0.0/0', 32, 1n << 32n, '0.0.0.0', '255.255.255.255'],
    ['10.0.0.0/8', 24, 1n << 24n, '10.0.0.0', '10.255.255.255'],
    ['10.0.1.0/24', 8, 256n, '10.0.1.0', '10.0.1.255'],
    ['10.0.1.4/31', 1, 2n, '10.0.1.4', '10.0.1.5'],
    ['10.0.1.5/32', 0, 1n, '10.0.1.5', '10.0.1.5'],
    ['255.255.255.255/32', 0, 1n, '255.255.255.255', '255.255.255.255'],
    ['::/0', 128, 1n << 128n, '::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
    ['2001:db8::/32', 96, 1n << 96n, '2001:db8::', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff'],
    ['fd00::/64', 64, 1n << 64n, 'fd00::', 'fd00::ffff:ffff:ffff:ffff'],
    ['fd00::100/120', 8, 256n, 'fd00::100', 'fd00::1ff'],
    ['::1/128', 0, 1n, '::1', '::1'],
  ])('%s', (text, host, n, first, last) => {
    const x = c(text);
    expect(hostBits(x)).toBe(host);
    expect(size(x)).toBe(n);
    expect(formatIP(firstAddress(x))).toBe(first);
    expect(formatIP(lastAddress(x))).toBe(last);
  });
});

describe('contains', () => {
  it.each<[string, string, boolean]>([
    ['10.0.0.0/8', '10.0.0.0', true],
    ['10.0.0.0/8', '10.255.255.255', true],
    ['10.0.0.0/8', '11.0.0.0', false],
    ['10.0.0.0/8', '9.255.255.255', false],
    ['10.0.0.0/8', '10.1.0.0/16', true],
    ['10.0.0.0/8', '10.0.0.0/8', true],
    ['10.0.0.0/8', '10.0.0.0/7', false],
    ['10.0.0.0/8', '0.0.0.0/0', false],
    ['0.0.0.0/0', '255.255.255.255/32', true],
    ['0.0.0.0/0', '::/0', false],
    ['0.0.0.0/0', '::', false],
    ['::/0', '0.0.0.0', false],
    ['::/0', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', true],
    ['2001:db8::/32', '2001:db8:ffff::/48', true],
    ['2001:db8::/32', '2001:db9::', false],
    ['2001:db8::/32', '2001:db8::/31', false],
    ['::1/128', '::1', true],
    ['::1/128', '::', false],
    ['10.0.0.1/32', '10.0.0.1', true],
    ['10.0.0.1/32', '10.0.0.1/32', true],
  ])('%s contains %s: %s', (a, b, expected) => {
    expect(contains(c(a), any(b))).toBe(expected);
  });
});

describe('overlaps', () => {
  it.each<[string, string, boolean]>([
    ['10.0.0.0/8', '10.1.0.0/16', true],
    ['10.1.0.0/16', '10.0.0.0/8', true],
    ['10.0.0.0/24', '10.0.1.0/24', false],
    ['10.0.0.0/23', '10.0.1.0/24', true],
    ['10.0.0.0/8', '11.0.0.0/8', false],
    ['0.0.0.0/0', '10.0.0.0/8', true],
    ['0.0.0.0/0', '::/0', false],
    ['::/0', '::/0', true],
    ['::/0', '0.0.0.0/0', false],
    ['2001:db8::/32', '2001:db8:1::/48', true],
    ['2001:db8::/33', '2001:db8:8000::/33', false],
    ['::1/128', '::1/128', true],
    ['::1/128', '::/128', false],
    ['10.0.0.1', '10.0.0.0/24', true],
    ['10.0.0.0/24', '10.0.1.0', false],
    ['10.0.0.1', '10.0.0.1', true],
    ['255.255.255.255/32', '255.255.255.0/24', true],
  ])('%s ~ %s: %s', (a, b, expected) => {
    expect(overlaps(any(a), any(b))).toBe(expected);
    expect(overlaps(any(b), any(a))).toBe(expected);
  });
});

describe('ordering', () => {
  it('compareCidr sorts by family, then network, then prefix', () => {
    const texts = ['2001:db8::/32', '10.0.0.0/24', '::/0', '10.0.0.0/8', '9.0.0.0/8', '0.0.0.0/0', '10.0.0.0/16', '2001:db8::/48'];
    expect(texts.map(c).sort(compareCidr).map(formatCidr)).toEqual([
      '0.0.0.0/0',
      '9.0.0.0/8',
      '10.0.0.0/8',
      '10.0.0.0/16',
      '10.0.0.0/24',
      '::/0',
      '2001:db8::/32',
      '2001:db8::/48',
    ]);
  });

  it('compareIP compares numerically, not as text', () => {
    const texts = ['10.0.0.10', '10.0.0.9', '::1', '9.255.255.255', '10.0.0.100', '::'];
    expect(texts.map(ip).sort(compareIP).map(formatIP)).toEqual(['9.255.255.255', '10.0.0.9', '10.0.0.10', '10.0.0.100', '::', '::1']);
  });

  it('equalCidr', () => {
    expect(equalCidr(c('10.0.0.0/8'), c('10.0.0.0/8'))).toBe(true);
    expect(equalCidr(c('10.0.0.0/8'), c('10.0.0.0/9'))).toBe(false);
    expect(equalCidr(c('0.0.0.0/0'), c('::/0'))).toBe(false);
  });
});

describe('hostCidr and networkOf', () => {
  it('builds the /32 or /128 of an address and the network containing it', () => {
    expect(formatCidr(hostCidr(ip('10.0.0.1')))).toBe('10.0.0.1/32');
    expect(formatCidr(hostCidr(ip('2001:db8::1')))).toBe('2001:db8::1/128');
    expect(formatCidr(networkOf(ip('10.0.1.5'), 24))).toBe('10.0.1.0/24');
    expect(formatCidr(networkOf(ip('2001:db8::1'), 0))).toBe('::/0');
    expect(() => networkOf(ip('10.0.0.1'), 33)).toThrow(RangeError);
  });
});

describe('split, blockCount, blocks', () => {
  it.each<[string, number, string[]]>([
    ['10.0.0.0/24', 24, ['10.0.0.0/24']],
    ['10.0.0.0/24', 26, ['10.0.0.0/26', '10.0.0.64/26', '10.0.0.128/26', '10.0.0.192/26']],
    ['10.0.0.0/30', 32, ['10.0.0.0/32', '10.0.0.1/32', '10.0.0.2/32', '10.0.0.3/32']],
    ['0.0.0.0/0', 1, ['0.0.0.0/1', '128.0.0.0/1']],
    ['::/0', 1, ['::/1', '8000::/1']],
    ['2001:db8::/32', 34, ['2001:db8::/34', '2001:db8:4000::/34', '2001:db8:8000::/34', '2001:db8:c000::/34']],
    ['fd00::/126', 128, ['fd00::/128', 'fd00::1/128', 'fd00::2/128', 'fd00::3/128']],
    ['::1/128', 128, ['::1/128']],
  ])('split %s into /%d', (text, prefix, expected) => {
    const r = split(c(text), prefix);
    expect(r.ok && r.value.map(formatCidr)).toEqual(expected);
    expect(blockCount(c(text), prefix)).toBe(BigInt(expected.length));
    expect([...blocks(c(text), prefix)].map(formatCidr)).toEqual(expected);
  });

  it('counts huge splits without materialising them', () => {
    expect(blockCount(c('fd00::/64'), 120)).toBe(1n << 56n);
    expect(blockCount(c('::/0'), 128)).toBe(1n << 128n);
    expect(blockCount(c('0.0.0.0/0'), 32)).toBe(1n << 32n);
    const lazy = blocks(c('fd00::/64'), 120);
    expect(formatCidr(lazy.next().value as Cidr)).toBe('fd00::/120');
    expect(formatCidr(lazy.next().value as Cidr)).toBe('fd00::100/120');
  });

  it('blockCount is 0 for a prefix that does not fit', () => {
    expect(blockCount(c('10.0.0.0/16'), 8)).toBe(0n);
    expect(blockCount(c('10.0.0.0/16'), 33)).toBe(0n);
    expect(blockCount(c('10.0.0.0/16'), 24.5)).toBe(0n);
    expect([...blocks(c('10.0.0.0/16'), 8)]).toEqual([]);
  });

  it('split allows exactly MAX_SPLIT_BLOCKS and refuses more', () => {
    expect(MAX_SPLIT_BLOCKS).toBe(65536);
    const ok = split(c('10.0.0.0/8'), 24);
    expect(ok.ok && ok.value.length).toBe(65536);
    expect(split(c('10.0.0.0/8'), 25)).toMatchObject({ ok: false, error: { code: 'too-many-blocks' } });
    const r = split(c('fd00::/64'), 120);
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'too-many-blocks',
        message:
          'splitting "fd00::/64" into /120 blocks must give at most 65536 blocks, not 72057594037927936: use a shorter block prefix or count the blocks instead',
      },
    });
  });

  it.each<[string, number]>([
    ['10.0.0.0/16', 8],
    ['10.0.0.0/16', 33],
    ['::/0', 129],
    ['::/0', -1],
    ['10.0.0.0/16', 24.5],
  ])('split %s into /%d is prefix-out-of-range', (text, prefix) => {
    expect(split(c(text), prefix)).toMatchObject({ ok: false, error: { code: 'prefix-out-of-range' } });
  });

  it('throws on a hand-built Cidr that breaks the invariants (a bug, not user input)', () => {
    expect(() => split({ family: 'ipv4', network: 1n, prefix: 24 }, 26)).toThrow(RangeError);
    expect(() => split({ family: 'ipv4', network: 0n, prefix: 33 }, 33)).toThrow(RangeError);
    expect(() => split({ family: 'ipv4', network: 1n << 32n, prefix: 32 }, 32)).toThrow(RangeError);
  });
});
