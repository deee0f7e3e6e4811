/**
 * Hydration: rendered items made fit to apply to the admin cluster by Config Sync (unstructured
 * repository) or Argo CD. Pure: items in, file texts out.
 *
 * - local-config objects (Kptfile, function configs, intents, templates) are left out;
 * - kpt's bookkeeping annotations are removed;
 * - every Cluster and flat-mode object must carry its namespace explicitly (an unstructured
 *   repository puts a namespaced object without one in `default`);
 * - objects carrying Config Sync's own `configsync.gke.io/` or `configmanagement.gke.io/`
 *   metadata are refused (Config Sync rejects them: KNV1010);
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
import { listSome, type KubeObject } from '@flatnet/krm';

const KIND_ORDER = ['Namespace', 'Cluster', 'NodePool', 'ClusterCIDRConfig', 'NetworkGatewayGroup', 'FlatIPMode', 'BGPPeer', 'BGPLoadBalancer'];
const INTERNAL = /^(internal\.config\.kubernetes\.io\/|config\.k8s\.io\/id$|kustomize\.config\.k8s\.io\/id$|config\.kubernetes\.io\/(path|index)$)/;
const FORBIDDEN = /^(configsync\.gke\.io|configmanagement\.gke\.io)\//;
export const CLUSTER_SCOPED_FILE = 'cluster-scoped.yaml';
/** The first line of every file hydrate writes: how the next run knows its own files. */
export const HYDRATED_HEADER = '# Rendered by flatnet: do not edit; edit the package and render again.\n';

export interface HydrateOptions {
  header?: string;
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
        if (FORBIDDEN.test(key)) problems.push(`${where(o)}: ${what} "${key}" is Config Sync's own and must not be set in a repository (KNV1010): remove it`);
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
    const local = items.filter((o) => isKind(o, KINDS.Cluster));
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
  const byFile = new Map<string, KubeObject[]>();
  for (const o of live) {
    const file = o.namespace ? `${clusterName.get(o.namespace) ?? o.namespace}.yaml` : CLUSTER_SCOPED_FILE;
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
    const objs = byFile.get(file)!.slice().sort((a, b) => rank(a) - rank(b) || cmp(a.kind, b.kind) || cmp(a.namespace, b.namespace) || cmp(a.name, b.name));
    files.set(file, header + objs.map((o, i) => (i === 0 ? unmarked(wet(clean(o).renderDocument(false))) : wet(clean(o).renderDocument(true)))).join(''));
  }
  return { files, problems };
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
