/**
 * FLAT-ADR-008: addresses and ranges written canonically. Two spellings of one address compare
 * unequal as text in other tools (kubectl diffs, Config Sync, grep), so the gate asks for one:
 * IPv4 dotted quads, IPv6 in RFC 5952 form (lower case, zeros compressed).
 */
import { KINDS, isKind, type KindRef } from '@flatnet/api';
import type { KubeObject, PathSegment } from '@flatnet/krm';
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

function* values(obj: KubeObject, path: PathSegment[], at: PathSegment[] = []): Generator<[PathSegment[], unknown]> {
  if (path.length === 0) {
    yield [at, obj.get(at)];
    return;
  }
  const [head, ...rest] = path;
  if (head === '*') {
    const list = obj.get(at);
    if (Array.isArray(list)) for (let i = 0; i < list.length; i++) yield* values(obj, rest, [...at, i]);
    return;
  }
  yield* values(obj, rest, [...at, head!]);
}

export const CANONICAL_CHECKS: Record<string, Check> = {
  'FLAT-ADR-008': ({ fleet }) => {
    const out: Finding[] = [];
    for (const obj of fleet.items) {
      for (const [kind, path, shape] of FIELDS) {
        if (!isKind(obj, kind)) continue;
        for (const [at, value] of values(obj, path)) {
          if (typeof value !== 'string') continue;
          const r = shape === 'ip' ? parseIP(value) : parseCidr(value);
          if (!r.ok || r.canonical === value) continue; // malformed ones are FLAT-SCH-001's
          out.push({
            obj,
            path: at,
            currentValue: value,
            proposedValue: r.canonical,
            message: `${obj.describe()}: \`${at.map((s) => (typeof s === 'number' ? `[${s}]` : s)).join('.').replace(/\.\[/g, '[')}\` "${value}" should be written "${r.canonical}", its canonical form, so that every tool sees the same text`,
          });
        }
      }
    }
    return out;
  },
};
