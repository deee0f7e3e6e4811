/**
 * The validator's view of its input: live items grouped per cluster namespace, and the
 * addresses and ranges they declare, parsed once. Checks read this; nothing here judges.
 *
 * Grouping is by namespace because that is how GDC binds the resources to a Cluster on the
 * admin cluster. Everything is keyed by maps: no loop compares clusters pairwise.
 */
import {
  KINDS,
  LABEL_SELECTOR_OPERATORS,
  kindKey,
  labelKeyProblem,
  labelValueProblem,
  type KindRef,
  type LabelRequirement,
  type LabelSelector,
  type LabelSelectorOperator,
} from '@flatnet/api';
import { ANNOTATIONS, type KubeObject, type PathSegment } from '@flatnet/krm';
import { MAX_ASN, parseAddressRange, parseCidr, parseIP, type AddressRange, type Cidr, type Family, type IPAddress } from '@flatnet/net';

/** A value read from an item, with where it came from. */
export interface At<T> {
  readonly value: T;
  readonly obj: KubeObject;
  readonly path: readonly PathSegment[];
  /** The text as written. */
  readonly text: string;
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
  /** The items of one kind, in input order (none: an empty list). */
  ofKind(ref: KindRef): readonly KubeObject[];
  /** Local-config objects marked `flatnet.dev/tombstone`: removed on purpose (FLAT-REV-004). */
  readonly tombstones: readonly KubeObject[];
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

const SLOT = new Map(GROUPED.map(([ref, slot]) => [kindKey(ref), slot]));

export function buildFleet(all: readonly KubeObject[]): Fleet {
  const items: KubeObject[] = [];
  const tombstones: KubeObject[] = [];
  for (const i of all) {
    if (!i.isLocalConfig()) items.push(i);
    else if (i.annotation(ANNOTATIONS.tombstone) !== undefined) tombstones.push(i);
  }
  const byNamespace = new Map<string, ClusterView>();
  const clustersByName = new Map<string, KubeObject[]>();
  const byKind = new Map<string, KubeObject[]>();
  for (const item of items) {
    const key = kindKey(item);
    const same = byKind.get(key);
    if (same) same.push(item);
    else byKind.set(key, [item]);
    const slot = SLOT.get(key);
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
  return { items, views, byNamespace, clustersByName, ofKind: (ref) => byKind.get(kindKey(ref)) ?? [], tombstones };
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
  return asStringMap(obj.get(path));
}

export function cidrAt(obj: KubeObject, path: readonly PathSegment[]): At<Cidr> | undefined {
  const text = str(obj, path);
  if (text === undefined) return undefined;
  const r = parseCidr(text);
  return r.ok ? { value: r.value, obj, path, text } : undefined;
}

/** A load-balancer pool entry (a CIDR or `first-last`), parsed by @flatnet/net. */
function rangeValue(obj: KubeObject, text: unknown, path: readonly PathSegment[]): At<AddressRange> | undefined {
  if (typeof text !== 'string') return undefined;
  const r = parseAddressRange(text);
  return r.ok ? { value: r.value, obj, path, text } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Facts about one cluster, derived once per view in one pass over its items. Values are read
// from the plain data directly (no path walks), and each address is parsed once here: the checks
// read these facts rather than the items, which is what keeps a fleet check cheap.

/** A BGPPeer's fields as the checks judge them: each undefined when absent or malformed. */
export interface PeerFacts {
  readonly obj: KubeObject;
  readonly ip: At<IPAddress> | undefined;
  /** A positive whole `spec.sessions`. */
  readonly sessions: number | undefined;
  /** Valid ASNs (1..4294967295). */
  readonly localASN: number | undefined;
  readonly peerASN: number | undefined;
}

/** One family (`spec.ipv4` or `spec.ipv6`) of a ClusterCIDRConfig. */
export interface ConfigFamily {
  /** The family's object is present (whatever it holds). */
  readonly present: boolean;
  readonly cidr: At<Cidr> | undefined;
  /** `perNodeMaskSize` when it is an integer. */
  readonly mask: number | undefined;
}

/**
 * What is wrong with a ClusterCIDRConfig's `spec.nodeSelector` as a Kubernetes label selector, as
 * data (FLAT-CCC-008 words it). Values of the wrong type are not listed: they are FLAT-SCH-001's.
 */
export type SelectorProblem =
  /** A label key (of `matchLabels` or of an expression) that is not label syntax. */
  | { readonly code: 'key'; readonly path: readonly PathSegment[]; readonly key: string; readonly why: string }
  /** A label value (of `matchLabels` or in an expression's `values`) that is not label syntax. */
  | { readonly code: 'value'; readonly path: readonly PathSegment[]; readonly value: string; readonly why: string }
  /** An operator that is not one of a label selector's (`Gt`, `Lt`, a misspelling). */
  | { readonly code: 'operator'; readonly path: readonly PathSegment[]; readonly operator: string }
  /** `In` or `NotIn` without values. */
  | { readonly code: 'values-required'; readonly path: readonly PathSegment[]; readonly operator: string }
  /** `Exists` or `DoesNotExist` with values. */
  | { readonly code: 'values-forbidden'; readonly path: readonly PathSegment[]; readonly operator: string }
  /** Upstream Kubernetes' NodeSelector shape (`nodeSelectorTerms`), which this label selector does not read. */
  | { readonly code: 'node-selector-terms'; readonly path: readonly PathSegment[] };

export interface ConfigFacts {
  readonly obj: KubeObject;
  /**
   * `spec.nodeSelector` as a label selector, when all of it is well formed (absent: selects every
   * node); undefined when any part is of the wrong type or is listed in `selectorProblems`.
   */
  readonly selector: LabelSelector | undefined;
  readonly selectorProblems: readonly SelectorProblem[];
  /** `spec.nodeSelector.matchLabels`, its string entries ({} selects every node). */
  readonly matchLabels: Readonly<Record<string, string>>;
  /** The node pool bound by `baremetal.cluster.gke.io/node-pool`, if any. */
  readonly boundPool: string | undefined;
  /** No matchLabels and no matchExpressions. */
  readonly selectsAll: boolean;
  readonly ipv4: ConfigFamily;
  readonly ipv6: ConfigFamily;
}

/**
 * What puts flat mode with BGP in play in a cluster namespace: a FlatIPMode, a NetworkGatewayGroup,
 * a BGPPeer a FlatIPMode selects, or the Cluster's `flatIPv4: true`. ClusterCIDRConfigs are never
 * evidence: GDC's dual-stack clusters have them without BGP (IPv6 flat but static, one layer 2
 * domain), and island clusters may use them for more pod ranges. Every policy about flat mode
 * with BGP scopes itself with this, and with nothing else.
 */
export interface FlatModeEvidence {
  /** The namespace's Cluster sets `spec.clusterNetwork.flatIPv4: true`. */
  readonly flatIPv4: boolean;
  readonly flatIPMode: boolean;
  readonly gateway: boolean;
  /** A BGPPeer of the namespace is selected by a FlatIPMode's well-formed `spec.peerSelector`. */
  readonly selectedPeer: boolean;
  /** Any of the above. */
  readonly inPlay: boolean;
}

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
  readonly lbPools: At<AddressRange>[];
  readonly floatingIPs: At<IPAddress>[];
  /** Every entry of every gateway's `spec.floatingIPs` parsed: count-based rules judge only then. */
  readonly floatingComplete: boolean;
  readonly peerIPs: At<IPAddress>[];
  readonly maxPodsPerNode: number | undefined;
  /** One per BGPPeer of the view, in view order. */
  readonly peers: PeerFacts[];
  /** The peers selected by at least one FlatIPMode's well-formed `spec.peerSelector`. */
  readonly flatPeers: PeerFacts[];
  /** One per ClusterCIDRConfig of the view, in view order. */
  readonly configs: ConfigFacts[];
  readonly flatMode: FlatModeEvidence;
}

/** Plain-data readers. The keys read are fixed field names, never members of Object.prototype. */
type Plain = Record<string, unknown>;
const asMap = (v: unknown): Plain | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Plain) : undefined);
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const asInt = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);
const asBool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
function asStringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const m = asMap(v);
  if (m) for (const k in m) if (Object.prototype.hasOwnProperty.call(m, k) && typeof m[k] === 'string') out[k] = m[k] as string;
  return out;
}
const asASN = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_ASN ? v : undefined);

