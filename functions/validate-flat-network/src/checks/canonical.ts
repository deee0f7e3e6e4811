/**
 * FLAT-ADR-008: addresses and ranges written canonically. Two spellings of one address compare
 * unequal as text in other tools (kubectl diffs, Config Sync, grep), so the gate asks for one:
 * IPv4 dotted quads, IPv6 in RFC 5952 form (lower case, zeros compressed).
 */
import { KINDS, type KindRef } from '@flatnet/api';
import { formatPath, type PathSegment } from '@flatnet/krm';
import { parseCidr, parseIP } from '@flatnet/net';
import type { Check, Finding } from './types';

type Shape = 'ip' | 'cidr';
/** Where addresses live, per kind: a path with `*` for every list entry. */
const FIELDS: Array<[KindRef, PathSegment[], Shape]> = [
  [KINDS.Cluster, ['spec', 'clusterNetwork', 'pods', 'cidrBlocks', '*'], 'cidr'],
  [KINDS.Cluster, ['spec', 'clusterNetwork', 'services', 'cidrBlocks', '*'], 'cidr'],
  [KINDS.Cluster, ['spec', 'controlPlane', 'nodePoolSpec', 'nodes', '*', 'address'], 'ip'],
  [KINDS.Cluster, ['spec', 'loadBalancer', 'vips', 'controlPlaneVIP'], 'ip'],
  [KINDS.Cluster, ['spec', 'loadBalancer', 'vips', 'ingressVIP'], 'ip'],
  [KINDS.NodePool, ['spec', 'nodes', '*', 'address'], 'ip'],
  [KINDS.ClusterCIDRConfig, ['spec', 'ipv4', 'cidr'], 'cidr'],
  [KINDS.ClusterCIDRConfig, ['spec', 'ipv6', 'cidr'], 'cidr'],
  [KINDS.NetworkGatewayGroup, ['spec', 'floatingIPs', '*'], 'ip'],
  [KINDS.BGPPeer, ['spec', 'peerIP'], 'ip'],
];

/** The fields of FIELDS by `group/kind`, so each item is matched once, not once per field. */
const BY_KIND = new Map<string, Array<[PathSegment[], Shape]>>();
for (const [kind, path, shape] of FIELDS) {
  const key = `${kind.group}/${kind.kind}`;
  BY_KIND.set(key, [...(BY_KIND.get(key) ?? []), [path, shape]]);
}

/**
 * Text made only of digits, dots and slashes is IPv4: the strict parser either refuses it
 * (FLAT-SCH-001's) or it is already canonical, so it needs no parse here. A net test holds this.
 */
const IPV4_TEXT = /^[0-9./]+$/;

/**
 * Calls `visit` with each concrete path matching `path` from `depth` on (`*`: every list entry)
 * and its value. `at` is one array pushed and popped on the way: `visit` copies it if it keeps it.
 */
function eachValue(value: unknown, path: readonly PathSegment[], depth: number, at: PathSegment[], visit: (at: PathSegment[], v: unknown) => void): void {
  if (depth === path.length) {
    visit(at, value);
    return;
  }
  const head = path[depth]!;
  if (head === '*') {
    if (!Array.isArray(value)) return;
    for (let i = 0; i < value.length; i++) {
      at.push(i);
      eachValue(value[i], path, depth + 1, at, visit);
      at.pop();
    }
    return;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.prototype.hasOwnProperty.call(value, head)) return;
  at.push(head);
  eachValue((value as Record<string, unknown>)[head as string], path, depth + 1, at, visit);
  at.pop();
}

export const CANONICAL_CHECKS: Record<string, Check> = {
  'FLAT-ADR-008': ({ fleet }) => {
    const out: Finding[] = [];
    for (const obj of fleet.items) {
      const fields = BY_KIND.get(`${obj.group}/${obj.kind}`);
      if (!fields) continue;
      for (const [path, shape] of fields) {
        eachValue(obj.value, path, 0, [], (at, value) => {
          if (typeof value !== 'string' || IPV4_TEXT.test(value)) return;
          const r = shape === 'ip' ? parseIP(value) : parseCidr(value);
          if (!r.ok || r.canonical === value) return; // malformed ones are FLAT-SCH-001's
          const where = [...at];
          out.push({
            obj,
            path: where,
            currentValue: value,
            proposedValue: r.canonical,
            message: `${obj.describe()}: \`${formatPath(where)}\` "${value}" should be written "${r.canonical}", its canonical form, so that every tool sees the same text`,
          });
        });
      }
    }
    return out;
  },
};
