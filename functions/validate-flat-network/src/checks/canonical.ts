/**
 * FLAT-ADR-008: addresses and ranges written canonically. Two spellings of one address compare
 * unequal as text in other tools (kubectl diffs, Config Sync, grep), so the gate asks for one:
 * IPv4 dotted quads, IPv6 in RFC 5952 form (lower case, zeros compressed). With a base revision,
 * a field the revisions policies hold immutable on an object that exists at the base is left as it
 * is written: FLAT-REV-002 would refuse the new spelling.
 */
import { KINDS, type KindRef } from '@flatnet/api';
import { formatPath, type KubeObject, type PathSegment } from '@flatnet/krm';
import { parseCidr, parseIP } from '@flatnet/net';
import { orderOf } from '../model';
import { immutableAtBase } from './revisions';
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

/** A field of FIELDS split at its `*` (at most one, followed by at most one key). */
interface Field {
  readonly prefix: readonly string[];
  readonly star: boolean;
  readonly suffix: string | undefined;
  readonly shape: Shape;
}

/** The fields of FIELDS by kind, so each kind's items are read once per field. */
const BY_KIND = new Map<KindRef, Field[]>();
for (const [kind, path, shape] of FIELDS) {
  const star = path.indexOf('*');
  const prefix = (star < 0 ? path : path.slice(0, star)) as string[];
  const suffix = star < 0 ? undefined : (path[star + 1] as string | undefined);
  const list = BY_KIND.get(kind);
  if (list) list.push({ prefix, star: star >= 0, suffix, shape });
  else BY_KIND.set(kind, [{ prefix, star: star >= 0, suffix, shape }]);
}

/**
 * Text made only of digits, dots and slashes is IPv4: the strict parser either refuses it
 * (FLAT-SCH-001's) or it is already canonical, so it needs no parse here. A net test holds this.
 */
const IPV4_TEXT = /^[0-9./]+$/;

const hasOwn = (v: unknown, key: string): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.prototype.hasOwnProperty.call(v, key);

/** Reports each non-canonical address at `field` of `obj`; the path is built only for a finding. */
function visit(obj: KubeObject, field: Field, out: Finding[]): void {
  let v: unknown = obj.value;
  for (const key of field.prefix) {
    if (!hasOwn(v, key)) return;
    v = v[key];
  }
  if (!field.star) {
    if (typeof v === 'string' && !IPV4_TEXT.test(v)) report(obj, v, field.shape, field.prefix, out);
    return;
  }
  if (!Array.isArray(v)) return;
  const suffix = field.suffix;
  for (let i = 0; i < v.length; i++) {
    let e: unknown = v[i];
    if (suffix !== undefined) {
      if (!hasOwn(e, suffix)) continue;
      e = e[suffix];
    }
    if (typeof e === 'string' && !IPV4_TEXT.test(e)) report(obj, e, field.shape, suffix === undefined ? [...field.prefix, i] : [...field.prefix, i, suffix], out);
  }
}

function report(obj: KubeObject, value: string, shape: Shape, path: readonly PathSegment[], out: Finding[]): void {
  const r = shape === 'ip' ? parseIP(value) : parseCidr(value);
  if (!r.ok || r.canonical === value) return; // malformed ones are FLAT-SCH-001's
  out.push({
    obj,
    path: [...path],
    currentValue: value,
    proposedValue: r.canonical,
    message: `${obj.describe()}: \`${formatPath(path)}\` "${value}" should be written "${r.canonical}", its canonical form, so that every tool sees the same text`,
  });
}

export const CANONICAL_CHECKS: Record<string, Check> = {
  'FLAT-ADR-008': ({ fleet, base }) => {
    let found: Finding[] = [];
    for (const [kind, fields] of BY_KIND) {
      for (const obj of fleet.ofKind(kind)) {
        for (const field of fields) visit(obj, field, found);
      }
    }
    if (base) found = found.filter((f) => !immutableAtBase(base, f.obj, f.path!));
    if (found.length < 2) return found;
    // Findings in input order, as every other policy gives them (a stable sort: fields keep their order).
    const order = orderOf(fleet);
    return found.sort((x, y) => order.get(x.obj)! - order.get(y.obj)!);
  },
};