function ipValue(obj: KubeObject, v: unknown, path: PathSegment[]): At<IPAddress> | undefined {
  if (typeof v !== 'string') return undefined;
  const r = parseIP(v);
  return r.ok ? { value: r.value, obj, path, text: v } : undefined;
}
function cidrValue(obj: KubeObject, v: unknown, path: PathSegment[]): At<Cidr> | undefined {
  if (typeof v !== 'string') return undefined;
  const r = parseCidr(v);
  return r.ok ? { value: r.value, obj, path, text: v } : undefined;
}
function cidrList(obj: KubeObject, v: unknown, path: readonly PathSegment[], out: At<Cidr>[]): void {
  const l = asList(v);
  for (let i = 0; i < l.length; i++) {
    const at = cidrValue(obj, l[i], [...path, i]);
    if (at) out.push(at);
  }
}

function peerFacts(obj: KubeObject): PeerFacts {
  const spec = asMap(obj.value.spec);
  const sessions = asInt(spec?.sessions);
  return {
    obj,
    ip: ipValue(obj, spec?.peerIP, ['spec', 'peerIP']),
    sessions: sessions !== undefined && sessions >= 1 ? sessions : undefined,
    localASN: asASN(spec?.localASN),
    peerASN: asASN(spec?.peerASN),
  };
}

