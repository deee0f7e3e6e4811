import { FN_CONFIG_API_VERSION, explainFormat, validators, type FnExpandClusterCidr } from '@flatnet/api';
import type { ConfigIssue, ConfigSpec, JsonObject } from '@flatnet/krm';
import { MIN_PER_NODE_HOST_BITS, bits, hostBitsMatch, parseCidr, type Cidr, type Family } from '@flatnet/net';

/** One family of a declared pod range: where to carve from and the size of a node's block. */
export interface PodRange {
  readonly family: Family;
  readonly cidr: Cidr;
  /** The CIDR as the user wrote it, for messages. */
  readonly text: string;
  readonly perNodeMaskSize: number;
}

export type PodRanges = Partial<Record<Family, PodRange>>;

/** A range as the function config or a template spells it. */
export interface RangeSpec {
  cidr: string;
  perNodeMaskSize: number;
}

/** `ExpandClusterCIDR` (fn.flatnet.dev/v1alpha1); schema: packages/api/schemas/fn/expand-cluster-cidr.schema.json. */
export interface ExpandClusterCidrConfig {
  /** The cluster namespace the ranges are for (default: the only one holding NodePools or a Cluster). */
  namespace?: string;
  /** The IPv4 range to carve from (as written; `readRanges` parses it). */
  ipv4?: RangeSpec;
  /** The IPv6 range to carve from. */
  ipv6?: RangeSpec;
  /** Extra blocks per pool, in percent of its node count (default 0). */
  headroomPercent: number;
  /** Remove generated configs of pools that no longer exist (default false). */
  prune: boolean;
  /** True when the config sets anything at all: then it must declare a range. */
  declared: boolean;
}

export const FAMILIES: readonly Family[] = ['ipv4', 'ipv6'];

/**
 * Reads and checks the ranges of a declaration — the function config's `ipv4` / `ipv6`, or a
 * template's `spec.ipv4` / `spec.ipv6` — reporting every problem at once. `prefix` is the path
 * of the mapping holding `ipv4` and `ipv6` (`''` or `spec`). Rules: a strict CIDR of the right
 * family, an integer `perNodeMaskSize` from the CIDR's prefix length to the family's width less
 * 4 host bits, and with both families the same host bits per node (DOMAIN.md, ClusterCIDRConfig).
 */
export function readRanges(holder: unknown, prefix: string): { ranges: PodRanges; issues: ConfigIssue[] } {
  const ranges: PodRanges = {};
  const issues: ConfigIssue[] = [];
  const at = (...parts: string[]): string => [prefix, ...parts].filter((p) => p !== '').join('.');
  const obj = isObject(holder) ? holder : {};
  const masks: Partial<Record<Family, number>> = {};
  for (const family of FAMILIES) {
    const raw = obj[family];
    if (raw === undefined || raw === null) continue;
    const name = family === 'ipv4' ? 'IPv4' : 'IPv6';
    if (!isObject(raw)) {
      issues.push({ path: at(family), message: `\`${at(family)}\` must be a mapping with \`cidr\` and \`perNodeMaskSize\`` });
      continue;
    }
    let cidr: Cidr | undefined;
    const text = raw.cidr;
    if (typeof text !== 'string') {
      issues.push({ path: at(family, 'cidr'), message: `\`${at(family, 'cidr')}\` must be an ${name} CIDR, such as "${family === 'ipv4' ? '10.200.0.0/16' : 'fd00:10:200::/104'}"` });
    } else {
      const parsed = parseCidr(text);
      if (!parsed.ok) issues.push({ path: at(family, 'cidr'), message: `\`${at(family, 'cidr')}\`: ${parsed.error.message}` });
      else if (parsed.value.family !== family) issues.push({ path: at(family, 'cidr'), message: `\`${at(family, 'cidr')}\` "${text}" must be an ${name} CIDR` });
      else cidr = parsed.value;
    }
    const mask = raw.perNodeMaskSize;
    const most = bits(family) - MIN_PER_NODE_HOST_BITS;
    const maskPath = at(family, 'perNodeMaskSize');
    if (typeof mask !== 'number' || !Number.isInteger(mask) || mask < 0 || mask > bits(family)) {
      issues.push({ path: maskPath, message: `\`${maskPath}\`${mask === undefined ? '' : ` "${String(mask)}"`} must be a whole number from 0 to ${bits(family)}, the prefix length of each node's block` });
      continue;
    }
    if (mask > most) {
      issues.push({ path: maskPath, message: `\`${maskPath}\` "${mask}" must leave each node at least ${MIN_PER_NODE_HOST_BITS} host bits, so it must be at most ${most}; use a shorter mask` });
      continue;
    }
    if (cidr && mask < cidr.prefix) {
      issues.push({ path: maskPath, message: `\`${maskPath}\` "${mask}" must be at least the prefix length of \`${at(family, 'cidr')}\` "${text as string}" (${cidr.prefix}): a node's block cannot be larger than the range` });
      continue;
    }
    masks[family] = mask; // valid on its own: the two families' masks can be compared
    if (cidr) ranges[family] = { family, cidr, text: text as string, perNodeMaskSize: mask };
  }
  const m4 = masks.ipv4;
  const m6 = masks.ipv6;
  if (m4 !== undefined && m6 !== undefined && !hostBitsMatch(m4, m6)) {
    issues.push({
      path: at('ipv6', 'perNodeMaskSize'),
      message:
        `\`${at('ipv6', 'perNodeMaskSize')}\` "${m6}" must give each node as many host bits as \`${at('ipv4', 'perNodeMaskSize')}\` "${m4}" ` +
        `(${32 - m4}, against ${128 - m6}): use ${96 + m4}`,
    });
  }
  if (issues.length > 0) return { ranges: {}, issues };
  return { ranges, issues };
}

export const configSpec: ConfigSpec<ExpandClusterCidrConfig, FnExpandClusterCidr> = {
  apiVersion: FN_CONFIG_API_VERSION,
  kind: 'ExpandClusterCIDR',
  validate: validators.fnExpandClusterCidr,
  explainFormat,
  configMapFields: { namespace: 'string', ipv4: 'json', ipv6: 'json', headroomPercent: 'integer', prune: 'boolean' },
  defaults(raw: FnExpandClusterCidr): ExpandClusterCidrConfig {
    const config: ExpandClusterCidrConfig = {
      headroomPercent: typeof raw.headroomPercent === 'number' ? raw.headroomPercent : 0,
      prune: raw.prune === true,
      declared: Object.keys(raw).length > 0,
    };
    if (typeof raw.namespace === 'string') config.namespace = raw.namespace;
    if (isObject(raw.ipv4)) config.ipv4 = raw.ipv4 as unknown as RangeSpec;
    if (isObject(raw.ipv6)) config.ipv6 = raw.ipv6 as unknown as RangeSpec;
    return config;
  },
  check(config) {
    // The schema has checked types and formats; this adds the rules between fields.
    const { issues } = readRanges(config, '');
    if (config.declared && !config.ipv4 && !config.ipv6) {
      issues.push({
        path: 'ipv4',
        message:
          '`ipv4` or `ipv6` (or both) must be set: they are the pod range to carve into one ClusterCIDRConfig per node pool; ' +
          'or drop the function config and annotate a ClusterCIDRConfig with `flatnet.dev/expand: per-node-pool`',
      });
    }
    return issues;
  },
};

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
