import { classifyASN, MAX_ASN, parseASN, type ASNClass, type NetErrorCode } from '@flatnet/net';

describe('parseASN accepts', () => {
  it.each<[unknown, number]>([
    [1, 1],
    [65001, 65001],
    [4294967295, 4294967295],
    ['65001', 65001],
    ['4200000000', 4200000000],
    ['4294967295', 4294967295],
    [65001n, 65001],
    ['1.10', 65546], // asdot
    ['0.100', 100],
    ['65535.65535', 4294967295],
  ])('%p -> %d', (value, n) => {
    expect(parseASN(value)).toEqual({ ok: true, value: n });
  });
});

describe('parseASN rejects', () => {
  it.each<[unknown, NetErrorCode]>([
    [0, 'asn-out-of-range'],
    [-1, 'asn-out-of-range'],
    [4294967296, 'asn-out-of-range'],
    ['0', 'asn-out-of-range'],
    ['-5', 'asn-out-of-range'],
    ['70000000000', 'asn-out-of-range'],
    ['99999999999999999999999', 'asn-out-of-range'],
    [0n, 'asn-out-of-range'],
    ['0.0', 'asn-out-of-range'],
    ['65536.1', 'asn-out-of-range'],
    ['1.65536', 'asn-out-of-range'],
    [1.5, 'asn-syntax'],
    [Number.NaN, 'asn-syntax'],
    [Number.POSITIVE_INFINITY, 'asn-syntax'],
    ['', 'asn-syntax'],
    [' 65001', 'asn-syntax'],
    ['+65001', 'asn-syntax'],
    ['065001', 'asn-syntax'],
    ['0x10', 'asn-syntax'],
    ['1e5', 'asn-syntax'],
    ['AS65001', 'asn-syntax'],
    ['1.2.3', 'asn-syntax'],
    ['01.10', 'asn-syntax'],
    [null, 'asn-syntax'],
    [undefined, 'asn-syntax'],
    [true, 'asn-syntax'],
    [{}, 'asn-syntax'],
  ])('%p -> %s', (value, code) => {
    expect(parseASN(value)).toMatchObject({ ok: false, error: { code } });
  });

  it.each<[unknown, string]>([
    ['70000000000', '"70000000000" must be at most 4294967295'],
    [0, '"0" must be at least 1'],
    ['065001', '"065001" must not have leading zeros: write "65001"'],
    ['abc', '"abc" must be an AS number: a whole number from 1 to 4294967295, or asdot notation such as "1.10"'],
  ])('message for %j', (value, message) => {
    const r = parseASN(value);
    expect(r.ok ? undefined : r.error.message).toBe(message);
  });
});

describe('classifyASN', () => {
  it.each<[number, ASNClass]>([
    [0, 'reserved'],
    [1, 'public'],
    [15169, 'public'],
    [23456, 'reserved'],
    [64495, 'public'],
    [64496, 'documentation'],
    [64511, 'documentation'],
    [64512, 'private'],
    [65000, 'private'],
    [65534, 'private'],
    [65535, 'reserved'],
    [65536, 'documentation'],
    [65551, 'documentation'],
    [65552, 'public'],
    [4199999999, 'public'],
    [4200000000, 'private'],
    [4294967294, 'private'],
    [MAX_ASN, 'reserved'],
  ])('%d -> %s', (n, cls) => {
    expect(classifyASN(n)).toBe(cls);
  });

  it('throws for values that are not AS numbers (a bug)', () => {
    expect(() => classifyASN(-1)).toThrow(RangeError);
    expect(() => classifyASN(1.5)).toThrow(RangeError);
    expect(() => classifyASN(MAX_ASN + 1)).toThrow(RangeError);
  });
});
