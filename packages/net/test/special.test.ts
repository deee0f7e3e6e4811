import {
  classify,
  FORBIDDEN_TAGS,
  forbiddenRangesOverlapping,
  mustParseCidr,
  mustParseIP,
  SPECIAL_RANGES,
  specialRangesOverlapping,
  compareCidr,
  type Cidr,
  type IPAddress,
  type SpecialTag,
} from '@flatnet/net';

const any = (text: string): Cidr | IPAddress => (text.includes('/') ? mustParseCidr(text) : mustParseIP(text));

describe('classify', () => {
  it.each<[string, SpecialTag[]]>([
    // ordinary public space
    ['8.8.8.8', []],
    ['100.64.0.0/10', []],
    ['11.0.0.0/8', []],
    ['2600::/16', []],
    ['2001:db9::1', []],
    // forbidden, IPv4
    ['0.0.0.0', ['this-network', 'unspecified']],
    ['0.1.2.3', ['this-network']],
    ['127.0.0.1', ['loopback']],
    ['127.0.0.0/8', ['loopback']],
    ['169.254.169.254', ['link-local']],
    ['224.0.0.5', ['multicast']],
    ['239.255.255.255/32', ['multicast']],
    ['240.0.0.1', ['reserved']],
    ['255.255.255.255', ['reserved']],
    // forbidden, IPv6
    ['::', ['unspecified']],
    ['::1', ['loopback']],
    ['fe80::1', ['link-local']],
    ['febf::/16', ['link-local']],
    ['ff02::1', ['multicast']],
    // warnings and information
    ['192.0.2.10', ['documentation']],
    ['198.51.100.0/24', ['documentation']],
    ['203.0.113.7', ['documentation']],
    ['2001:db8::/32', ['documentation']],
    ['2001:db8:1::/48', ['documentation']],
    ['10.244.0.0/16', ['private']],
    ['172.31.255.255', ['private']],
    ['172.32.0.0', []],
    ['192.168.0.0/16', ['private']],
    ['fd00::/8', ['private']],
    ['fc00::1', ['private']],
    // overlapping counts, not only contained
    ['126.0.0.0/7', ['loopback']],
    ['0.0.0.0/1', ['this-network', 'unspecified', 'private', 'loopback']],
    ['192.0.0.0/16', ['documentation']],
    ['192.0.0.0/8', ['documentation', 'private']],
    ['::/64', ['unspecified', 'loopback', 'ipv4-mapped']],
    ['fe00::/7', ['link-local', 'multicast']],
    ['::/0', ['unspecified', 'loopback', 'ipv4-mapped', 'documentation', 'private', 'link-local', 'multicast']],
    [
      '0.0.0.0/0',
      ['this-network', 'unspecified', 'private', 'loopback', 'link-local', 'documentation', 'multicast', 'reserved'],
    ],
  ])('%s -> %j', (text, tags) => {
    expect(classify(any(text))).toEqual(tags);
  });

  it('never mixes families', () => {
    expect(classify(mustParseCidr('::/0')).some((t) => t === 'reserved' || t === 'this-network')).toBe(false);
  });
});

describe('special range table', () => {
  it('is sorted and lists exactly the forbidden ranges of DOMAIN.md as forbidden', () => {
    expect([...SPECIAL_RANGES].sort((a, b) => compareCidr(a.cidr, b.cidr))).toEqual(SPECIAL_RANGES);
    expect(SPECIAL_RANGES.filter((r) => r.forbidden).map((r) => r.text)).toEqual([
      '0.0.0.0/8',
      '0.0.0.0/32',
      '127.0.0.0/8',
      '169.254.0.0/16',
      '224.0.0.0/4',
      '240.0.0.0/4',
      '::/128',
      '::1/128',
      '::ffff:0:0/96',
      'fe80::/10',
      'ff00::/8',
    ]);
    expect(FORBIDDEN_TAGS).not.toContain('documentation');
    expect(FORBIDDEN_TAGS).not.toContain('private');
  });

  it('names the ranges a value overlaps, for messages', () => {
    expect(forbiddenRangesOverlapping(mustParseCidr('126.0.0.0/7')).map((r) => r.text)).toEqual(['127.0.0.0/8']);
    expect(forbiddenRangesOverlapping(mustParseCidr('10.0.0.0/8'))).toEqual([]);
    expect(specialRangesOverlapping(mustParseIP('192.0.2.1')).map((r) => [r.text, r.tag, r.forbidden])).toEqual([
      ['192.0.2.0/24', 'documentation', false],
    ]);
  });
});
