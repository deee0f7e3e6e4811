/**
 * Core types of @flatnet/net: address families, addresses and CIDRs as bigints, and the
 * collected-not-thrown error shape shared by every parsing and allocation function.
 */

/** An address family. IPv4 sorts before IPv6 everywhere in this package. */
export type Family = 'ipv4' | 'ipv6';

/** A single address. `value` is the address as an unsigned integer (0 .. 2^bits - 1). */
export interface IPAddress {
  readonly family: Family;
  readonly value: bigint;
}

/**
 * A CIDR block. Invariants (guaranteed for values produced by this package, checked where a
 * hand-built value could corrupt a result): `prefix` is an integer in 0..bits(family) and
 * `network` has no host bits set.
 */
export interface Cidr {
  readonly family: Family;
  readonly network: bigint;
  readonly prefix: number;
}

/**
 * Every error code this package reports. A caller switches on the code; the message is for
 * people and may change wording between versions.
 */
export type NetErrorCode =
  /** the text is not an address or CIDR at all */
  | 'invalid-syntax'
  /** the text is empty */
  | 'empty'
  /** the text contains spaces, tabs or newlines (also leading or trailing) */
  | 'whitespace'
  /** an IPv4 octet, a prefix length or an ASN has a leading zero (`010.0.0.1`, `/08`) */
  | 'leading-zero'
  /** an IPv6 zone index (`fe80::1%eth0`) */
  | 'zone'
  /** an IPv4-mapped IPv6 address or range (`::ffff:1.2.3.4`, `::ffff:10.0.0.0/104`) */
  | 'ipv4-mapped'
  /** a CIDR was expected but the text has no `/prefix` */
  | 'missing-prefix'
  /** a prefix length outside 0..32 / 0..128, or outside the range an operation allows */
  | 'prefix-out-of-range'
  /** a CIDR whose address has bits set past the prefix (`10.0.1.5/24`) */
  | 'host-bits-set'
  /** a single address was expected but the text is a CIDR */
  | 'not-a-single-address'
  /** `split` would produce more than MAX_SPLIT_BLOCKS blocks */
  | 'too-many-blocks'
  /** `allocate` / `allocateRange` could not find enough free blocks */
  | 'exhausted'
  /** an ASN that is not a whole decimal number (or asdot pair) */
  | 'asn-syntax'
  /** an ASN outside 1..4294967295 */
  | 'asn-out-of-range';

/** Any error except 'exhausted'. `suggestion`, when present, is replacement text the user can use. */
export interface GeneralNetError {
  readonly code: Exclude<NetErrorCode, 'exhausted'>;
  readonly message: string;
  /** Replacement text that fixes the problem, when one is certain (e.g. the network CIDR). */
  readonly suggestion?: string;
}

/** Allocation ran out of room: `found` blocks were free, `missing` more were needed. */
export interface ExhaustedError {
  readonly code: 'exhausted';
  readonly message: string;
  readonly found: number;
  readonly missing: number;
}

export type NetError = GeneralNetError | ExhaustedError;

/** The result of an operation on user input: a value, or one error. Never thrown. */
export type NetResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: NetError };

/**
 * The result of parsing text. On success `canonical` is the canonical spelling of the input
 * (IPv4 dotted quad; IPv6 RFC 5952: lower case, longest zero run compressed). When it differs
 * from the input, a validator can say "write it as <canonical>".
 */
export type ParseResult<T> =
  | { readonly ok: true; readonly value: T; readonly canonical: string }
  | { readonly ok: false; readonly error: NetError };

/** Address width in bits: 32 for IPv4, 128 for IPv6. */
export function bits(family: Family): 32 | 128 {
  return family === 'ipv4' ? 32 : 128;
}
