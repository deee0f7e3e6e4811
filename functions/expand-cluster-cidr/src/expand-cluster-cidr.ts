/**
 * expand-cluster-cidr (mutator): carves a cluster namespace's pod range into one
 * ClusterCIDRConfig per node pool, sized from the pool's node count.
 *
 * The range is declared once per namespace: by the function config, or by a ClusterCIDRConfig
 * annotated `flatnet.dev/expand: per-node-pool` (a template, kept as local config). Both for one
 * namespace is an error.
 *
 * Stable over time, because GDC never changes an applied config's ranges nor takes back a node's
 * range: an existing config is never moved, resized or edited. A pool that needs more blocks than
 * its configs give gets one more config (the smallest power-of-two number of blocks covering the
 * shortfall, first fit around every range already applied in the namespace); a new pool gets its
 * own; when the range is full, an error says how many blocks are missing and nothing is added
 * for that pool. Configs this function made for pools that are gone are kept, or removed with
 * `prune`.
 *
 * Pools are the namespace's NodePools and the control plane, whose node pool GDC names after the
 * Cluster (as validate-flat-network counts it). Pools go in name order, so allocation is a pure
 * function of the package.
 */
import { KINDS, apiVersionOf, isKind } from '@flatnet/api';
import {
  ANNOTATIONS,
  KubeObject,
  errorFor,
  formatPath,
  infoFor,
  listSome,
  nextFileIndex,
  warningFor,
  type ResourceList,
  type Result,
} from '@flatnet/krm';
import { allocateRange, countFree, formatCidr, parseCidr, perNodeBlocks, type Cidr, type Family } from '@flatnet/net';
import { FAMILIES, readRanges, type ExpandClusterCidrConfig, type PodRanges } from './config';

/** On a ClusterCIDRConfig: it is a template to expand; the one value understood is `per-node-pool`. */
export const EXPAND_ANNOTATION = 'flatnet.dev/expand';
export const EXPAND_PER_NODE_POOL = 'per-node-pool';
/** On a template: headroom in percent (a whole number, default 0). */
export const HEADROOM_ANNOTATION = 'flatnet.dev/headroom-percent';
/** On a template: "true" to remove generated configs of pools that are gone. */
export const PRUNE_ANNOTATION = 'flatnet.dev/prune';
/** On a generated config: the template's name, or `function-config`. */
export const EXPANDED_FROM_ANNOTATION = 'flatnet.dev/expanded-from';
export const FROM_FUNCTION_CONFIG = 'function-config';
/** On a generated config: the node pool it serves. */
export const NODE_POOL_ANNOTATION = 'flatnet.dev/node-pool';
/** The node label GDC puts on every node of a pool; a config binds a pool by selecting it. */
export const NODE_POOL_LABEL = 'baremetal.cluster.gke.io/node-pool';

const TAGS = { function: 'expand-cluster-cidr' };
const FAMILY_NAME: Record<Family, string> = { ipv4: 'IPv4', ipv6: 'IPv6' };

/** One declaration of a namespace's pod range. */
interface Declaration {
  readonly namespace: string;
  readonly ranges: PodRanges;
  readonly headroomPercent: bigint;
  readonly prune: boolean;
  /** The `flatnet.dev/expanded-from` value of the configs it makes. */
  readonly source: string;
  /** Where results about the declaration go: the template or the function config. */
  readonly anchor: KubeObject;
  /** The path of the mapping holding `ipv4` / `ipv6` in the anchor (`spec`, ``, or `data`). */
  readonly prefix: string;
  /** For messages: `ClusterCIDRConfig "pods"`, `the function config ExpandClusterCIDR "x"`. */
  readonly where: string;
  readonly template?: KubeObject;
  /** False when the declaration has errors (reported): the namespace is then left alone. */
  readonly usable: boolean;
}

interface Pool {
  readonly name: string;
  readonly nodes: number;
  /** For messages: `node pool "np1"`, `the control plane (node pool "bm")`. */
  readonly label: string;
}

