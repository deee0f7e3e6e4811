/**
 * What must not change once a cluster exists, judged against the previous revision of the same
 * manifests (`flatnet check --base REV`, `flatnet render --base REV`): GDC sets flat mode, its
 * families and a ClusterCIDRConfig's ranges for good when it creates them, and the admin cluster
 * would refuse or half-apply such a change. Also reports, as information, each change of the BGP
 * sessions (peers or floating IPs added or removed) so a reviewer sees the data-plane impact.
 */
import { KINDS, isKind, kindKey, type KindRef } from '@flatnet/api';
import { deepEqual, listSome, type KubeObject, type PathSegment } from '@flatnet/krm';
import { formatIP, parseIP } from '@flatnet/net';
import { type Fleet, bool, facts, selects, stringMap, str } from '../model';
import type { Check, Finding } from './types';

const key = (o: KubeObject): string => `${o.group}/${o.kind}/${o.namespace}/${o.name}`;

const CLUSTER_FLAGS = ['advancedNetworking', 'flatIPv4'] as const;
const CONFIG_FIELDS = [
  ['ipv4', 'cidr'],
  ['ipv4', 'perNodeMaskSize'],
  ['ipv6', 'cidr'],
  ['ipv6', 'perNodeMaskSize'],
] as const;
const CONFIG_SELECTOR = ['spec', 'nodeSelector'] as const;

/**
 * The fields FLAT-REV-001 and FLAT-REV-002 hold unchanged, as written, once their object exists at
 * the base. Other policies read this so that no advice asks for a change these refuse (FLAT-ADR-008
 * does not ask for a new spelling of an existing ClusterCIDRConfig's range). REV-001's dual-stack
 * rule compares whether an IPv6 service range is present, not the text: the service ranges are
 * not listed.
 */
export const IMMUTABLE_AT_BASE: ReadonlyArray<readonly [KindRef, readonly PathSegment[]]> = [
  ...CLUSTER_FLAGS.map((f) => [KINDS.Cluster, ['spec', 'clusterNetwork', f]] as const),
  [KINDS.Cluster, ['spec', 'type']],
  ...CONFIG_FIELDS.map(([fam, f]) => [KINDS.ClusterCIDRConfig, ['spec', fam, f]] as const),
  [KINDS.ClusterCIDRConfig, CONFIG_SELECTOR],
];

const IMMUTABLE_BY_KIND = new Map<string, Array<readonly PathSegment[]>>();
for (const [ref, path] of IMMUTABLE_AT_BASE) {
  const paths = IMMUTABLE_BY_KIND.get(kindKey(ref));
  if (paths) paths.push(path);
  else IMMUTABLE_BY_KIND.set(kindKey(ref), [path]);
}

const baseKeys = new WeakMap<Fleet, Set<string>>();

/** True when `path` of `obj` is (inside) a field REV-* hold immutable and `obj` exists at the base. */
export function immutableAtBase(base: Fleet | undefined, obj: KubeObject, path: readonly PathSegment[]): boolean {
  if (!base) return false;
  const fields = IMMUTABLE_BY_KIND.get(kindKey(obj));
  if (!fields || !fields.some((f) => f.length <= path.length && f.every((seg, i) => seg === path[i]))) return false;
  let keys = baseKeys.get(base);
  if (!keys) {
    keys = new Set(base.items.filter((o) => o.name).map(key));
    baseKeys.set(base, keys);
  }
  return keys.has(key(obj));
}

function index(fleet: Fleet, pred: (o: KubeObject) => boolean): Map<string, KubeObject> {
  const out = new Map<string, KubeObject>();
  for (const o of fleet.items) if (pred(o) && o.name) out.set(key(o), o);
  return out;
}

const dualStack = (c: KubeObject): boolean => {
  const blocks = c.get(['spec', 'clusterNetwork', 'services', 'cidrBlocks']);
  return Array.isArray(blocks) && blocks.some((b) => typeof b === 'string' && b.includes(':'));
};

