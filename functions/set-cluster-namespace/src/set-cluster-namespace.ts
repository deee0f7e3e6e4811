/**
 * set-cluster-namespace (mutator): gives each flat-mode resource the namespace of the Cluster it
 * belongs to, when it has none, and names unnamed NetworkGatewayGroups and FlatIPModes `default`.
 *
 * Who owns a resource, first rule that answers:
 *  1. the `flatnet.dev/cluster` annotation on it; for a NodePool, `spec.clusterName`;
 *  2. the one Cluster in the same file;
 *  3. the one Cluster in the nearest directory, going up from the resource's, that holds any;
 *  4. the one Cluster in the package;
 *  5. the `cluster` of the function config.
 * Several candidates at the first rule that finds any is ambiguity: an error, never a guess.
 * A resource that already has a namespace is never moved; a conflict with its owner is reported,
 * except in `kube-system`: what may be there (a standalone cluster's egress NAT gateway) and what
 * may not (a user cluster's copies) is the gate's to judge (FLAT-USR-001), never a mutator's guess.
 */
import {
  CLUSTER_SCOPED_FLAT_KINDS,
  FLATNET_ANNOTATIONS,
  KINDS,
  SINGLETON_KINDS,
  SINGLETON_NAME,
  defaultClusterNamespace,
  isAnyKind,
  isKind,
} from '@flatnet/api';
import { errorFor, infoFor, listSome, warningFor, type KubeObject, type ResourceList, type Result } from '@flatnet/krm';
import type { SetClusterNamespaceConfig } from './config';

interface Owner {
  name: string;
  namespace: string;
  /** How the owner was found, for messages. */
  how: string;
}

/** `ambiguous` holds the candidates as quoted text; `how` says where they were found. */
type Ownership = { owner: Owner } | { ambiguous: string[]; how: string } | { none: true };

const TAGS = { function: 'set-cluster-namespace' };
/** Left to the gate: see the header. */
const KUBE_SYSTEM = 'kube-system';

export function setClusterNamespace(list: ResourceList, config: SetClusterNamespaceConfig): Result[] {
  const results: Result[] = [];
  const live = list.items.filter((i) => !i.isLocalConfig());
  const clusters = live.filter((i) => isKind(i, KINDS.Cluster) && i.name !== '');

  // Clusters first: their namespaces are what everything else follows.
  for (const cluster of clusters) {
    if (cluster.namespace) continue;
    const ns = defaultClusterNamespace(cluster.name);
    cluster.set(['metadata', 'namespace'], ns, { after: 'name' });
    results.push(infoFor(cluster, `set \`metadata.namespace\` to "${ns}", GDC's default for Cluster "${cluster.name}"`, {
      field: { path: 'metadata.namespace', proposedValue: ns },
      tags: TAGS,
    }));
  }

  const index = indexClusters(clusters);
  for (const item of live) {
    if (!isAnyKind(item, CLUSTER_SCOPED_FLAT_KINDS)) continue;
    if (config.nameSingletons && !item.name && isAnyKind(item, SINGLETON_KINDS)) {
      item.set(['metadata', 'name'], SINGLETON_NAME, { first: true });
      results.push(infoFor(item, `set \`metadata.name\` to "${SINGLETON_NAME}": GDC reads a ${item.kind} only under that name`, {
        field: { path: 'metadata.name', proposedValue: SINGLETON_NAME },
        tags: TAGS,
      }));
    }
    const ownership = findOwner(item, index, config);
    if ('ambiguous' in ownership) {
      if (item.namespace) continue; // nothing to decide: it is not moved anyway
      results.push(errorFor(item, `cannot tell which Cluster ${item.describe()} belongs to: ${ownership.how} holds Clusters ${listSome(ownership.ambiguous)}; set \`metadata.namespace\`, annotate it with \`${FLATNET_ANNOTATIONS.cluster}: <cluster name>\`, or move it next to its Cluster`, {
        field: { path: 'metadata.namespace' },
        tags: TAGS,
      }));
      continue;
    }
    if ('none' in ownership) {
      if (!item.namespace) {
        results.push(warningFor(item, `${item.describe()} has no namespace and the package holds no Cluster: set \`metadata.namespace\`, or set \`cluster\` in the function config`, {
          field: { path: 'metadata.namespace' },
          tags: TAGS,
        }));
      }
      continue;
    }
    const { owner } = ownership;
    if (!item.namespace) {
      item.set(['metadata', 'namespace'], owner.namespace, { after: 'name' });
      results.push(infoFor(item, `set \`metadata.namespace\` to "${owner.namespace}", the namespace of Cluster "${owner.name}" (${owner.how})`, {
        field: { path: 'metadata.namespace', proposedValue: owner.namespace },
        tags: TAGS,
      }));
    } else if (item.namespace !== owner.namespace && item.namespace !== KUBE_SYSTEM) {
      results.push(warningFor(item, `${item.describe()} is in namespace "${item.namespace}" but belongs to Cluster "${owner.name}" (${owner.how}), whose namespace is "${owner.namespace}": it is left where it is; move it to "${owner.namespace}"`, {
        field: { path: 'metadata.namespace', currentValue: item.namespace, proposedValue: owner.namespace },
        tags: TAGS,
      }));
    }
  }
  return results;
}