export function expandClusterCidr(list: ResourceList, config: ExpandClusterCidrConfig): Result[] {
  const results: Result[] = [];
  const byNamespace = new Map<string, Declaration[]>();
  const declare = (d: Declaration): void => {
    const list = byNamespace.get(d.namespace);
    if (list) list.push(d);
    else byNamespace.set(d.namespace, [d]);
  };

  for (const item of list.items) {
    if (!isKind(item, KINDS.ClusterCIDRConfig)) continue;
    const mode = item.annotation(EXPAND_ANNOTATION);
    if (mode === undefined) continue;
    if (mode !== EXPAND_PER_NODE_POOL) {
      results.push(errorFor(item, `${item.describe()}: annotation \`${EXPAND_ANNOTATION}\` "${mode}" must be "${EXPAND_PER_NODE_POOL}", the one expansion there is; fix it, or remove the annotation if the config is not a template`, {
        field: { path: annotationPath(EXPAND_ANNOTATION), currentValue: mode, proposedValue: EXPAND_PER_NODE_POOL },
        tags: TAGS,
      }));
      continue;
    }
    markLocal(item, results);
    const d = readTemplate(item, results);
    if (d) declare(d);
  }
  if (config.ipv4 || config.ipv6) {
    const d = readFunctionConfig(list, config, results);
    if (d) declare(d);
  }
  if (byNamespace.size === 0) return results;

  // Resources without a namespace cannot be matched with a declaration: say so rather than skip them quietly.
  for (const item of list.items) {
    if (item.isLocalConfig() || item.namespace || !(isKind(item, KINDS.NodePool) || isKind(item, KINDS.Cluster))) continue;
    results.push(warningFor(item, `${item.describe()} has no \`metadata.namespace\`, so its node pool is not expanded: set it, or run set-cluster-namespace before expand-cluster-cidr`, {
      field: { path: 'metadata.namespace' },
      tags: TAGS,
    }));
  }

  for (const namespace of [...byNamespace.keys()].sort(compareText)) {
    const declarations = byNamespace.get(namespace)!;
    if (declarations.length > 1) {
      const places = joinWords(declarations.map((d) => d.where));
      const fix = declarations.some((d) => !d.template)
        ? "remove the template, or the function config's `ipv4` and `ipv6`"
        : 'remove all templates but one';
      for (const d of declarations) {
        if (!d.template) continue; // the function config is named in the templates' errors
        results.push(errorFor(d.template, `the pod range of namespace "${namespace}" must be declared in one place, and ${places} ${declarations.length === 2 ? 'both' : 'all'} declare it: keep one (${fix}); nothing was expanded in "${namespace}"`, {
          field: { path: annotationPath(EXPAND_ANNOTATION), currentValue: EXPAND_PER_NODE_POOL },
          tags: TAGS,
        }));
      }
      continue;
    }
    const d = declarations[0]!;
    if (d.usable) expandNamespace(list, d, results);
  }
  return results;
}

/** A template is never applied: applied, it would be a cluster-wide config overlapping the per-pool ones. */
function markLocal(template: KubeObject, results: Result[]): void {
  if (template.isLocalConfig()) return;
  template.setAnnotation(ANNOTATIONS.localConfig, 'true');
  results.push(infoFor(template, `set annotation \`${ANNOTATIONS.localConfig}\` to "true" on ${template.describe()}: it is a template to expand per node pool (\`${EXPAND_ANNOTATION}: ${EXPAND_PER_NODE_POOL}\`), and applied it would be a cluster-wide config overlapping the per-pool ones`, {
    field: { path: annotationPath(ANNOTATIONS.localConfig), proposedValue: 'true' },
    tags: TAGS,
  }));
}

function readTemplate(t: KubeObject, results: Result[]): Declaration | undefined {
  const problems: Array<{ path: string; message: string }> = [];
  const spec = t.get(['spec']);
  const { ranges, issues } = readRanges(spec, 'spec');
  for (const x of issues) problems.push(x);
  if (t.get(['spec', 'ipv4']) === undefined && t.get(['spec', 'ipv6']) === undefined) {
    problems.push({ path: 'spec', message: '`spec.ipv4` or `spec.ipv6` (or both) must be set: they are the pod range to carve into one ClusterCIDRConfig per node pool' });
  }
  const headroomText = t.annotation(HEADROOM_ANNOTATION);
  if (headroomText !== undefined && !/^(0|[1-9]\d*)$/.test(headroomText)) {
    problems.push({ path: annotationPath(HEADROOM_ANNOTATION), message: `annotation \`${HEADROOM_ANNOTATION}\` "${headroomText}" must be a whole number of percent, such as "25"` });
  }
  const pruneText = t.annotation(PRUNE_ANNOTATION);
  if (pruneText !== undefined && pruneText !== 'true' && pruneText !== 'false') {
    problems.push({ path: annotationPath(PRUNE_ANNOTATION), message: `annotation \`${PRUNE_ANNOTATION}\` "${pruneText}" must be "true" or "false"` });
  }
  if (!t.name) {
    problems.push({ path: 'metadata.name', message: '`metadata.name` must be set: generated configs name their template in `flatnet.dev/expanded-from`' });
  }
  if (!t.namespace) {
    problems.push({ path: 'metadata.namespace', message: '`metadata.namespace` must be set: it names the cluster namespace whose pools are expanded; set it, or run set-cluster-namespace first' });
  }
  for (const p of problems) {
    results.push(errorFor(t, `${t.describe()} (a per-node-pool template): ${p.message}`, { field: { path: p.path }, tags: TAGS }));
  }
  if (!t.namespace) return undefined;
  return {
    namespace: t.namespace,
    ranges,
    headroomPercent: problems.length === 0 && headroomText !== undefined ? BigInt(headroomText) : 0n,
    prune: pruneText === 'true',
    source: t.name,
    anchor: t,
    prefix: 'spec',
    where: t.describe(),
    template: t,
    usable: problems.length === 0,
  };
}