const clusterNetworkImmutable: Check = ({ fleet, base }) => {
  if (!base) return [];
  const before = index(base, (o) => isKind(o, KINDS.Cluster));
  const out: Finding[] = [];
  for (const now of fleet.items) {
    if (!isKind(now, KINDS.Cluster)) continue;
    const was = before.get(key(now));
    if (!was) continue;
    for (const field of CLUSTER_FLAGS) {
      const path = ['spec', 'clusterNetwork', field];
      const a = bool(was, path) === true;
      const b = bool(now, path) === true;
      if (a === b) continue;
      out.push({
        obj: now,
        path,
        currentValue: b,
        proposedValue: a,
        message: `Cluster "${now.name}": \`spec.clusterNetwork.${field}\` must not change after the cluster is created (was ${a}, now ${b}): ${b ? 'flat mode can only be chosen when a cluster is created' : 'flat mode cannot be turned off'}; restore ${a}`,
      });
    }
    if (dualStack(was) !== dualStack(now)) {
      out.push({
        obj: now,
        path: ['spec', 'clusterNetwork', 'services', 'cidrBlocks'],
        message: `Cluster "${now.name}": dual-stack must not be turned ${dualStack(now) ? 'on' : 'off'} after the cluster is created (an IPv6 service range was ${dualStack(was) ? 'present' : 'absent'} and now is ${dualStack(now) ? 'present' : 'absent'}); restore \`spec.clusterNetwork.services.cidrBlocks\``,
      });
    }
    const ta = str(was, ['spec', 'type']);
    const tb = str(now, ['spec', 'type']);
    if (ta !== undefined && ta !== tb) {
      out.push({ obj: now, path: ['spec', 'type'], currentValue: tb, proposedValue: ta, message: `Cluster "${now.name}": \`spec.type\` must not change (was "${ta}", now "${tb ?? ''}"): a cluster's type is fixed when it is created; restore "${ta}"` });
    }
  }
  return out;
};

const podRangeConfigImmutable: Check = ({ fleet, base }) => {
  if (!base) return [];
  const before = index(base, (o) => isKind(o, KINDS.ClusterCIDRConfig));
  const out: Finding[] = [];
  for (const now of fleet.items) {
    if (!isKind(now, KINDS.ClusterCIDRConfig)) continue;
    const was = before.get(key(now));
    if (!was) continue;
    for (const [fam, field] of CONFIG_FIELDS) {
      const path = ['spec', fam, field];
      const a = was.get(path);
      const b = now.get(path);
      if (deepEqual(a, b)) continue;
      out.push({
        obj: now,
        path,
        ...(b !== undefined ? { currentValue: b } : {}),
        ...(a !== undefined ? { proposedValue: a } : {}),
        message: `ClusterCIDRConfig "${now.name}": \`spec.${fam}.${field}\` must not change once the config exists (was ${JSON.stringify(a ?? null)}, now ${JSON.stringify(b ?? null)}): nodes keep the ranges they were given; restore it, and add a new ClusterCIDRConfig for more room`,
      });
    }
    const sa = was.get(CONFIG_SELECTOR);
    const sb = now.get(CONFIG_SELECTOR);
    if (!deepEqual(sa ?? {}, sb ?? {})) {
      out.push({ obj: now, path: ['spec', 'nodeSelector'], message: `ClusterCIDRConfig "${now.name}": \`spec.nodeSelector\` must not change once the config exists: restore it, and add a new ClusterCIDRConfig for other nodes` });
    }
  }
  return out;
};

/** Flat-mode peer addresses and floating IPs of one namespace, canonical. */
function sessions(fleet: Fleet, ns: string): { peers: Map<string, KubeObject>; floating: Map<string, KubeObject> } {
  const view = fleet.byNamespace.get(ns);
  const peers = new Map<string, KubeObject>();
  const floating = new Map<string, KubeObject>();
  if (!view) return { peers, floating };
  const selectors = view.flatModes.map((m) => stringMap(m, ['spec', 'peerSelector'])).filter((s) => Object.keys(s).length > 0);
  for (const p of view.peers) {
    if (!selectors.some((s) => selects(s, p.labels()))) continue;
    const ip = parseIP(str(p, ['spec', 'peerIP']) ?? '');
    if (ip.ok) peers.set(formatIP(ip.value), p);
  }
  for (const f of facts(view).floatingIPs) floating.set(formatIP(f.value), f.obj);
  return { peers, floating };
}