function configFamily(obj: KubeObject, spec: Plain | undefined, fam: Family): ConfigFamily {
  const present = spec !== undefined && Object.prototype.hasOwnProperty.call(spec, fam) && spec[fam] !== undefined;
  const f = asMap(spec?.[fam]);
  return { present, cidr: cidrValue(obj, f?.cidr, ['spec', fam, 'cidr']), mask: asInt(f?.perNodeMaskSize) };
}

const OPERATORS: ReadonlySet<string> = new Set(LABEL_SELECTOR_OPERATORS);
const SELECTOR = ['spec', 'nodeSelector'] as const;

/**
 * Reads `spec.nodeSelector` as `metav1.LabelSelector` (GDC's ClusterCIDRConfig takes `matchLabels`
 * and `matchExpressions`, not upstream Kubernetes' NodeSelector), with apimachinery's rules.
 */
function readSelector(raw: unknown): { selector: LabelSelector | undefined; problems: SelectorProblem[] } {
  const problems: SelectorProblem[] = [];
  if (raw === undefined || raw === null) return { selector: { matchLabels: {}, matchExpressions: [] }, problems };
  const sel = asMap(raw);
  if (!sel) return { selector: undefined, problems };
  let typed = true;
  if (Object.prototype.hasOwnProperty.call(sel, 'nodeSelectorTerms')) problems.push({ code: 'node-selector-terms', path: [...SELECTOR, 'nodeSelectorTerms'] });
  const matchLabels: Record<string, string> = {};
  const labels = sel.matchLabels;
  if (labels !== undefined && labels !== null) {
    const m = asMap(labels);
    if (!m) typed = false;
    else
      for (const k in m) {
        if (!Object.prototype.hasOwnProperty.call(m, k)) continue;
        const v = m[k];
        const path = [...SELECTOR, 'matchLabels', k];
        const keyWhy = labelKeyProblem(k);
        if (keyWhy) problems.push({ code: 'key', path, key: k, why: keyWhy });
        if (typeof v !== 'string') {
          typed = false;
          continue;
        }
        const valueWhy = labelValueProblem(v);
        if (valueWhy) problems.push({ code: 'value', path, value: v, why: valueWhy });
        matchLabels[k] = v;
      }
  }
  const matchExpressions: LabelRequirement[] = [];
  const exprs = sel.matchExpressions;
  if (exprs !== undefined && exprs !== null) {
    if (!Array.isArray(exprs)) typed = false;
    else
      for (let i = 0; i < exprs.length; i++) {
        const e = asMap(exprs[i]);
        const at = [...SELECTOR, 'matchExpressions', i];
        const key = e?.key;
        const operator = e?.operator;
        const rawValues = e?.values;
        const values = rawValues === undefined || rawValues === null ? [] : Array.isArray(rawValues) ? rawValues : undefined;
        if (!e || typeof key !== 'string' || typeof operator !== 'string' || !values || values.some((v) => typeof v !== 'string')) {
          typed = false;
          continue;
        }
        const keyWhy = labelKeyProblem(key);
        if (keyWhy) problems.push({ code: 'key', path: [...at, 'key'], key, why: keyWhy });
        if (!OPERATORS.has(operator)) problems.push({ code: 'operator', path: [...at, 'operator'], operator });
        else if ((operator === 'In' || operator === 'NotIn') && values.length === 0) problems.push({ code: 'values-required', path: [...at, 'values'], operator });
        else if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) problems.push({ code: 'values-forbidden', path: [...at, 'values'], operator });
        for (let j = 0; j < values.length; j++) {
          const valueWhy = labelValueProblem(values[j] as string);
          if (valueWhy) problems.push({ code: 'value', path: [...at, 'values', j], value: values[j] as string, why: valueWhy });
        }
        matchExpressions.push({ key, operator: operator as LabelSelectorOperator, values: values as string[] });
      }
  }
  return { selector: typed && problems.length === 0 ? { matchLabels, matchExpressions } : undefined, problems };
}

