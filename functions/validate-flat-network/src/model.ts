/**
 * The validator's view of its input: live items grouped per cluster namespace, and the
 * addresses and ranges they declare, parsed once. Checks read this; nothing here judges.
 *
 * Grouping is by namespace because that is how GDC binds the resources to a Cluster on the
 * admin cluster. Everything is keyed by maps: no loop compares clusters pairwise.
 */
import { KINDS, isKind, type KindRef } from '@flatnet/api';
import type { KubeObject, PathSegment } from '@flatnet/krm';
import { parseCidr, parseIP, span, type Cidr, type Family, type IPAddress } from '@flatnet/net';

/** A value read from an item, with where it came from. */
export interface At<T> {
  readonly value: T;
  readonly obj: KubeObject;
  readonly path: readonly PathSegment[];
  /** The text as written. */
  readonly text: string;
}

/** A closed address interval of one family (a CIDR, one address, or a `first-last` range). */
export interface Interval {
  readonly family: Family;
  readonly start: bigint;
  readonly end: bigint;
}

export interface PodRange {
  readonly cidr: At<Cidr>;
  readonly perNodeMaskSize: number | undefined;
  /** The config's `nodeSelector.matchLabels` ({} selects every node). */
  readonly selector: Readonly<Record<string, string>>;
}

export interface NodeAddress {
  readonly at: At<IPAddress>;
  /** The NodePool's name, or `control plane`. */
  readonly pool: string;
}

export interface ClusterView {
  readonly namespace: string;
  /** Cluster objects in this namespace (more than one is itself a finding). */
  readonly clusters: KubeObject[];
  readonly nodePools: KubeObject[];
  readonly cidrConfigs: KubeObject[];
  readonly gateways: KubeObject[];
  readonly flatModes: KubeObject[];
  readonly peers: KubeObject[];
  readonly loadBalancers: KubeObject[];
}

export interface Fleet {
  /** Every item that is applied (not local config). */
  readonly items: readonly KubeObject[];
  /** One view per namespace that holds a Cluster or a flat-mode resource, sorted by namespace. */
  readonly views: readonly ClusterView[];
  readonly byNamespace: ReadonlyMap<string, ClusterView>;
  readonly clustersByName: ReadonlyMap<string, KubeObject[]>;
}

const GROUPED: Array<[KindRef, keyof Omit<ClusterView, 'namespace'>]> = [
  [KINDS.Cluster, 'clusters'],
  [KINDS.NodePool, 'nodePools'],
  [KINDS.ClusterCIDRConfig, 'cidrConfigs'],
  [KINDS.NetworkGatewayGroup, 'gateways'],
  [KINDS.FlatIPMode, 'flatModes'],
  [KINDS.BGPPeer, 'peers'],
  [KINDS.BGPLoadBalancer, 'loadBalancers'],
];

const SLOT = new Map(GROUPED.map(([ref, slot]) => [`${ref.group}/${ref.kind}`, slot]));

export function buildFleet(all: readonly KubeObject[]): Fleet {
  const items = all.filter((i) => !i.isLocalConfig());
  const byNamespace = new Map<string, ClusterView>();
  const clustersByName = new Map<string, KubeObject[]>();
  for (const item of items) {
    const slot = SLOT.get(`${item.group}/${item.kind}`);
    if (!slot) continue;
    const ns = item.namespace;
    let view = byNamespace.get(ns);
    if (!view) {
      view = { namespace: ns, clusters: [], nodePools: [], cidrConfigs: [], gateways: [], flatModes: [], peers: [], loadBalancers: [] };
      byNamespace.set(ns, view);
    }
    view[slot].push(item);
    if (slot === 'clusters' && item.name) {
      const list = clustersByName.get(item.name) ?? [];
      list.push(item);
      clustersByName.set(item.name, list);
    }
  }
  const views = [...byNamespace.values()].sort((a, b) => (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0));
  return { items, views, byNamespace, clustersByName };
}

