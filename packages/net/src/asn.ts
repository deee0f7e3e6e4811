/**
 * BGP autonomous system numbers (4-byte, RFC 6793). Parsing accepts what YAML gives us: a
 * number, or a string in asplain (`65001`) or asdot (`1.10` = 1 * 65536 + 10 = 65546) notation.
 */
import type { NetResult } from './types';

export const MAX_ASN = 4294967295;

/** reserved: never a real AS (0, 23456 AS_TRANS, 65535, 4294967295); documentation: RFC 5398. */
export type ASNClass = 'public' | 'private' | 'reserved' | 'documentation';

function syntax(shown: string): NetResult<never> {
  return {
    ok: false,
    error: {
      code: 'asn-syntax',
      message: `${shown} must be an AS number: a whole number from 1 to ${MAX_ASN}, or asdot notation such as "1.10"`,
    },
  };
}

function range(shown: string, n: number | bigint): NetResult<never> {
  return {
    ok: false,
    error: {
      code: 'asn-out-of-range',
      message: n < 1 ? `${shown} must be at least 1` : `${shown} must be at most ${MAX_ASN}`,
    },
  };
}

/**
 * Parse an ASN from a number, bigint or string. Strings: decimal digits without leading zeros or
 * sign, or asdot `high.low` with each part 0..65535. Result must be 1..4294967295.
 */
export function parseASN(value: unknown): NetResult<number> {
  if (typeof value === 'number') {
    const shown = JSON.stringify(String(value));
    if (!Number.isInteger(value)) return syntax(shown);
    if (value < 1 || value > MAX_ASN) return range(shown, value);
    return { ok: true, value };
  }
  if (typeof value === 'bigint') {
    const shown = JSON.stringify(String(value));
    if (value < 1n || value > BigInt(MAX_ASN)) return range(shown, value);
    return { ok: true, value: Number(value) };
  }
  if (typeof value !== 'string') return syntax(JSON.stringify(String(value)));
  const shown = JSON.stringify(value);
  const plain = /^(-?)(\d+)$/.exec(value);
  if (plain) {
    const digits = plain[2] ?? '';
    if (digits.length > 1 && digits.startsWith('0')) {
      return { ok: false, error: { code: 'asn-syntax', message: `${shown} must not have leading zeros: write "${BigInt(digits)}"` } };
    }
    const n = BigInt(value);
    if (n < 1n || n > BigInt(MAX_ASN)) return range(shown, n);
    return { ok: true, value: Number(n) };
  }
  const dot = /^(0|[1-9]\d{0,4})\.(0|[1-9]\d{0,4})$/.exec(value);
  if (dot) {
    const high = Number(dot[1]);
    const low = Number(dot[2]);
    if (high > 65535 || low > 65535) {
      return { ok: false, error: { code: 'asn-out-of-range', message: `${shown} must have both asdot parts from 0 to 65535` } };
    }
    const n = high * 65536 + low;
    if (n < 1) return range(shown, n);
    return { ok: true, value: n };
  }
  return syntax(shown);
}

/**
 * Classify an ASN (RFC 6996 private, RFC 5398 documentation, RFC 7607/6793/7300 reserved).
 * Throws (a bug) for a value that is not an integer in 0..4294967295.
 */
export function classifyASN(n: number): ASNClass {
  if (!Number.isInteger(n) || n < 0 || n > MAX_ASN) throw new RangeError(`classifyASN: ${n} is not an AS number`);
  if (n === 0 || n === 23456 || n === 65535 || n === MAX_ASN) return 'reserved';
  if ((n >= 64512 && n <= 65534) || (n >= 4200000000 && n <= 4294967294)) return 'private';
  if ((n >= 64496 && n <= 64511) || (n >= 65536 && n <= 65551)) return 'documentation';
  return 'public';
}