function readFunctionConfig(list: ResourceList, config: ExpandClusterCidrConfig, results: Result[]): Declaration | undefined {
  const fc = list.functionConfig;
  if (!fc) return undefined;
  let namespace = config.namespace;
  if (namespace === undefined) {
    // Default: the one namespace that holds node pools (a Cluster holds the control plane's).
    const found = [
      ...new Set(list.items.filter((i) => !i.isLocalConfig() && i.namespace && (isKind(i, KINDS.NodePool) || isKind(i, KINDS.Cluster))).map((i) => i.namespace)),
    ].sort(compareText);
    if (found.length !== 1) {
      const why = found.length === 0
        ? 'the package has no NodePool or Cluster with a namespace to default to'
        : `the package has NodePools or Clusters in namespaces ${joinWords(found.map((n) => `"${n}"`))}`;
      results.push(errorFor(fc, `\`namespace\` must be set: ${why}; name the cluster namespace whose pod range this config declares`, {
        field: { path: fc.kind === 'ConfigMap' ? 'data.namespace' : 'namespace' },
        tags: TAGS,
      }));
      return undefined;
    }
    namespace = found[0]!;
  }
  return {
    namespace,
    ranges: readRanges(config, '').ranges,
    headroomPercent: BigInt(config.headroomPercent),
    prune: config.prune,
    source: FROM_FUNCTION_CONFIG,
    anchor: fc,
    prefix: fc.kind === 'ConfigMap' ? 'data' : '',
    where: `the function config ${fc.describe()}`,
    usable: true,
  };
}