// ---------------------------------------------------------------------------------------------
// Reading typed values. Malformed values are the schema check's to report: these return
// undefined for them, so no other check trips over the same mistake twice.

export function str(obj: KubeObject, path: readonly PathSegment[]): string | undefined {
  const v = obj.get(path);
  return typeof v === 'string' ? v : undefined;
}

export function bool(obj: KubeObject, path: readonly PathSegment[]): boolean | undefined {
  const v = obj.get(path);
  return typeof v === 'boolean' ? v : undefined;
}

export function int(obj: KubeObject, path: readonly PathSegment[]): number | undefined {
  const v = obj.get(path);
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

export function list(obj: KubeObject, path: readonly PathSegment[]): unknown[] {
  const v = obj.get(path);
  return Array.isArray(v) ? v : [];
}

export function stringMap(obj: KubeObject, path: readonly PathSegment[]): Record<string, string> {
  const v = obj.get(path);
  const out: Record<string, string> = {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return out;
  for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return out;
}

export function ipAt(obj: KubeObject, path: readonly PathSegment[]): At<IPAddress> | undefined {
  const text = str(obj, path);
  if (text === undefined) return undefined;
  const r = parseIP(text);
  return r.ok ? { value: r.value, obj, path, text } : undefined;
}

export function cidrAt(obj: KubeObject, path: readonly PathSegment[]): At<Cidr> | undefined {
  const text = str(obj, path);
  if (text === undefined) return undefined;
  const r = parseCidr(text);
  return r.ok ? { value: r.value, obj, path, text } : undefined;
}

/** Each string of a list field parsed as an address; malformed entries are skipped. */
export function ipsAt(obj: KubeObject, path: readonly PathSegment[]): At<IPAddress>[] {
  return list(obj, path).flatMap((_, i) => ipAt(obj, [...path, i]) ?? []);
}

export function cidrsAt(obj: KubeObject, path: readonly PathSegment[]): At<Cidr>[] {
  return list(obj, path).flatMap((_, i) => cidrAt(obj, [...path, i]) ?? []);
}

export function interval(x: Cidr | IPAddress): Interval {
  const [start, end] = span(x);
  return { family: x.family, start, end };
}

/** A load-balancer pool entry: a CIDR or `first-last`. */
export function rangeAt(obj: KubeObject, path: readonly PathSegment[]): At<Interval> | undefined {
  const text = str(obj, path);
  if (text === undefined) return undefined;
  if (text.includes('/')) {
    const c = parseCidr(text);
    return c.ok ? { value: interval(c.value), obj, path, text } : undefined;
  }
  const parts = text.split('-').map((p) => parseIP(p.trim()));
  if (parts.length !== 2) return undefined;
  const [a, b] = parts;
  if (!a?.ok || !b?.ok || a.value.family !== b.value.family || a.value.value > b.value.value) return undefined;
  return { value: { family: a.value.family, start: a.value.value, end: b.value.value }, obj, path, text };
}

export const intersects = (a: Interval, b: Interval): boolean => a.family === b.family && a.start <= b.end && b.start <= a.end;

// ---------------------------------------------------------------------------------------------
// Facts about one cluster, derived once per view.

export interface ClusterFacts {
  readonly cluster: KubeObject | undefined;
  /** The cluster's name, else the namespace, for messages. */
  readonly label: string;
  readonly advancedNetworking: boolean | undefined;
  readonly flatIPv4: boolean | undefined;
  readonly services: At<Cidr>[];
  readonly islandPods: At<Cidr>[];
  /** A second, IPv6 service range makes a cluster dual-stack. */
  readonly dualStack: boolean;
  readonly podRanges: PodRange[];
  readonly nodes: NodeAddress[];
  readonly vips: At<IPAddress>[];
  readonly lbPools: At<Interval>[];
  readonly floatingIPs: At<IPAddress>[];
  readonly peerIPs: At<IPAddress>[];
  readonly maxPodsPerNode: number | undefined;
}

const factsCache = new WeakMap<ClusterView, ClusterFacts>();

export function facts(view: ClusterView): ClusterFacts {
  const cached = factsCache.get(view);
  if (cached) return cached;
  const cluster = view.clusters[0];
  const services = cluster ? cidrsAt(cluster, ['spec', 'clusterNetwork', 'services', 'cidrBlocks']) : [];
  const nodes: NodeAddress[] = [];
  if (cluster) {
    list(cluster, ['spec', 'controlPlane', 'nodePoolSpec', 'nodes']).forEach((_, i) => {
      const at = ipAt(cluster, ['spec', 'controlPlane', 'nodePoolSpec', 'nodes', i, 'address']);
      if (at) nodes.push({ at, pool: 'control plane' });
    });
  }
  for (const pool of view.nodePools) {
    list(pool, ['spec', 'nodes']).forEach((_, i) => {
      const at = ipAt(pool, ['spec', 'nodes', i, 'address']);
      if (at) nodes.push({ at, pool: pool.name });
    });
  }
  const podRanges: PodRange[] = [];
  for (const cfg of view.cidrConfigs) {
    const selector = stringMap(cfg, ['spec', 'nodeSelector', 'matchLabels']);
    for (const fam of ['ipv4', 'ipv6'] as const) {
      const cidr = cidrAt(cfg, ['spec', fam, 'cidr']);
      if (cidr) podRanges.push({ cidr, perNodeMaskSize: int(cfg, ['spec', fam, 'perNodeMaskSize']), selector });
    }
  }
  const vips: At<IPAddress>[] = [];
  const lbPools: At<Interval>[] = [];
  if (cluster) {
    for (const key of ['controlPlaneVIP', 'ingressVIP']) {
      const at = ipAt(cluster, ['spec', 'loadBalancer', 'vips', key]);
      if (at) vips.push(at);
    }
    list(cluster, ['spec', 'loadBalancer', 'addressPools']).forEach((_, i) => {
      list(cluster, ['spec', 'loadBalancer', 'addressPools', i, 'addresses']).forEach((__, j) => {
        const at = rangeAt(cluster, ['spec', 'loadBalancer', 'addressPools', i, 'addresses', j]);
        if (at) lbPools.push(at);
      });
    });
  }
  const f: ClusterFacts = {
    cluster,
    label: cluster?.name || view.namespace,
    advancedNetworking: cluster ? bool(cluster, ['spec', 'clusterNetwork', 'advancedNetworking']) : undefined,
    flatIPv4: cluster ? bool(cluster, ['spec', 'clusterNetwork', 'flatIPv4']) : undefined,
    services,
    islandPods: cluster ? cidrsAt(cluster, ['spec', 'clusterNetwork', 'pods', 'cidrBlocks']) : [],
    dualStack: services.some((s) => s.value.family === 'ipv6') && services.some((s) => s.value.family === 'ipv4'),
    podRanges,
    nodes,
    vips,
    lbPools,
    floatingIPs: view.gateways.flatMap((g) => ipsAt(g, ['spec', 'floatingIPs'])),
    peerIPs: view.peers.flatMap((p) => ipAt(p, ['spec', 'peerIP']) ?? []),
    maxPodsPerNode: cluster ? int(cluster, ['spec', 'nodeConfig', 'podDensity', 'maxPodsPerNode']) : undefined,
  };
  factsCache.set(view, f);
  return f;
}

/** True when every label of `selector` is on `labels` (an empty selector selects everything). */
export function selects(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  for (const [k, v] of Object.entries(selector)) if (labels[k] !== v) return false;
  return true;
}

/** The node pool a ClusterCIDRConfig's selector names, if it names one. */
export const NODE_POOL_LABEL = 'baremetal.cluster.gke.io/node-pool';