function configFacts(obj: KubeObject): ConfigFacts {
  const spec = asMap(obj.value.spec);
  const selector = asMap(spec?.nodeSelector);
  const read = readSelector(spec?.nodeSelector);
  const labels = selector?.matchLabels;
  const exprs = selector?.matchExpressions;
  const matchLabels = asStringMap(labels);
  const emptyLabels = labels === undefined || labels === null || (typeof labels === 'object' && Object.keys(labels).length === 0);
  const emptyExprs = exprs === undefined || exprs === null || (Array.isArray(exprs) && exprs.length === 0);
  return {
    obj,
    selector: read.selector,
    selectorProblems: read.problems,
    matchLabels,
    boundPool: Object.prototype.hasOwnProperty.call(matchLabels, NODE_POOL_LABEL) ? matchLabels[NODE_POOL_LABEL] : undefined,
    selectsAll: emptyLabels && emptyExprs,
    ipv4: configFamily(obj, spec, 'ipv4'),
    ipv6: configFamily(obj, spec, 'ipv6'),
  };
}

/**
 * A `peerSelector` label map, or undefined when it is missing, empty or not a map of strings
 * (the schema policy reports those; a malformed selector is not judged).
 */
export function selectorOf(obj: KubeObject): Readonly<Record<string, string>> | undefined {
  const v = asMap(asMap(obj.value.spec)?.peerSelector);
  if (!v) return undefined;
  const entries = Object.entries(v);
  if (entries.length === 0 || entries.some(([, x]) => typeof x !== 'string')) return undefined;
  return Object.fromEntries(entries) as Record<string, string>;
}

const factsCache = new WeakMap<ClusterView, ClusterFacts>();