/** Clusters by name, file and directory: owner look-ups stay constant-time in a large fleet. */
interface ClusterIndex {
  all: readonly KubeObject[];
  byName: Map<string, KubeObject[]>;
  byFile: Map<string, KubeObject[]>;
  byDir: Map<string, KubeObject[]>;
}

function indexClusters(clusters: readonly KubeObject[]): ClusterIndex {
  const add = (m: Map<string, KubeObject[]>, k: string, c: KubeObject): void => {
    const list = m.get(k);
    if (list) list.push(c);
    else m.set(k, [c]);
  };
  const index: ClusterIndex = { all: clusters, byName: new Map(), byFile: new Map(), byDir: new Map() };
  for (const c of clusters) {
    add(index.byName, c.name, c);
    const path = c.filePath();
    if (path !== undefined) add(index.byFile, path, c);
    add(index.byDir, dirOf(path ?? ''), c);
  }
  return index;
}

function findOwner(item: KubeObject, index: ClusterIndex, config: SetClusterNamespaceConfig): Ownership {
  const clusters = index.all;
  const byName = (name: string, how: string): Ownership => {
    const found = index.byName.get(name) ?? [];
    const namespaces = [...new Set(found.map((c) => c.namespace))];
    if (namespaces.length > 1) return { ambiguous: found.map((c) => `"${c.name}" (namespace "${c.namespace}")`), how: 'the package' };
    const namespace = namespaces[0] ?? (name === config.cluster && config.namespace ? config.namespace : defaultClusterNamespace(name));
    return { owner: { name, namespace, how } };
  };
  const explicit = item.annotation(FLATNET_ANNOTATIONS.cluster);
  if (explicit) return byName(explicit, `its \`${FLATNET_ANNOTATIONS.cluster}\` annotation`);
  if (isKind(item, KINDS.NodePool)) {
    const clusterName = item.get(['spec', 'clusterName']);
    if (typeof clusterName === 'string' && clusterName) return byName(clusterName, 'its `spec.clusterName`');
  }

  const path = item.filePath();
  if (path) {
    const sameFile = index.byFile.get(path) ?? [];
    const picked = pick(sameFile, `the only Cluster in the same file "${path}"`, `file "${path}"`);
    if (picked) return picked;
    // Nearest directory going up that holds any Cluster.
    for (let dir = dirOf(path); ; dir = dirOf(dir)) {
      const here = index.byDir.get(dir) ?? [];
      const label = dir ? `directory "${dir}/"` : 'the package root';
      const found = pick(here, `the only Cluster in ${label}`, label);
      if (found) return found;
      if (dir === '') break;
    }
  }
  const whole = pick(clusters, 'the only Cluster in the package', 'the package');
  if (whole) return whole;
  if (config.cluster) return byName(config.cluster, 'named by the function config');
  return { none: true };
}

function pick(candidates: readonly KubeObject[], how: string, where: string): Ownership | undefined {
  if (candidates.length === 0) return undefined;
  if (candidates.length === 1) {
    const c = candidates[0]!;
    return { owner: { name: c.name, namespace: c.namespace, how } };
  }
  // The same few lists (a file's, a directory's Clusters) for every object: named once each.
  let names = NAMES.get(candidates);
  if (!names) NAMES.set(candidates, (names = candidates.map((c) => `"${c.name}"`).sort()));
  return { ambiguous: names, how: where };
}
const NAMES = new WeakMap<readonly KubeObject[], string[]>();

/** `a/b/c.yaml` -> `a/b`; `c.yaml` -> `` (the package root); `` -> ``. */
function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}
