/**
 * Hydration: rendered items made fit to apply to the admin cluster by Config Sync (unstructured
 * repository) or Argo CD. Pure: items in, file texts out.
 *
 * - local-config objects (Kptfile, function configs, intents, templates) are left out;
 * - kpt's bookkeeping annotations are removed;
 * - every Cluster and flat-mode object must carry its namespace explicitly (an unstructured
 *   repository puts a namespaced object without one in `default`);
 * - objects carrying Config Sync's own `configsync.gke.io/` or `configmanagement.gke.io/` labels,
 *   or annotations other than its user-settable source annotations, are refused (Config Sync
 *   rejects them: KNV1010);
 * - one file per cluster (named after the Cluster of the namespace, else the namespace), objects
 *   in a fixed kind order then by name, so the same input gives the same bytes;
 * - file names come only from valid Kubernetes names (a namespace is a DNS label, a Cluster name
 *   a DNS subdomain): `metadata.namespace: ../../x` is a problem, never a path;
 * - an empty result is refused: applied with pruning on, it would delete everything; so is a
 *   result that lost every Cluster the package holds (all marked local-config, or in files the
 *   `.krmignore` hides: `hiddenClusters`), which would delete every cluster.
 */
import { CLUSTER_SCOPED_FLAT_KINDS, KINDS, isAnyKind, isKind } from '@flatnet/api';
import { quote } from '@flatnet/fs';
import { ANNOTATIONS, KubeObject, listSome } from '@flatnet/krm';

const KIND_ORDER = ['Namespace', 'Cluster', 'NodePool', 'ClusterCIDRConfig', 'NetworkGatewayGroup', 'FlatIPMode', 'BGPPeer', 'BGPLoadBalancer'];
const INTERNAL = /^(internal\.config\.kubernetes\.io\/|config\.k8s\.io\/id$|kustomize\.config\.k8s\.io\/id$|config\.kubernetes\.io\/(path|index)$)/;
const FORBIDDEN = /^(configsync\.gke\.io|configmanagement\.gke\.io)\//;
/**
 * The annotations under Config Sync's prefixes that users set on purpose (kpt-config-sync
 * `pkg/metadata/metadata.go`, its "source annotations"): Config Sync accepts these.
 */
export const CONFIG_SYNC_SOURCE_ANNOTATIONS: ReadonlySet<string> = new Set([
  'configmanagement.gke.io/namespace-selector',
  'configmanagement.gke.io/cluster-selector',
  'configsync.gke.io/cluster-name-selector',
  'configmanagement.gke.io/managed',
  'configsync.gke.io/deletion-propagation-policy',
]);
export const CLUSTER_SCOPED_FILE = 'cluster-scoped.yaml';
/** The first line of every file hydrate writes: how the next run knows its own files. */
export const HYDRATED_HEADER = '# Rendered by flatnet: do not edit; edit the package and render again.\n';

/**
 * How the wet output keeps appliers from deleting a cluster without a person:
 * - `confirm` (default): `argocd.argoproj.io/sync-options: Prune=confirm,Delete=confirm` (Argo CD
 *   2.14 and later, argo-cd PR #20497: a person confirms in the UI or CLI; older versions ignore
 *   the value, so they get no protection from it) and Config Sync's
 *   `client.lifecycle.config.k8s.io/deletion: detach` (the object stays when it leaves the repo);
 * - `false`: the same with `Prune=false,Delete=false`, for Argo CD before 2.14 (never pruned or
 *   deleted by Argo CD; a person deletes it with kubectl);
 * - `off`: no marks.
 * Marked: every Cluster and NodePool (deleting either removes machines from a cluster), and every
 * Namespace of the output (deleting one deletes what it holds). An option
 * the object already sets for itself (`Prune=…`, `Delete=…`, a deletion policy) is kept.
 */
export type DeletionProtection = 'confirm' | 'false' | 'off';
export const DELETION_PROTECTIONS: readonly DeletionProtection[] = ['confirm', 'false', 'off'];
const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
const LIFECYCLE_DELETION = 'client.lifecycle.config.k8s.io/deletion';