function expandNamespace(list: ResourceList, d: Declaration, results: Result[]): void {
  const ns = d.namespace;
  const live = list.items.filter((i) => !i.isLocalConfig() && i.namespace === ns);
  const clusters = live.filter((i) => isKind(i, KINDS.Cluster) && i.name);
  const nodePools = live.filter((i) => isKind(i, KINDS.NodePool) && i.name);
  if (clusters.length === 0 && nodePools.length === 0) {
    results.push(warningFor(d.anchor, `${d.where} declares the pod range of namespace "${ns}", which holds no NodePool and no Cluster: nothing was expanded; put the cluster's NodePools in the package, or check the namespace`, {
      tags: TAGS,
    }));
    return;
  }

  // The pools to serve, by name; the control plane's node pool is named after its Cluster.
  const pools = new Map<string, Pool>();
  for (const c of clusters) {
    const nodes = lengthOf(c.get(['spec', 'controlPlane', 'nodePoolSpec', 'nodes']));
    if (nodes > 0 && !pools.has(c.name)) pools.set(c.name, { name: c.name, nodes, label: `the control plane (node pool "${c.name}")` });
  }
  for (const p of nodePools) {
    if (!pools.has(p.name)) pools.set(p.name, { name: p.name, nodes: lengthOf(p.get(['spec', 'nodes'])), label: `node pool "${p.name}"` });
  }
  // Pools that exist even when the package cannot size them (a Cluster known only by NodePools' `spec.clusterName`).
  const existing = new Set<string>(pools.keys());
  for (const c of clusters) existing.add(c.name);
  for (const p of nodePools) {
    const owner = p.get(['spec', 'clusterName']);
    if (typeof owner === 'string' && owner) existing.add(owner);
  }

  // What is applied already: every range is taken; pool-bound ranges count as that pool's capacity.
  const configs = live.filter((i) => isKind(i, KINDS.ClusterCIDRConfig));
  const taken: Record<Family, Cidr[]> = { ipv4: [], ipv6: [] };
  const capacity = new Map<string, { blocks: Record<Family, bigint>; names: string[] }>();
  let unreadable = false;
  for (const cfg of configs) {
    const pool = boundPool(cfg);
    for (const family of FAMILIES) {
      if (cfg.get(['spec', family]) === undefined) continue;
      const text = cfg.get(['spec', family, 'cidr']);
      const parsed = typeof text === 'string' ? parseCidr(text) : undefined;
      if (!parsed?.ok || parsed.value.family !== family) {
        if (!d.ranges[family]) continue;
        unreadable = true;
        results.push(errorFor(cfg, `${cfg.describe()}: \`spec.${family}.cidr\`${typeof text === 'string' ? ` "${text}"` : ''} must be a valid ${FAMILY_NAME[family]} CIDR: until it is, the range it holds is unknown and nothing is carved in namespace "${ns}"; fix it, then render again`, {
          field: { path: `spec.${family}.cidr` },
          tags: TAGS,
        }));
        continue;
      }
      taken[family].push(parsed.value);
      if (pool === undefined) continue;
      const mask = cfg.get(['spec', family, 'perNodeMaskSize']);
      const entry = capacity.get(pool) ?? { blocks: { ipv4: 0n, ipv6: 0n }, names: [] };
      if (typeof mask === 'number' && Number.isInteger(mask)) entry.blocks[family] += perNodeBlocks(parsed.value, mask);
      if (!entry.names.includes(cfg.name)) entry.names.push(cfg.name);
      capacity.set(pool, entry);
    }
  }
  if (unreadable) return;

  const names = new Set(list.items.filter((i) => isKind(i, KINDS.ClusterCIDRConfig) && i.namespace === ns).map((i) => i.name));
  const file = d.template?.filePath() ?? nodePools[0]?.filePath() ?? `${ns}/cluster-cidr-configs.yaml`;
  const families = FAMILIES.filter((f) => d.ranges[f]);
  const headroom = d.headroomPercent > 0n ? ` with ${d.headroomPercent}% headroom` : '';

  for (const pool of [...pools.values()].sort((a, b) => compareText(a.name, b.name))) {
    const needed = max(1n, ceilDiv(BigInt(pool.nodes) * (100n + d.headroomPercent), 100n));
    const own = capacity.get(pool.name);
    const have = families.reduce((least, f) => min(least, own?.blocks[f] ?? 0n), needed);
    if (have >= needed) continue;
    const shortfall = needed - have;
    const k = log2Ceil(shortfall);
    const count = 1n << BigInt(k);
    const demand =
      `its ${plural(pool.nodes, 'node')}${headroom} ${pool.nodes === 1 ? 'needs' : 'need'} ${plural(needed, 'per-node block')} and ` +
      (have === 0n
        ? 'it has none'
        : (own?.names.length ?? 0) === 1
          ? `its ClusterCIDRConfig "${own!.names[0]}" gives ${have}`
          : `its ClusterCIDRConfigs ${joinWords((own?.names ?? []).map((n) => `"${n}"`))} give ${have}`);
    const rounded = count !== shortfall ? ` (${shortfall} rounded up to a power of two)` : '';

    const carved: Partial<Record<Family, Cidr>> = {};
    for (const family of families) {
      const range = d.ranges[family]!;
      const mask = range.perNodeMaskSize;
      const prefix = mask - k;
      const got = prefix >= range.cidr.prefix ? allocateRange(range.cidr, prefix, taken[family]) : undefined;
      if (got?.ok) {
        carved[family] = got.value;
        continue;
      }
      const free = countFree(range.cidr, mask, taken[family]);
      const shortage =
        free < count
          ? `${free === 0n ? 'none is' : `only ${free} ${free === 1n ? 'is' : 'are'}`} free in ${FAMILY_NAME[family]} range "${range.text}": ${count - free} missing`
          : `no aligned /${prefix} is free in ${FAMILY_NAME[family]} range "${range.text}": its ${free} free /${mask} blocks are scattered`;
      const shape = prefix >= 0 ? `one aligned /${prefix}` : 'one aligned range';
      results.push(errorFor(d.anchor, `${pool.label} must get ${count}${have > 0n ? ' more' : ''} /${mask} ${count === 1n ? 'block' : 'blocks'}${rounded} in ${shape}, because ${demand}; ${shortage}. Nothing was added for the pool: widen the range, lower the headroom, or remove configs no longer used`, {
        field: { path: fieldPath(d, family, 'cidr'), currentValue: range.text },
        tags: TAGS,
      }));
    }
    if (families.some((f) => !carved[f])) continue; // never a partial config

    const name = freeName(`${pool.name}-pods`, names);
    names.add(name);
    const spec: Record<string, unknown> = {};
    for (const family of families) {
      spec[family] = { cidr: formatCidr(carved[family]!), perNodeMaskSize: d.ranges[family]!.perNodeMaskSize };
      taken[family].push(carved[family]!);
    }
    spec.nodeSelector = { matchLabels: { [NODE_POOL_LABEL]: pool.name } };
    const item = KubeObject.create(
      {
        apiVersion: apiVersionOf(KINDS.ClusterCIDRConfig),
        kind: KINDS.ClusterCIDRConfig.kind,
        metadata: { name, namespace: ns, annotations: { [EXPANDED_FROM_ANNOTATION]: d.source, [NODE_POOL_ANNOTATION]: pool.name } },
        spec,
      },
      { path: file, index: nextFileIndex(list.items, file) },
    );
    list.items.push(item);
    const first = families[0]!;
    const what = joinWords(families.map((f) => `"${formatCidr(carved[f]!)}"`));
    results.push(infoFor(item, `added ${item.describe()} for ${pool.label}, carved from ${d.where}: ${demand}, so it gets ${count}${have > 0n ? ' more' : ''}${rounded} in ${what}`, {
      field: { path: `spec.${first}.cidr`, proposedValue: formatCidr(carved[first]!) },
      tags: TAGS,
    }));
  }

  // Configs made for pools that are gone: GDC keeps their nodes' ranges, so they stay unless pruning.
  for (const cfg of configs) {
    if (cfg.annotation(EXPANDED_FROM_ANNOTATION) === undefined) continue;
    const pool = cfg.annotation(NODE_POOL_ANNOTATION) ?? boundPool(cfg);
    if (pool === undefined || existing.has(pool)) continue;
    if (d.prune) {
      list.items.splice(list.items.indexOf(cfg), 1);
      results.push(infoFor(cfg, `removed ${cfg.describe()}: its node pool "${pool}" no longer exists in namespace "${ns}" and pruning is on. GDC does not take back ranges assigned to nodes that still exist: make sure the pool's nodes are gone`, {
        tags: TAGS,
      }));
    } else {
      const how = d.template ? `annotate ${d.where} with \`${PRUNE_ANNOTATION}: "true"\`` : 'set `prune: true` in the function config';
      results.push(infoFor(cfg, `kept ${cfg.describe()}: its node pool "${pool}" no longer exists in namespace "${ns}", and its range stays taken; to remove it, ${how}`, {
        tags: TAGS,
      }));
    }
  }
}

