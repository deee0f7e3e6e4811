import fc from 'fast-check';
import {
  formatCidr,
  formatIP,
  isCanonical,
  mustParseCidr,
  mustParseIP,
  parseCidr,
  parseIP,
  type IPAddress,
  type NetErrorCode,
} from '@flatnet/net';

describe('parseIP accepts', () => {
  it.each<[string, IPAddress['family'], bigint, string]>([
    ['0.0.0.0', 'ipv4', 0n, '0.0.0.0'],
    ['10.0.0.1', 'ipv4', 0x0a000001n, '10.0.0.1'],
    ['192.168.1.254', 'ipv4', 0xc0a801fen, '192.168.1.254'],
    ['255.255.255.255', 'ipv4', 0xffffffffn, '255.255.255.255'],
    ['::', 'ipv6', 0n, '::'],
    ['::1', 'ipv6', 1n, '::1'],
    ['2001:db8::1', 'ipv6', 0x20010db8000000000000000000000001n, '2001:db8::1'],
    ['2001:DB8::1', 'ipv6', 0x20010db8000000000000000000000001n, '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', 'ipv6', 0x20010db8000000000000000000000001n, '2001:db8::1'],
    ['fe80::', 'ipv6', 0xfe800000000000000000000000000000n, 'fe80::'],
    ['1:2:3:4:5:6:7:8', 'ipv6', 0x00010002000300040005000600070008n, '1:2:3:4:5:6:7:8'],
    ['1:2:3:4:5:6:7::', 'ipv6', 0x00010002000300040005000600070000n, '1:2:3:4:5:6:7:0'],
    ['::2:3:4:5:6:7:8', 'ipv6', 0x00000002000300040005000600070008n, '0:2:3:4:5:6:7:8'],
    ['1:0:0:1:0:0:0:1', 'ipv6', 0x00010000000000010000000000000001n, '1:0:0:1::1'],
    ['1:0:0:1:0:0:1:1', 'ipv6', 0x00010000000000010000000000010001n, '1::1:0:0:1:1'],
    ['::1.2.3.4', 'ipv6', 0x01020304n, '::102:304'], // IPv4-compatible: not mapped
    ['64:ff9b::192.0.2.33', 'ipv6', 0x0064ff9b0000000000000000c0000221n, '64:ff9b::c000:221'],
    ['1:2:3:4:5:6:1.2.3.4', 'ipv6', 0x00010002000300040005000601020304n, '1:2:3:4:5:6:102:304'],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'ipv6', (1n << 128n) - 1n, 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
  ])('%s', (text, family, value, canonical) => {
    const r = parseIP(text);
    expect(r).toEqual({ ok: true, value: { family, value }, canonical });
    expect(isCanonical(text)).toBe(text === canonical);
  });
});

describe('parseIP rejects', () => {
  it.each<[string, NetErrorCode]>([
    ['', 'empty'],
    [' 10.0.0.1', 'whitespace'],
    ['10.0.0.1\n', 'whitespace'],
    ['10.0. 0.1', 'whitespace'],
    ['010.0.0.1', 'leading-zero'],
    ['10.0.0.01', 'leading-zero'],
    ['::01.2.3.4', 'leading-zero'],
    ['0x0a.0.0.1', 'invalid-syntax'],
    ['10.1', 'invalid-syntax'],
    ['167772161', 'invalid-syntax'],
    ['256.0.0.1', 'invalid-syntax'],
    ['1.2.3.4.5', 'invalid-syntax'],
    ['1.2.3.', 'invalid-syntax'],
    ['0010.0.0.1', 'invalid-syntax'],
    ['-1.0.0.0', 'invalid-syntax'],
    ['example.com', 'invalid-syntax'],
    ['1::2::3', 'invalid-syntax'],
    ['1:::2', 'invalid-syntax'],
    [':1::', 'invalid-syntax'],
    ['1::8:', 'invalid-syntax'],
    ['1:2:3:4:5:6:7:8:9', 'invalid-syntax'],
    ['1:2:3:4:5:6:7', 'invalid-syntax'],
    ['1:2:3:4:5:6:7:8::', 'invalid-syntax'],
    ['12345::', 'invalid-syntax'],
    ['g::', 'invalid-syntax'],
    ['[::1]', 'invalid-syntax'],
    ['1.2.3.4::', 'invalid-syntax'],
    ['::1.2.3.4:5', 'invalid-syntax'],
    ['::0xa.1.1.1', 'invalid-syntax'],
    ['1:2:3:4:5:6:7:1.2.3.4', 'invalid-syntax'],
    ['fe80::1%eth0', 'zone'],
    ['fe80::1%', 'zone'],
    ['::ffff:1.2.3.4', 'ipv4-mapped'],
    ['::ffff:102:304', 'ipv4-mapped'],
    ['::FFFF:0:0', 'ipv4-mapped'],
    ['10.0.0.0/24', 'not-a-single-address'],
    ['10.0.0.1/32', 'not-a-single-address'],
    ['2001:db8::/64', 'not-a-single-address'],
    ['10.0.0.1/', 'not-a-single-address'],
  ])('%j -> %s', (text, code) => {
    const r = parseIP(text);
    expect(r).toMatchObject({ ok: false, error: { code } });
  });

  it('rejects non-strings without throwing', () => {
    expect(parseIP(42 as unknown as string)).toMatchObject({ ok: false, error: { code: 'invalid-syntax' } });
    expect(parseIP(undefined as unknown as string)).toMatchObject({ ok: false, error: { code: 'invalid-syntax' } });
  });
});

