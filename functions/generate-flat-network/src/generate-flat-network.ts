/**
 * generate-flat-network: turns FlatNetwork intents into the flat-mode manifests of a cluster —
 * NetworkGatewayGroup `default`, FlatIPMode `default`, one BGPPeer per peer (carrying the
 * selector's labels), the ClusterCIDRConfig (or a per-node-pool template for expand-cluster-cidr)
 * — and sets the Cluster's flags to match when the package holds it.
 *
 * Upsert by group/kind/namespace/name: an existing object keeps its comments and every field the
 * intent does not own. Generated objects carry `flatnet.dev/generated-by: FlatNetwork/<name>`;
 * one that its intent no longer asks for is removed, and nothing else is ever deleted.
 * New objects go to `flat-network-<cluster>.yaml` beside the intent (the package root when the
 * intent is the function config).
 */
import { FLATNET_API_VERSION, KINDS, apiVersionOf, explainFormat, isKind, validators, type KindRef } from '@flatnet/api';
import {
  ANNOTATIONS,
  KubeObject,
  deepEqual,
  errorFor,
  formatSchemaError,
  infoFor,
  nextFileIndex,
  warningFor,
  type JsonObject,
  type PathSegment,
  type ResourceList,
  type Result,
} from '@flatnet/krm';
import { parseCidr } from '@flatnet/net';
import { checkIntent, defaultIntent, dualStackOf, flatIPv4Of, namespaceOf, type Intent } from './intent';

export const GENERATED_BY = ANNOTATIONS.generatedBy;
export const EXPAND_ANNOTATION = 'flatnet.dev/expand';
const TAGS = { function: 'generate-flat-network' };
export const CLUSTER_WIDE_CONFIG = 'cluster-wide-1';
export const NODE_POOL_TEMPLATE = 'per-node-pool-template';

export interface GenerateConfig {
  /** The intent given as the function config, if any. */
  spec?: JsonObject;
}

interface Source {
  intent: Intent;
  obj: KubeObject;
  name: string;
}

export function generateFlatNetwork(list: ResourceList, config: GenerateConfig): Result[] {
  const results: Result[] = [];
  const sources: Source[] = [];
  const fc = list.functionConfig;
  if (config.spec && fc) sources.push({ intent: defaultIntent(fc.name, { spec: config.spec as never }), obj: fc, name: fc.name });
  for (const item of list.items) {
    if (item.kind !== 'FlatNetwork' || item.apiVersion !== FLATNET_API_VERSION) continue;
    if (sources.some((s) => s.name === item.name)) continue; // the function config, also passed as an item by kpt
    const raw: JsonObject = {};
    for (const [k, v] of Object.entries(item.value)) if (k !== 'apiVersion' && k !== 'kind' && k !== 'metadata') raw[k] = v;
    if (!validators.flatnetFlatNetwork(raw)) {
      for (const err of validators.flatnetFlatNetwork.errors ?? []) {
        const f = formatSchemaError(err, '', explainFormat);
        results.push(errorFor(item, `FlatNetwork "${item.name}": ${f.message}`, { field: { path: f.path }, tags: TAGS }));
      }
      continue;
    }
    const intent = defaultIntent(item.name, raw as { spec: never });
    const issues = checkIntent(intent);
    for (const i of issues) results.push(errorFor(item, `FlatNetwork "${item.name}": ${i.message}`, { field: { path: i.path }, tags: TAGS }));
    if (issues.length === 0) sources.push({ intent, obj: item, name: item.name });
  }
  if (sources.length === 0 && !list.items.some((i) => i.kind === 'FlatNetwork')) {
    results.push({ message: 'no FlatNetwork intent (as the function config or an item): nothing to generate', severity: 'info', tags: TAGS });
  }

  const seen = new Map<string, Source>();
  for (const s of sources) {
    const other = seen.get(s.intent.cluster);
    if (other) {
      results.push(errorFor(s.obj, `FlatNetwork "${s.name}" is for Cluster "${s.intent.cluster}" like FlatNetwork "${other.name}": one intent per cluster; merge them`, { field: { path: 'spec.cluster' }, tags: TAGS }));
      continue;
    }
    seen.set(s.intent.cluster, s);
    for (const x of generateOne(list, s)) results.push(x);
  }
  return results;
}