/** The pool a config binds when its selector is exactly `{baremetal.cluster.gke.io/node-pool: <pool>}`. */
function boundPool(cfg: KubeObject): string | undefined {
  const labels = cfg.get(['spec', 'nodeSelector', 'matchLabels']);
  const exprs = cfg.get(['spec', 'nodeSelector', 'matchExpressions']);
  if (Array.isArray(exprs) && exprs.length > 0) return undefined;
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) return undefined;
  const keys = Object.keys(labels);
  const pool = (labels as Record<string, unknown>)[NODE_POOL_LABEL];
  return keys.length === 1 && typeof pool === 'string' ? pool : undefined;
}

/** `base`, else `base-2`, `base-3`… : the first name not taken. */
function freeName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

function fieldPath(d: Declaration, family: Family, field: string): string {
  if (d.prefix === 'data') return `data.${family}`; // a ConfigMap holds the range as JSON text
  return [d.prefix, family, field].filter((p) => p !== '').join('.');
}

const annotationPath = (key: string): string => formatPath(['metadata', 'annotations', key]);

const lengthOf = (v: unknown): number => (Array.isArray(v) ? v.length : 0);
const ceilDiv = (a: bigint, b: bigint): bigint => (a + b - 1n) / b;
const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);
/** The smallest k with 2^k >= n (n >= 1). */
const log2Ceil = (n: bigint): number => (n <= 1n ? 0 : (n - 1n).toString(2).length);
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const plural = (n: bigint | number, word: string): string => `${n} ${word}${BigInt(n) === 1n ? '' : 's'}`;

/** "a, b and c"; past five, the first five and a count (listSome). */
function joinWords(words: readonly string[]): string {
  if (words.length > 5) return listSome(words);
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