const bgpSessionsChanged: Check = ({ fleet, base }) => {
  if (!base) return [];
  const out: Finding[] = [];
  for (const view of fleet.views) {
    if (!base.byNamespace.has(view.namespace)) continue; // a new cluster: nothing changes
    const a = sessions(base, view.namespace);
    const b = sessions(fleet, view.namespace);
    const diff = (x: Map<string, KubeObject>, y: Map<string, KubeObject>): string[] => [...x.keys()].filter((k) => !y.has(k)).sort();
    const peersAdded = diff(b.peers, a.peers);
    const peersRemoved = diff(a.peers, b.peers);
    const fipAdded = diff(b.floating, a.floating);
    const fipRemoved = diff(a.floating, b.floating);
    if (!peersAdded.length && !peersRemoved.length && !fipAdded.length && !fipRemoved.length) continue;
    const parts: string[] = [];
    if (peersAdded.length) parts.push(`peers added: ${listSome(peersAdded)}`);
    if (peersRemoved.length) parts.push(`peers removed: ${listSome(peersRemoved)}`);
    if (fipAdded.length) parts.push(`floating IPs added: ${listSome(fipAdded)}`);
    if (fipRemoved.length) parts.push(`floating IPs removed: ${listSome(fipRemoved)}`);
    const obj = view.flatModes[0] ?? view.gateways[0] ?? view.peers[0] ?? view.clusters[0];
    if (!obj) continue;
    out.push({
      obj,
      message: `BGP sessions of namespace "${view.namespace}" change (${parts.join('; ')}): sessions run from every floating IP to every flat-mode peer, so ${b.floating.size} floating IP(s) × ${b.peers.size} peer(s) = ${b.floating.size * b.peers.size} session(s), was ${a.floating.size * a.peers.size}; routes move while they come up`,
    });
  }
  return out;
};

/**
 * A Cluster or NodePool at the base and gone now: removing it from the stream makes an applier that
 * prunes delete it on the admin cluster, which deletes the user cluster (or its machines). Said on
 * the base object (its file at the base). Intended removals: a tombstone (the object kept in the
 * package, marked local-config, with `flatnet.dev/tombstone: <why>`), or a waiver on the object
 * (`flatnet.dev/waive.FLAT-REV-004: "until …: why"`) committed before it is removed.
 */
const clusterRemoved: Check = ({ fleet, base }) => {
  if (!base) return [];
  const now = new Set<string>();
  for (const o of fleet.items) if (isKind(o, KINDS.Cluster) || isKind(o, KINDS.NodePool)) now.add(key(o));
  for (const t of fleet.tombstones) now.add(key(t));
  const out: Finding[] = [];
  for (const was of base.items) {
    if (!(isKind(was, KINDS.Cluster) || isKind(was, KINDS.NodePool)) || !was.name || now.has(key(was))) continue;
    const what = isKind(was, KINDS.Cluster) ? 'the user cluster itself' : "the pool's machines from its cluster";
    out.push({
      obj: was,
      message: `${was.kind} "${was.name}" in namespace "${was.namespace}" is in the base revision and gone now: an applier that prunes (Argo CD auto-prune, Config Sync) deletes it on the admin cluster, and with it ${what}; if that is intended, keep it in the package marked \`config.kubernetes.io/local-config: "true"\` with \`flatnet.dev/tombstone: "<why>"\` (or waive FLAT-REV-004 on it before removing it); else restore it`,
    });
  }
  return out;
};

export const REVISION_CHECKS: Record<string, Check> = {
  'FLAT-REV-001': clusterNetworkImmutable,
  'FLAT-REV-002': podRangeConfigImmutable,
  'FLAT-REV-003': bgpSessionsChanged,
  'FLAT-REV-004': clusterRemoved,
};