export function facts(view: ClusterView): ClusterFacts {
  const cached = factsCache.get(view);
  if (cached) return cached;
  const cluster = view.clusters[0];
  const spec = cluster ? asMap(cluster.value.spec) : undefined;
  const network = asMap(spec?.clusterNetwork);
  const services: At<Cidr>[] = [];
  const islandPods: At<Cidr>[] = [];
  const nodes: NodeAddress[] = [];
  const vips: At<IPAddress>[] = [];
  const lbPools: At<AddressRange>[] = [];
  if (cluster) {
    cidrList(cluster, asMap(network?.services)?.cidrBlocks, ['spec', 'clusterNetwork', 'services', 'cidrBlocks'], services);
    cidrList(cluster, asMap(network?.pods)?.cidrBlocks, ['spec', 'clusterNetwork', 'pods', 'cidrBlocks'], islandPods);
    const cpNodes = asList(asMap(asMap(spec?.controlPlane)?.nodePoolSpec)?.nodes);
    for (let i = 0; i < cpNodes.length; i++) {
      const at = ipValue(cluster, asMap(cpNodes[i])?.address, ['spec', 'controlPlane', 'nodePoolSpec', 'nodes', i, 'address']);
      if (at) nodes.push({ at, pool: 'control plane' });
    }
    const lb = asMap(spec?.loadBalancer);
    const vipMap = asMap(lb?.vips);
    for (const key of ['controlPlaneVIP', 'ingressVIP']) {
      const at = ipValue(cluster, vipMap?.[key], ['spec', 'loadBalancer', 'vips', key]);
      if (at) vips.push(at);
    }
    const pools = asList(lb?.addressPools);
    for (let i = 0; i < pools.length; i++) {
      const addresses = asList(asMap(pools[i])?.addresses);
      for (let j = 0; j < addresses.length; j++) {
        const at = rangeValue(cluster, addresses[j], ['spec', 'loadBalancer', 'addressPools', i, 'addresses', j]);
        if (at) lbPools.push(at);
      }
    }
  }
  for (const pool of view.nodePools) {
    const list = asList(asMap(pool.value.spec)?.nodes);
    for (let i = 0; i < list.length; i++) {
      const at = ipValue(pool, asMap(list[i])?.address, ['spec', 'nodes', i, 'address']);
      if (at) nodes.push({ at, pool: pool.name });
    }
  }
  const configs = view.cidrConfigs.map(configFacts);
  const podRanges: PodRange[] = [];
  for (const c of configs) {
    if (c.ipv4.cidr) podRanges.push({ cidr: c.ipv4.cidr, perNodeMaskSize: c.ipv4.mask, selector: c.matchLabels });
    if (c.ipv6.cidr) podRanges.push({ cidr: c.ipv6.cidr, perNodeMaskSize: c.ipv6.mask, selector: c.matchLabels });
  }
  const floatingIPs: At<IPAddress>[] = [];
  let floatingEntries = 0;
  for (const g of view.gateways) {
    const list = asList(asMap(g.value.spec)?.floatingIPs);
    floatingEntries += list.length;
    for (let i = 0; i < list.length; i++) {
      const at = ipValue(g, list[i], ['spec', 'floatingIPs', i]);
      if (at) floatingIPs.push(at);
    }
  }
  const peers = view.peers.map(peerFacts);
  const peerIPs: At<IPAddress>[] = [];
  for (const p of peers) if (p.ip) peerIPs.push(p.ip);
  const selectors: Array<Readonly<Record<string, string>>> = [];
  for (const m of view.flatModes) {
    const s = selectorOf(m);
    if (s) selectors.push(s);
  }
  const flatPeers = selectors.length === 0 ? [] : peers.filter((p) => selectors.some((s) => selects(s, p.obj.labels())));
  const flatIPv4 = asBool(network?.flatIPv4);
  const flatMode = {
    flatIPv4: flatIPv4 === true,
    flatIPMode: view.flatModes.length > 0,
    gateway: view.gateways.length > 0,
    selectedPeer: flatPeers.length > 0,
  };
  let hasV4 = false;
  let hasV6 = false;
  for (const s of services) {
    if (s.value.family === 'ipv4') hasV4 = true;
    else hasV6 = true;
  }
  const f: ClusterFacts = {
    cluster,
    label: cluster?.name || view.namespace,
    advancedNetworking: asBool(network?.advancedNetworking),
    flatIPv4,
    services,
    islandPods,
    dualStack: hasV4 && hasV6,
    podRanges,
    nodes,
    vips,
    lbPools,
    floatingIPs,
    floatingComplete: floatingIPs.length === floatingEntries,
    peerIPs,
    maxPodsPerNode: asInt(asMap(asMap(spec?.nodeConfig)?.podDensity)?.maxPodsPerNode),
    peers,
    flatPeers,
    configs,
    flatMode: { ...flatMode, inPlay: flatMode.flatIPv4 || flatMode.flatIPMode || flatMode.gateway || flatMode.selectedPeer },
  };
  factsCache.set(view, f);
  return f;
}

