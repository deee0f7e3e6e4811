/**
 * String formats of our schemas, implemented with @flatnet/net's strict parsers (no leading zeros,
 * no IPv4-mapped IPv6, no host bits). The compiled validators call `formats[name]`;
 * `explainFormat` gives the precise reason for a result message.
 */
import { parseAddressRange, parseCidr, parseIP, type Family } from '@flatnet/net';

type Check = (value: string) => string | undefined; // undefined: valid; else why not

const ip = (family?: Family): Check => (v) => {
  const r = parseIP(v);
  if (!r.ok) return r.error.message;
  if (family && r.value.family !== family) return `"${v}" must be an ${family === 'ipv4' ? 'IPv4' : 'IPv6'} address`;
  return undefined;
};
const cidr = (family?: Family): Check => (v) => {
  const r = parseCidr(v);
  if (!r.ok) return r.error.message;
  if (family && r.value.family !== family) return `"${v}" must be an ${family === 'ipv4' ? 'IPv4' : 'IPv6'} CIDR`;
  return undefined;
};
/** MetalLB-style pool entries: a CIDR or `first-last` addresses of one family. */
const addressRange: Check = (v) => {
  const r = parseAddressRange(v);
  return r.ok ? undefined : r.error.message;
};

const CHECKS: Record<string, Check> = {
  'ip-address': ip(),
  'ipv4-address': ip('ipv4'),
  'ipv6-address': ip('ipv6'),
  cidr: cidr(),
  'ipv4-cidr': cidr('ipv4'),
  'ipv6-cidr': cidr('ipv6'),
  'address-range': addressRange,
};

export const FORMAT_NAMES = Object.keys(CHECKS);

/** What ajv calls: one predicate per format. */
export const formats: Record<string, (value: string) => boolean> = Object.fromEntries(
  Object.entries(CHECKS).map(([name, check]) => [name, (v: string) => typeof v !== 'string' || check(v) === undefined]),
);

/** Why `value` is not a valid `format`, in words for a result message. */
export function explainFormat(format: string, value: unknown): string | undefined {
  const check = CHECKS[format];
  return check && typeof value === 'string' ? check(value) : undefined;
}