function generateOne(list: ResourceList, src: Source): Result[] {
  const { intent } = src;
  const results: Result[] = [];
  const clusters = list.items.filter(
    (i) => !i.isLocalConfig() && isKind(i, KINDS.Cluster) && i.name === intent.cluster && (!intent.namespace || i.namespace === intent.namespace),
  );
  if (clusters.length > 1) {
    results.push(errorFor(src.obj, `FlatNetwork "${src.name}": the package holds ${clusters.length} Clusters named "${intent.cluster}": set \`spec.namespace\` to choose one`, { field: { path: 'spec.namespace' }, tags: TAGS }));
    return results;
  }
  const cluster = clusters[0];
  const ns = namespaceOf(intent, cluster?.namespace || undefined);
  if (cluster) {
    const clusterResults = alignCluster(cluster, intent, src.name);
    for (const x of clusterResults) results.push(x);
    if (clusterResults.some((r) => r.severity === 'error')) return results;
  }

  const desired = desiredObjects(intent, ns);
  const file = generatedFile(src.obj, intent.cluster);
  const keys = new Set<string>();
  for (const d of desired) {
    const key = keyOf(d.ref, ns, d.name);
    keys.add(key);
    const existing = list.items.find((i) => i.isLocalConfig() === d.local && keyOf(refOf(i), i.namespace, i.name) === key);
    if (!existing) {
      const obj = KubeObject.create(d.object, { path: file, index: nextFileIndex(list.items, file) });
      list.items.push(obj);
      results.push(infoFor(obj, `created ${d.ref.kind} "${d.name}" in namespace "${ns}" from FlatNetwork "${src.name}"`, { tags: TAGS }));
      continue;
    }
    for (const x of update(existing, d, src.name)) results.push(x);
  }
  // Prune what this intent generated before and no longer asks for; nothing else.
  for (let i = list.items.length - 1; i >= 0; i--) {
    const item = list.items[i]!;
    if (item.annotation(GENERATED_BY) !== intent.id) continue;
    if (keys.has(keyOf(refOf(item), item.namespace, item.name))) continue;
    list.items.splice(i, 1);
    results.push(infoFor(item, `removed ${item.describe()}: FlatNetwork "${src.name}" no longer asks for it`, { tags: TAGS }));
  }
  return results;
}

interface Desired {
  ref: KindRef;
  name: string;
  /** The whole object for creation. */
  object: JsonObject;
  /** Fields the intent owns on an existing object: path -> value. */
  owned: Array<[PathSegment[], unknown]>;
  /** Labels the object must carry (added, never removed). */
  labels: Record<string, string>;
  /** Whether the object is local config (the per-node-pool template). */
  local: boolean;
}