export interface HydrateOptions {
  header?: string;
  /** Default `confirm`: see DeletionProtection. */
  deletionProtection?: DeletionProtection;
  /**
   * Add a `Namespace` for every namespace the output uses and does not declare (but the ones every
   * cluster has): Argo CD creates only `destination.namespace`, and Config Sync's
   * `namespaceStrategy: explicit` creates none. Marked like Clusters (deleting a namespace deletes
   * everything in it).
   */
  namespaces?: boolean;
  /** Files of the package that hold a Cluster but were not read (`.krmignore`): asked only when the result has no Cluster. */
  hiddenClusters?: () => readonly string[];
}

// Kubernetes' name rules (apimachinery validation): a namespace is a DNS-1123 label, most names
// a DNS-1123 subdomain. Checked without a regular expression over the whole name: linear.
export function isDnsLabel(s: string): boolean {
  if (s.length === 0 || s.length > 63) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const alnum = (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
    if (!alnum && !(c === 0x2d && i > 0 && i < s.length - 1)) return false;
  }
  return true;
}
export function isDnsSubdomain(s: string): boolean {
  return s.length > 0 && s.length <= 253 && s.split('.').every(isDnsLabel);
}

export interface Hydrated {
  /** File name -> text, in file-name order. */
  files: Map<string, string>;
  /** What stops hydration, one line each (file, resource, field). */
  problems: string[];
}

export function hydrate(items: readonly KubeObject[], options: HydrateOptions = {}): Hydrated {
  const header = options.header ?? HYDRATED_HEADER;
  const problems: string[] = [];
  const live = items.filter((i) => !i.isLocalConfig());
  const where = (o: KubeObject): string => `${o.filePath() ?? '(input)'}: ${o.describe()}`;
  for (const o of live) {
    for (const [what, map] of [['label', o.labels()], ['annotation', o.annotations()]] as const) {
      for (const key of Object.keys(map)) {
        if (!FORBIDDEN.test(key) || (what === 'annotation' && CONFIG_SYNC_SOURCE_ANNOTATIONS.has(key))) continue;
        problems.push(`${where(o)}: ${what} "${key}" is Config Sync's own and must not be set in a repository (KNV1010): remove it`);
      }
    }
    if ((isKind(o, KINDS.Cluster) || isAnyKind(o, CLUSTER_SCOPED_FLAT_KINDS)) && !o.namespace) {
      problems.push(`${where(o)}: \`metadata.namespace\` must be set: an unstructured repository would put it in "default"; run set-cluster-namespace`);
    }
  }
  for (const o of live) {
    if (o.namespace && !isDnsLabel(o.namespace)) {
      problems.push(`${where(o)}: \`metadata.namespace\` ${quote(o.namespace)} is not a valid namespace name (at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit): Kubernetes refuses it; fix the name`);
    } else if (isKind(o, KINDS.Cluster) && o.namespace && !isDnsSubdomain(o.name)) {
      problems.push(`${where(o)}: \`metadata.name\` ${quote(o.name)} is not a valid Cluster name (lowercase letters, digits, "-" and ".", at most 253): Kubernetes refuses it; fix the name`);
    }
  }
  if (live.length === 0) problems.push('nothing to apply: every object is local config; refusing to write an empty result (with pruning on it would delete everything)');
  else if (!live.some((o) => isKind(o, KINDS.Cluster))) {
    // A tombstone (local-config, `flatnet.dev/tombstone`) is a Cluster removed on purpose.
    const local = items.filter((o) => isKind(o, KINDS.Cluster) && o.annotation(ANNOTATIONS.tombstone) === undefined);
    const hidden = local.length ? [] : (options.hiddenClusters?.() ?? []);
    if (local.length || hidden.length) {
      const why = local.length
        ? `every Cluster of the package is marked \`config.kubernetes.io/local-config\` (${list(local.map((o) => o.describe()))})`
        : `the package's Clusters are in files its .krmignore hides (${list(hidden.map(quote))})`;
      problems.push(`${why}: the output would hold no Cluster, and an applier that prunes would delete every cluster; refusing. Apply the Clusters, or remove them from the package if that is what you mean`);
    }
  }
  if (problems.length) return { files: new Map(), problems };

  const clusterName = new Map<string, string>();
  for (const o of live) if (isKind(o, KINDS.Cluster) && o.namespace && !clusterName.has(o.namespace)) clusterName.set(o.namespace, o.name);
  const protection = options.deletionProtection ?? 'confirm';
  const objects = options.namespaces ? [...live, ...namespacesFor(live)] : live;
  if (protection !== 'off') {
    for (const o of objects) if (isKind(o, KINDS.Cluster) || isKind(o, KINDS.NodePool) || (o.kind === 'Namespace' && o.apiVersion === 'v1')) protect(o, protection);
  }
  const fileOf = (ns: string): string => `${clusterName.get(ns) ?? ns}.yaml`;
  const used = new Set<string>();
  for (const o of objects) if (o.namespace) used.add(o.namespace);
  const byFile = new Map<string, KubeObject[]>();
  for (const o of objects) {
    // A Namespace goes with what it holds: the cluster's file, when there is one.
    const ns = o.namespace || (o.kind === 'Namespace' && used.has(o.name) ? o.name : '');
    const file = ns ? fileOf(ns) : CLUSTER_SCOPED_FILE;
    const list = byFile.get(file);
    if (list) list.push(o);
    else byFile.set(file, [o]);
  }
  const rank = (o: KubeObject): number => {
    const i = KIND_ORDER.indexOf(o.kind);
    return i < 0 ? KIND_ORDER.length : i;
  };
  const files = new Map<string, string>();
  for (const file of [...byFile.keys()].sort()) {
    const objs = byFile.get(file)!.sort((a, b) => rank(a) - rank(b) || cmp(a.kind, b.kind) || cmp(a.namespace, b.namespace) || cmp(a.name, b.name));
    files.set(file, header + objs.map((o, i) => (i === 0 ? unmarked(wet(clean(o).renderDocument(false))) : wet(clean(o).renderDocument(true)))).join(''));
  }
  return { files, problems };
}

