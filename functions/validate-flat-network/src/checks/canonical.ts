/**
 * FLAT-ADR-008: addresses and ranges written canonically. Two spellings of one address compare
 * unequal as text in other tools (kubectl diffs, Config Sync, grep), so the gate asks for one:
 * IPv4 dotted quads, IPv6 in RFC 5952 form (lower case, zeros compressed).
 */
import { KINDS, type KindRef } from '@flatnet/api';
import { formatPath, type KubeObject, type PathSegment } from '@flatnet/krm';
import { parseCidr, parseIP } from '@flatnet/net';
import { orderOf } from '../model';
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

/** The fields of FIELDS by kind, so each kind's items are walked once per field. */
const BY_KIND = new Map<KindRef, Array<[PathSegment[], Shape]>>();
for (const [kind, path, shape] of FIELDS) BY_KIND.set(kind, [...(BY_KIND.get(kind) ?? []), [path, shape]]);

/**
 * Text made only of digits, dots and slashes is IPv4: the strict parser either refuses it
 * (FLAT-SCH-001's) or it is already canonical, so it needs no parse here. A net test holds this.
 */
const IPV4_TEXT = /^[0-9./]+$/;

interface Walk {
  readonly obj: KubeObject;
  readonly path: readonly PathSegment[];
  readonly shape: Shape;
  /** The concrete path so far: one array pushed and popped on the way, copied for a finding. */
  readonly at: PathSegment[];
  readonly out: Finding[];
}

/** Visits each value at `w.path` from `depth` on (`*`: every list entry) and reports a non-canonical address. */
function walk(value: unknown, depth: number, w: Walk): void {
  if (depth === w.path.length) {
    if (typeof value === 'string' && !IPV4_TEXT.test(value)) report(value, w);
    return;
  }
  const head = w.path[depth]!;
  if (head === '*') {
    if (!Array.isArray(value)) return;
    for (let i = 0; i < value.length; i++) {
      w.at.push(i);
      walk(value[i], depth + 1, w);
      w.at.pop();
    }
    return;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.prototype.hasOwnProperty.call(value, head)) return;
  w.at.push(head);
  walk((value as Record<string, unknown>)[head as string], depth + 1, w);
  w.at.pop();
}

function report(value: string, w: Walk): void {
  const r = w.shape === 'ip' ? parseIP(value) : parseCidr(value);
  if (!r.ok || r.canonical === value) return; // malformed ones are FLAT-SCH-001's
  const path = [...w.at];
  w.out.push({
    obj: w.obj,
    path,
    currentValue: value,
    proposedValue: r.canonical,
    message: `${w.obj.describe()}: \`${formatPath(path)}\` "${value}" should be written "${r.canonical}", its canonical form, so that every tool sees the same text`,
  });
}

export const CANONICAL_CHECKS: Record<string, Check> = {
  'FLAT-ADR-008': ({ fleet }) => {
    const found: Finding[] = [];
    for (const [kind, fields] of BY_KIND) {
      for (const obj of fleet.ofKind(kind)) {
        for (const [path, shape] of fields) walk(obj.value, 0, { obj, path, shape, at: [], out: found });
      }
    }
    if (found.length < 2) return found;
    // Findings in input order, as every other policy gives them (a stable sort: fields keep their order).
    const order = orderOf(fleet);
    return found.sort((x, y) => order.get(x.obj)! - order.get(y.obj)!);
  },
};