function desiredObjects(i: Intent, ns: string): Desired[] {
  const annotations = { [GENERATED_BY]: i.id };
  const meta = (name: string, extra: JsonObject = {}): JsonObject => ({ name, namespace: ns, ...extra, annotations: { ...annotations, ...((extra.annotations as JsonObject) ?? {}) } });
  const out: Desired[] = [];
  out.push({
    ref: KINDS.NetworkGatewayGroup,
    name: 'default',
    object: { apiVersion: apiVersionOf(KINDS.NetworkGatewayGroup), kind: 'NetworkGatewayGroup', metadata: meta('default'), spec: { floatingIPs: i.floatingIPs } },
    owned: [[['spec', 'floatingIPs'], i.floatingIPs]],
    labels: {},
    local: false,
  });
  const fim = { enableBGPIPv4: flatIPv4Of(i.shape), enableBGPIPv6: dualStackOf(i.shape), peerSelector: i.peerSelector };
  out.push({
    ref: KINDS.FlatIPMode,
    name: 'default',
    object: { apiVersion: apiVersionOf(KINDS.FlatIPMode), kind: 'FlatIPMode', metadata: meta('default'), spec: fim },
    owned: [
      [['spec', 'enableBGPIPv4'], fim.enableBGPIPv4],
      [['spec', 'enableBGPIPv6'], fim.enableBGPIPv6],
      [['spec', 'peerSelector'], fim.peerSelector],
    ],
    labels: {},
    local: false,
  });
  for (const p of i.peers) {
    const spec = { localASN: i.localASN, peerASN: p.asn, peerIP: p.address, sessions: p.sessions };
    out.push({
      ref: KINDS.BGPPeer,
      name: p.name,
      object: { apiVersion: apiVersionOf(KINDS.BGPPeer), kind: 'BGPPeer', metadata: { name: p.name, namespace: ns, labels: { ...i.peerSelector }, annotations }, spec },
      owned: Object.entries(spec).map(([k, v]) => [['spec', k], v]),
      labels: i.peerSelector,
      local: false,
    });
  }
  const podSpec: JsonObject = {};
  for (const fam of ['ipv4', 'ipv6'] as const) {
    const r = i.pods[fam];
    if (r) podSpec[fam] = { cidr: canonicalCidr(r.cidr), perNodeMaskSize: r.perNodeMaskSize };
  }
  if (i.expandPerNodePool) {
    const extra = {
      annotations: {
        'config.kubernetes.io/local-config': 'true',
        [EXPAND_ANNOTATION]: 'per-node-pool',
        'flatnet.dev/headroom-percent': String(i.expandPerNodePool.headroomPercent),
        ...(i.expandPerNodePool.prune ? { 'flatnet.dev/prune': 'true' } : {}),
      },
    };
    out.push({
      ref: KINDS.ClusterCIDRConfig,
      name: NODE_POOL_TEMPLATE,
      object: { apiVersion: apiVersionOf(KINDS.ClusterCIDRConfig), kind: 'ClusterCIDRConfig', metadata: meta(NODE_POOL_TEMPLATE, extra), spec: podSpec },
      owned: Object.entries(podSpec).map(([k, v]) => [['spec', k], v]),
      labels: {},
      local: true,
    });
  } else {
    out.push({
      ref: KINDS.ClusterCIDRConfig,
      name: CLUSTER_WIDE_CONFIG,
      object: { apiVersion: apiVersionOf(KINDS.ClusterCIDRConfig), kind: 'ClusterCIDRConfig', metadata: meta(CLUSTER_WIDE_CONFIG), spec: podSpec },
      owned: Object.entries(podSpec).map(([k, v]) => [['spec', k], v]),
      labels: {},
      local: false,
    });
  }
  return out;
}

function update(obj: KubeObject, d: Desired, intentName: string): Result[] {
  const results: Result[] = [];
  const immutableRange = isKind(obj, KINDS.ClusterCIDRConfig) && !d.local;
  for (const [path, value] of d.owned) {
    const current = obj.get(path);
    if (deepEqual(current, value)) continue;
    obj.set(path, value);
    const field = { path: path.join('.'), ...(current !== undefined ? { currentValue: current } : {}), proposedValue: value };
    const change = `set \`${field.path}\` to ${show(value)}${current !== undefined ? ` (was ${show(current)})` : ''}, as FlatNetwork "${intentName}" says`;
    if (immutableRange && current !== undefined) {
      results.push(warningFor(obj, `${change}; a ClusterCIDRConfig's ranges cannot change once applied to a running cluster: add a new range instead if this one is in use`, { field, tags: TAGS }));
    } else {
      results.push(infoFor(obj, change, { field, tags: TAGS }));
    }
  }
  for (const [k, v] of Object.entries(d.labels)) {
    const current = obj.labels()[k];
    if (current === v) continue;
    obj.setLabel(k, v);
    results.push(infoFor(obj, `set label \`${k}: ${JSON.stringify(v)}\` so that FlatIPMode "default" selects it`, { field: { path: `metadata.labels["${k}"]`, ...(current !== undefined ? { currentValue: current } : {}), proposedValue: v }, tags: TAGS }));
  }
  const annotations = ((d.object.metadata as JsonObject).annotations ?? {}) as Record<string, string>;
  for (const [k, v] of Object.entries(annotations)) obj.setAnnotation(k, v);
  return results;
}