/** True when flat mode with BGP is in play in the view's namespace (see FlatModeEvidence). */
export const flatModeInPlay = (view: ClusterView): boolean => facts(view).flatMode.inPlay;

/**
 * Cluster types that manage themselves (GDC: admin, hybrid, standalone): no admin cluster above
 * them reconciles resources into them, so what is applied in their `kube-system` is theirs.
 */
export const SELF_MANAGED_TYPES: ReadonlySet<string> = new Set(['admin', 'hybrid', 'standalone']);

/** The Cluster's `spec.type` when it is a string. */
export const clusterType = (cluster: KubeObject): string | undefined => str(cluster, ['spec', 'type']);

/** A map key per address: IPv4 as a number (cheap to hash), IPv6 as text; the two never collide. */
export const ipKey = (ip: IPAddress): number | string => (ip.family === 'ipv4' ? Number(ip.value) : `6/${ip.value}`);

/** Input position of every item, to put findings gathered by kind or by cluster back in input order. */
const orderCache = new WeakMap<Fleet, Map<KubeObject, number>>();
export function orderOf(fleet: Fleet): Map<KubeObject, number> {
  let order = orderCache.get(fleet);
  if (!order) {
    order = new Map(fleet.items.map((o, i) => [o, i]));
    orderCache.set(fleet, order);
  }
  return order;
}

/** True when every label of `selector` is on `labels` (an empty selector selects everything). */
export function selects(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  for (const [k, v] of Object.entries(selector)) if (labels[k] !== v) return false;
  return true;
}

/** The node pool a ClusterCIDRConfig's selector names, if it names one. */
export const NODE_POOL_LABEL = 'baremetal.cluster.gke.io/node-pool';

/** The labels the package says every node of one pool carries. */
export interface PoolLabels {
  /** The NodePool's name, or the Cluster's for the control plane's pool. */
  readonly pool: string;
  /** undefined for the control plane. */
  readonly nodePool: KubeObject | undefined;
  /** GDC's `baremetal.cluster.gke.io/node-pool: <pool>` and the pool's `spec.labels`. */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * The node pools of a view with their nodes' labels as far as the package shows them: each
 * NodePool's `spec.labels`, the control plane's `spec.controlPlane.nodePoolSpec.labels` (its pool
 * is named after the Cluster), and GDC's node-pool label on every one. Nodes may carry more
 * (`kubernetes.io/hostname`, labels set by hand): a selector on a key no pool declares is unknown.
 */
export function poolLabels(view: ClusterView): PoolLabels[] {
  const out: PoolLabels[] = [];
  const withPool = (name: string, own: Record<string, string>): Record<string, string> => ({ ...own, [NODE_POOL_LABEL]: name });
  for (const c of view.clusters) {
    if (c.name) out.push({ pool: c.name, nodePool: undefined, labels: withPool(c.name, stringMap(c, ['spec', 'controlPlane', 'nodePoolSpec', 'labels'])) });
  }
  for (const p of view.nodePools) if (p.name) out.push({ pool: p.name, nodePool: p, labels: withPool(p.name, stringMap(p, ['spec', 'labels'])) });
  return out;
}