/** Namespaces every cluster has: never declared by flatnet. */
const BUILT_IN_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

/** A `Namespace` for each namespace `objects` use and do not declare, sorted by name. */
function namespacesFor(objects: readonly KubeObject[]): KubeObject[] {
  const declared = new Set<string>();
  for (const o of objects) if (o.kind === 'Namespace' && o.apiVersion === 'v1') declared.add(o.name);
  const wanted = new Set<string>();
  for (const o of objects) if (o.namespace && !declared.has(o.namespace) && !BUILT_IN_NAMESPACES.has(o.namespace)) wanted.add(o.namespace);
  return [...wanted].sort().map((name) => KubeObject.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
}

/** Adds the deletion marks to `o`, keeping what it sets for itself. */
function protect(o: KubeObject, how: 'confirm' | 'false'): void {
  const annotations = o.annotations();
  const own = (annotations[SYNC_OPTIONS] ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  const has = (name: string): boolean => own.some((x) => x.startsWith(`${name}=`));
  const add = ['Prune', 'Delete'].filter((n) => !has(n)).map((n) => `${n}=${how}`);
  if (add.length) o.setAnnotation(SYNC_OPTIONS, [...own, ...add].join(','));
  if (annotations[LIFECYCLE_DELETION] === undefined) o.setAnnotation(LIFECYCLE_DELETION, 'detach');
}

/** Drops a leading `---` (after comments): the file's header comes first, then the document. */
/**
 * Wet output is generated, one style throughout: no byte-order marks at the head of a document
 * (a file may start with several; readers differ on them mid-stream) and LF line ends (a CRLF
 * file's object in an LF stream; YAML reads both breaks as one). Found by the fuzz suite
 * (`three-boms-through-argocd`, `crlf-intent-through-argocd`).
 */
const wet = (text: string): string => text.replace(/\r\n/g, '\n').replace(/^(---[ \t]*\n)?\uFEFF+/, '$1');
const unmarked = (text: string): string => text.replace(/^((?:[ \t]*(?:#[^\n]*)?\n)*)---[ \t]*\n/, '$1');

/** At most a handful of names, then a count: messages stay short whatever the input. */
const list = (names: readonly string[]): string => listSome(names);

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function clean(o: KubeObject): KubeObject {
  for (const key of Object.keys(o.annotations())) if (INTERNAL.test(key)) o.delete(['metadata', 'annotations', key]);
  const rest = o.get(['metadata', 'annotations']);
  if (rest && typeof rest === 'object' && Object.keys(rest).length === 0) o.delete(['metadata', 'annotations']);
  return o;
}

/** The hydrated files as one YAML stream (Argo CD's `generate` output). */
export function asStream(h: Hydrated): string {
  return [...h.files.values()].map((t, i) => (i === 0 ? t : `---\n${t}`)).join('');
}