/** Sets the Cluster's flags to match the intent where unset; refuses to flip what is set. */
function alignCluster(cluster: KubeObject, i: Intent, intentName: string): Result[] {
  const results: Result[] = [];
  const net = ['spec', 'clusterNetwork'];
  const want: Array<[string, boolean]> = [
    ['advancedNetworking', true],
    ['flatIPv4', flatIPv4Of(i.shape)],
  ];
  for (const [field, value] of want) {
    const current = cluster.get([...net, field]);
    const path = `spec.clusterNetwork.${field}`;
    if (current === value) continue;
    if (typeof current === 'boolean') {
      results.push(errorFor(cluster, `Cluster "${cluster.name}": \`${path}\` is ${current}, but FlatNetwork "${intentName}" (shape "${i.shape}") needs ${value}; it cannot change after the cluster is created: fix the intent, or set it to ${value} before creating the cluster`, { field: { path, currentValue: current, proposedValue: value }, tags: TAGS }));
      continue;
    }
    cluster.set([...net, field], value, field === 'flatIPv4' ? { after: 'advancedNetworking' } : { first: true });
    results.push(infoFor(cluster, `set \`${path}\` to ${value} for FlatNetwork "${intentName}" (shape "${i.shape}"); it can only be set when the cluster is created`, { field: { path, proposedValue: value }, tags: TAGS }));
  }
  const services = cluster.get([...net, 'services', 'cidrBlocks']);
  const list = Array.isArray(services) ? services.filter((s): s is string => typeof s === 'string') : [];
  const hasV6 = list.some((s) => {
    const c = parseCidr(s);
    return c.ok && c.value.family === 'ipv6';
  });
  const path = 'spec.clusterNetwork.services.cidrBlocks';
  if (dualStackOf(i.shape) && !hasV6) {
    if (i.serviceIPv6) {
      cluster.set([...net, 'services', 'cidrBlocks'], [...list, i.serviceIPv6]);
      results.push(infoFor(cluster, `added the IPv6 service range "${i.serviceIPv6}" to \`${path}\`: an IPv6 service range makes the cluster dual-stack, as shape "${i.shape}" needs`, { field: { path, proposedValue: [...list, i.serviceIPv6] }, tags: TAGS }));
    } else {
      results.push(errorFor(cluster, `Cluster "${cluster.name}" has no IPv6 service range, but shape "${i.shape}" is dual-stack: add one to \`${path}\`, or set \`spec.services.ipv6\` in FlatNetwork "${intentName}"`, { field: { path }, tags: TAGS }));
    }
  }
  if (!dualStackOf(i.shape) && hasV6) {
    results.push(errorFor(cluster, `Cluster "${cluster.name}" is dual-stack (an IPv6 service range in \`${path}\`), but FlatNetwork "${intentName}" has shape "ipv4-flat": choose a dual-stack shape; dual-stack cannot be turned off after creation`, { field: { path }, tags: TAGS }));
  }
  return results;
}

/** A value for a message: scalars as YAML would show them, lists and maps as flow YAML. */
function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (typeof v === 'object' && v !== null) return `{${Object.entries(v).map(([k, x]) => `${k}: ${show(x)}`).join(', ')}}`;
  return String(v);
}

function canonicalCidr(text: string): string {
  const c = parseCidr(text);
  return c.ok ? c.canonical : text;
}

const refOf = (o: KubeObject): KindRef => ({ group: o.group, version: o.apiVersion.split('/')[1] ?? '', kind: o.kind });
const keyOf = (ref: KindRef, ns: string, name: string): string => `${ref.group}/${ref.kind}/${ns}/${name}`;

function generatedFile(source: KubeObject, cluster: string): string {
  const path = source.filePath();
  const dir = path && path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
  return `${dir}flat-network-${cluster}.yaml`;
}