describe('parseIP messages', () => {
  it.each<[string, string, string | undefined]>([
    ['010.0.0.1', '"010.0.0.1" must not have leading zeros (some tools read them as octal): write "10.0.0.1" if decimal is meant', undefined],
    ['fe80::1%eth0', '"fe80::1%eth0" must not have a zone index ("%eth0"); zones only mean something on one host: write "fe80::1"', 'fe80::1'],
    ['::ffff:1.2.3.4', '"::ffff:1.2.3.4" must not be an IPv4-mapped IPv6 address: write the IPv4 address "1.2.3.4" instead', '1.2.3.4'],
    ['10.0.0.1/32', '"10.0.0.1/32" must be a single IP address, not a CIDR: write "10.0.0.1"', '10.0.0.1'],
    ['10.0.0.0/24', '"10.0.0.0/24" must be a single IP address, not a CIDR', undefined],
    [' 2001:DB8::1 ', '" 2001:DB8::1 " must not contain whitespace: write "2001:db8::1"', '2001:db8::1'],
    ['10.0.0', '"10.0.0" must be an IPv4 or IPv6 address, such as "10.0.0.1" or "2001:db8::1"', undefined],
    ['', '"" must be an IPv4 or IPv6 address, such as "10.0.0.1" or "2001:db8::1", not empty', undefined],
  ])('%j', (text, message, suggestion) => {
    const r = parseIP(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toBe(message);
    expect(r.error.code !== 'exhausted' ? r.error.suggestion : undefined).toBe(suggestion);
  });
});

describe('parseCidr accepts', () => {
  it.each<[string, string, bigint, number]>([
    ['0.0.0.0/0', '0.0.0.0/0', 0n, 0],
    ['10.0.0.0/8', '10.0.0.0/8', 0x0a000000n, 8],
    ['10.0.1.0/24', '10.0.1.0/24', 0x0a000100n, 24],
    ['10.0.1.5/32', '10.0.1.5/32', 0x0a000105n, 32],
    ['255.255.255.255/32', '255.255.255.255/32', 0xffffffffn, 32],
    ['::/0', '::/0', 0n, 0],
    ['::1/128', '::1/128', 1n, 128],
    ['2001:db8::/32', '2001:db8::/32', 0x20010db8n << 96n, 32],
    ['2001:DB8::0/32', '2001:db8::/32', 0x20010db8n << 96n, 32],
    ['2001:0db8:0000::/48', '2001:db8::/48', 0x20010db8n << 96n, 48],
    ['fd00:10:244::/56', 'fd00:10:244::/56', 0xfd000010024400000000000000000000n, 56],
    ['fd00:10:244:1::/120', 'fd00:10:244:1::/120', 0xfd000010024400010000000000000000n, 120],
  ])('%s', (text, canonical, network, prefix) => {
    const r = parseCidr(text);
    const family = text.includes(':') ? 'ipv6' : 'ipv4';
    expect(r).toEqual({ ok: true, value: { family, network, prefix }, canonical });
    expect(isCanonical(text)).toBe(text === canonical);
  });
});

describe('parseCidr rejects', () => {
  it.each<[string, NetErrorCode, string | undefined]>([
    ['', 'empty', undefined],
    ['10.0.0.0 /8', 'whitespace', undefined],
    ['10.0.0.0/8 ', 'whitespace', '10.0.0.0/8'],
    ['10.0.0.0', 'missing-prefix', undefined],
    ['2001:db8::', 'missing-prefix', undefined],
    ['10.0.0.0/', 'invalid-syntax', undefined],
    ['10.0.0.0/x', 'invalid-syntax', undefined],
    ['10.0.0.0/-1', 'invalid-syntax', undefined],
    ['10.0.0.0/+8', 'invalid-syntax', undefined],
    ['10.0.0.0/8/8', 'invalid-syntax', undefined],
    ['10.0.0.0/8.0', 'invalid-syntax', undefined],
    ['10.0.0/8', 'invalid-syntax', undefined],
    ['10.0.0.0/33', 'prefix-out-of-range', undefined],
    ['10.0.0.0/99999999999999999999', 'prefix-out-of-range', undefined],
    ['::/129', 'prefix-out-of-range', undefined],
    ['10.0.0.0/08', 'leading-zero', '10.0.0.0/8'],
    ['010.0.0.0/8', 'leading-zero', undefined],
    ['10.0.1.5/24', 'host-bits-set', '10.0.1.0/24'],
    ['0.0.0.1/0', 'host-bits-set', '0.0.0.0/0'],
    ['2001:db8::1/64', 'host-bits-set', '2001:db8::/64'],
    ['2001:DB8:0:0:1::/32', 'host-bits-set', '2001:db8::/32'],
    ['::1/0', 'host-bits-set', '::/0'],
    ['::ffff:10.0.0.0/104', 'ipv4-mapped', '10.0.0.0/8'],
    ['::ffff:0:0/96', 'ipv4-mapped', '0.0.0.0/0'],
    ['::ffff:1.2.3.4/128', 'ipv4-mapped', '1.2.3.4/32'],
    ['::ffff:0:0/64', 'ipv4-mapped', undefined],
    ['fe80::%eth0/64', 'zone', 'fe80::/64'],
  ])('%j -> %s', (text, code, suggestion) => {
    const r = parseCidr(text);
    expect(r).toMatchObject({ ok: false, error: { code } });
    if (!r.ok && r.error.code !== 'exhausted') expect(r.error.suggestion).toBe(suggestion);
  });

  it('names the network address when host bits are set', () => {
    expect(parseCidr('10.0.1.5/24')).toEqual({
      ok: false,
      error: {
        code: 'host-bits-set',
        message: '"10.0.1.5/24" has host bits set: the network address is "10.0.1.0/24"',
        suggestion: '10.0.1.0/24',
      },
    });
  });

  it.each<[string, string]>([
    ['10.0.0.0', '"10.0.0.0" must be a CIDR with a prefix length, such as "10.0.0.0/24"'],
    ['10.0.0.0/33', '"10.0.0.0/33" must have a prefix length from 0 to 32'],
    ['::ffff:10.0.0.0/104', '"::ffff:10.0.0.0/104" must not be an IPv4-mapped IPv6 range: write the IPv4 CIDR "10.0.0.0/8" instead'],
    ['nope', '"nope" must be a CIDR, such as "10.0.0.0/24" or "2001:db8::/64"'],
  ])('message for %j', (text, message) => {
    const r = parseCidr(text);
    expect(r.ok ? undefined : r.error.message).toBe(message);
  });
});

describe('isCanonical', () => {
  it.each<[string, boolean]>([
    ['10.0.0.1', true],
    ['10.0.0.0/24', true],
    ['2001:db8::/32', true],
    ['2001:db8::1', true],
    ['2001:DB8::1', false],
    ['2001:db8:0::/32', false],
    ['2001:db8:0:0:0:0:0:1', false],
    ['1:2:3:4:5:6:7::', false],
    ['::1.2.3.4', false],
    ['010.0.0.1', false],
    ['10.0.1.5/24', false],
    ['10.0.0.0/08', false],
    ['', false],
    ['not an address', false],
  ])('%j -> %s', (text, expected) => {
    expect(isCanonical(text)).toBe(expected);
  });
});

describe('mustParse', () => {
  it('returns values and throws with the message on bad input', () => {
    expect(mustParseIP('10.0.0.1')).toEqual({ family: 'ipv4', value: 0x0a000001n });
    expect(mustParseCidr('10.0.0.0/8')).toEqual({ family: 'ipv4', network: 0x0a000000n, prefix: 8 });
    expect(() => mustParseCidr('10.0.0.1/8')).toThrow('has host bits set');
    expect(() => mustParseIP('x')).toThrow('must be an IPv4 or IPv6 address');
  });
});

describe('properties', () => {
  const v4 = fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }).map((value): IPAddress => ({ family: 'ipv4', value }));
  const v6 = fc
    .bigInt({ min: 0n, max: (1n << 128n) - 1n })
    .filter((v) => v >> 32n !== 0xffffn)
    .map((value): IPAddress => ({ family: 'ipv6', value }));
  // Sparse IPv6 values exercise "::" compression.
  const v6sparse = fc
    .array(fc.constantFrom(0, 0, 0, 1, 0xffff, 0xdb8), { minLength: 8, maxLength: 8 })
    .map((groups) => groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n))
    .filter((v) => v >> 32n !== 0xffffn)
    .map((value): IPAddress => ({ family: 'ipv6', value }));
  const ip = fc.oneof(v4, v6, v6sparse);

  it('parse(format(ip)) gives back ip, and the text is canonical', () => {
    fc.assert(
      fc.property(ip, (a) => {
        const text = formatIP(a);
        const r = parseIP(text);
        return r.ok && r.value.family === a.family && r.value.value === a.value && r.canonical === text && isCanonical(text);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('format(parse(x)) is idempotent for CIDRs, including upper-case and uncompressed IPv6 spellings', () => {
    fc.assert(
      fc.property(ip, fc.nat(128), fc.boolean(), (a, p, upper) => {
        const prefix = p % (a.family === 'ipv4' ? 33 : 129);
        const width = a.family === 'ipv4' ? 32 : 128;
        const network = a.value & ~((1n << BigInt(width - prefix)) - 1n);
        if (a.family === 'ipv6' && network >> 32n === 0xffffn) return true;
        const canonical = formatCidr({ family: a.family, network, prefix });
        let spelled = canonical;
        if (a.family === 'ipv6') {
          const full = network.toString(16).padStart(32, '0').match(/.{4}/g)!.join(':');
          spelled = `${upper ? full.toUpperCase() : full}/${prefix}`;
        }
        const r1 = parseCidr(spelled);
        if (!r1.ok || r1.canonical !== canonical) return false;
        const r2 = parseCidr(r1.canonical);
        return r2.ok && r2.canonical === r1.canonical && r2.value.network === network && r2.value.prefix === prefix;
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});

// validate-flat-network's FLAT-ADR-008 skips text of digits, dots and slashes without parsing it,
// on the strength of this: such text is refused or already canonical.
describe('IPv4-looking text', () => {
  const pieces = fc.constantFrom('0', '1', '9', '00', '01', '10', '255', '256', '999', '4294967296', '.', '/', '32', '33', '08', '');
  it('is either refused or canonical, as an address and as a CIDR', () => {
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 10 }), (parts) => {
        const text = parts.join('');
        for (const r of [parseIP(text), parseCidr(text)]) if (r.ok) expect(r.canonical).toBe(text);
      }),
      { numRuns: 20000 },
    );
  });
  // Plain IPv4 text takes a one-pass path; this oracle is written from the grammar, not the code.
  it('is read exactly as the strict grammar says, as an address and as a CIDR', () => {
    const OCTET = '(0|[1-9][0-9]{0,2})';
    const ADDRESS = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);
    const toNumber = (a: string): number | undefined => {
      const m = ADDRESS.exec(a);
      if (!m) return undefined;
      const octets = m.slice(1).map(Number);
      return octets.every((o) => o <= 255) ? octets.reduce((v, o) => v * 256 + o, 0) : undefined;
    };
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 10 }), (parts) => {
        const text = parts.join('');
        const ip = parseIP(text);
        const asIP = toNumber(text);
        expect(ip.ok).toBe(asIP !== undefined);
        if (ip.ok) expect(ip.value).toEqual({ family: 'ipv4', value: BigInt(asIP!) });
        const [addr = '', prefixText, ...more] = text.split('/');
        const address = toNumber(addr);
        const prefix = prefixText !== undefined && /^(0|[1-9][0-9]?)$/.test(prefixText) ? Number(prefixText) : 99;
        const good = more.length === 0 && address !== undefined && prefix <= 32 && address % 2 ** (32 - prefix) === 0;
        const cidr = parseCidr(text);
        expect(cidr.ok).toBe(good);
        if (cidr.ok) expect(cidr.value).toEqual({ family: 'ipv4', network: BigInt(address!), prefix });
      }),
      { numRuns: 20000 },
    );
  });
  it.each(['10.0.0.0/8', '0.0.0.0/0', '192.168.1.1', '10.0.0.1/32'])('%s parses and is canonical', (text) => {
    const r = text.includes('/') ? parseCidr(text) : parseIP(text);
    expect(r.ok && r.canonical).toBe(text);
  });
});
