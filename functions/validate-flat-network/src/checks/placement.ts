/**
 * Where resources live: namespaces (FLAT-NS-*), duplicates (FLAT-DUP-001), manifests meant for the
 * user cluster (FLAT-USR-001), status objects (FLAT-STS-001), and node pools (FLAT-NP-*).
 *
 * On the admin cluster GDC binds NodePools, ClusterCIDRConfigs, the NetworkGatewayGroup, the
 * FlatIPMode and BGPPeers to the Cluster of their namespace. Each check here reports one problem
 * once: a resource with no namespace is FLAT-NS-001's, one in `kube-system` is FLAT-USR-001's,
 * a NodePool whose `spec.clusterName` names a Cluster of another namespace is FLAT-NP-001's.
 */
import { CLUSTER_SCOPED_FLAT_KINDS, FLATNET_ANNOTATIONS, KINDS, defaultClusterNamespace, isAnyKind, isKind } from '@flatnet/api';
import { formatPath, listSome, type KubeObject } from '@flatnet/krm';
import { SELF_MANAGED_TYPES, clusterType, facts, ipKey, str, type Fleet, type NodeAddress } from '../model';
import type { Check, Finding } from './types';

const USER_CLUSTER_NAMESPACE = 'kube-system';
/** The kinds whose user-cluster copies live in `kube-system` (see FLAT-USR-001). */
const RECONCILED_KINDS = [KINDS.NetworkGatewayGroup, KINDS.FlatIPMode, KINDS.BGPPeer, KINDS.ClusterCIDRConfig];
/** The user cluster's cluster-scoped FlatIPMode (`flatipmodes.networking.gke.io`). */
const USER_FLAT_IP_MODE = { group: 'networking.gke.io', kind: 'FlatIPMode' };
const ADMIN_FLAT_IP_MODE_API_VERSION = `${KINDS.FlatIPMode.group}/${KINDS.FlatIPMode.version}`;
/** List namespaces by name in a message only when there are this few. */
const FEW = 3;

const quoted = (xs: readonly string[]): string => listSome(xs.map((x) => `"${x}"`));

/** The namespace a Cluster lives in, or will once set-cluster-namespace gives it GDC's default. */
const clusterNamespace = (c: KubeObject): string => c.namespace || (c.name ? defaultClusterNamespace(c.name) : '');

/**
 * Which NetworkGatewayGroups in `kube-system` are a cluster's own egress NAT gateway, not a user
 * cluster's copy. Never when the input holds a user Cluster: such a repository is the admin
 * cluster's, and `kube-system` holds the copies it reconciles. Otherwise a gateway is the
 * cluster's own when every Cluster of the input manages itself (standalone, hybrid, admin: GDC's
 * edge profile applies its egress NAT gateway there), or when an EgressNATPolicy of the input
 * names it in `spec.gatewayRef`, as GDC's egress NAT steps do.
 */
interface OwnGateways {
  /** Every Cluster of the input manages itself (and there is at least one). */
  readonly selfManaged: boolean;
  /** Names of the `kube-system` gateways an EgressNATPolicy names; empty with a user Cluster. */
  readonly egress: ReadonlySet<string>;
}

function ownGateways(fleet: Fleet): OwnGateways {
  const clusters = fleet.ofKind(KINDS.Cluster);
  if (clusters.some((c) => clusterType(c) === 'user')) return { selfManaged: false, egress: new Set() };
  const selfManaged = clusters.length > 0 && clusters.every((c) => SELF_MANAGED_TYPES.has(clusterType(c) ?? ''));
  const egress = new Set<string>();
  for (const policy of fleet.ofKind(KINDS.EgressNATPolicy)) {
    const name = str(policy, ['spec', 'gatewayRef', 'name']);
    const ns = policy.get(['spec', 'gatewayRef', 'namespace']);
    if (name && (ns === undefined || ns === USER_CLUSTER_NAMESPACE)) egress.add(name);
  }
  return { selfManaged, egress };
}

const isOwnGateway = (obj: KubeObject, own: OwnGateways): boolean =>
  isKind(obj, KINDS.NetworkGatewayGroup) && (own.selfManaged || own.egress.has(obj.name));

/** Clusters of the input that have a name, in input order. */
const namedClusters = (fleet: Fleet): KubeObject[] => fleet.ofKind(KINDS.Cluster).filter((i) => i.name !== '');

/** True when FLAT-USR-001 reports the item: it is judged there, not here. */
function isUserClusterCopy(obj: KubeObject): boolean {
  if (obj.is(USER_FLAT_IP_MODE.group, USER_FLAT_IP_MODE.kind)) return true;
  return obj.namespace === USER_CLUSTER_NAMESPACE && isAnyKind(obj, RECONCILED_KINDS);
}

/**
 * The Cluster a namespace-less flat-mode resource belongs to, when the input says so without doubt
 * (the same first rules as set-cluster-namespace): its `flatnet.dev/cluster` annotation or, for a
 * NodePool, `spec.clusterName`, naming exactly one Cluster; else the only Cluster of the input.
 */
function ownerOf(obj: KubeObject, fleet: Fleet, clusters: readonly KubeObject[]): KubeObject | undefined {
  const named = obj.annotation(FLATNET_ANNOTATIONS.cluster) ?? (isKind(obj, KINDS.NodePool) ? str(obj, ['spec', 'clusterName']) : undefined);
  if (named) {
    const byName = fleet.clustersByName.get(named) ?? [];
    return byName.length === 1 ? byName[0] : undefined;
  }
  return clusters.length === 1 ? clusters[0] : undefined;
}

/** For a NodePool in a namespace with no Cluster: the Clusters `spec.clusterName` names elsewhere. */
function clustersNamedElsewhere(pool: KubeObject, fleet: Fleet): KubeObject[] {
  const name = str(pool, ['spec', 'clusterName']);
  if (!name || !pool.namespace) return [];
  if ((fleet.byNamespace.get(pool.namespace)?.clusters.length ?? 0) > 0) return [];
  return (fleet.clustersByName.get(name) ?? []).filter((c) => c.namespace !== '' && c.namespace !== pool.namespace);
}

const explicitNamespace: Check = ({ fleet }) => {
  const out: Finding[] = [];
  const clusters = namedClusters(fleet);
  for (const obj of fleet.items) {
    if (obj.namespace !== '') continue;
    const isCluster = isKind(obj, KINDS.Cluster);
    if (!isCluster && !isAnyKind(obj, CLUSTER_SCOPED_FLAT_KINDS)) continue;
    const owner = isCluster ? (obj.name ? obj : undefined) : ownerOf(obj, fleet, clusters);
    const proposed = owner ? clusterNamespace(owner) : undefined;
    const where = isCluster ? 'GDC looks for the resources of a Cluster in its namespace' : "GDC binds it to the Cluster of its namespace";
    const fix = proposed
      ? `set it to "${proposed}"${isCluster ? ", GDC's default for this Cluster" : ` (the namespace of Cluster "${owner!.name}")`}, or run set-cluster-namespace`
      : 'set it to the namespace of its Cluster, or run set-cluster-namespace';
    out.push({
      obj,
      path: ['metadata', 'namespace'],
      ...(proposed ? { proposedValue: proposed } : {}),
      message: `${obj.describe()} must set \`metadata.namespace\`: Config Sync puts a namespaced object without one in "default", and ${where}; ${fix}`,
    });
  }
  return out;
};

const clusterNamespaceCheck: Check = ({ fleet }) => {
  const out: Finding[] = [];
  const clusters = namedClusters(fleet);
  if (clusters.length === 0) return out; // a package of flat-mode resources alone judges nothing
  const namespaces = new Set(clusters.map(clusterNamespace));
  const real = [...new Set(clusters.map((c) => c.namespace).filter((ns) => ns !== ''))].sort();
  for (const obj of fleet.items) {
    if (obj.namespace === '' || namespaces.has(obj.namespace) || !isAnyKind(obj, CLUSTER_SCOPED_FLAT_KINDS)) continue;
    if (isUserClusterCopy(obj)) continue;
    if (isKind(obj, KINDS.NodePool) && clustersNamedElsewhere(obj, fleet).length > 0) continue;
    const proposed = namespaces.size === 1 ? [...namespaces][0] : undefined;
    let fix: string;
    if (proposed) {
      const only = clusters[0]!;
      fix = `move it to "${proposed}", the namespace of Cluster "${only.name}"`;
    } else if (real.length > 0 && real.length <= FEW) {
      fix = `move it to the namespace of its Cluster (Clusters are in ${quoted(real)})`;
    } else {
      fix = 'move it to the namespace of its Cluster';
    }
    out.push({
      obj,
      path: ['metadata', 'namespace'],
      currentValue: obj.namespace,
      ...(proposed ? { proposedValue: proposed } : {}),
      message: `${obj.describe()}: namespace "${obj.namespace}" must be the namespace of its Cluster, but no Cluster of the input is there (GDC binds the resource to the Cluster of its namespace): ${fix}`,
    });
  }
  return out;
};

const oneClusterPerNamespace: Check = ({ fleet }) => {
  const out: Finding[] = [];
  for (const view of fleet.views) {
    if (view.namespace === '' || view.clusters.length < 2) continue; // no namespace: FLAT-NS-001
    const first = view.clusters[0]!;
    const seen = new Set<string>([first.name]);
    for (const c of view.clusters.slice(1)) {
      if (seen.has(c.name)) continue; // the same Cluster twice: FLAT-DUP-001
      seen.add(c.name);
      out.push({
        obj: c,
        path: ['metadata', 'namespace'],
        currentValue: view.namespace,
        message: `${c.describe()} must not share namespace "${view.namespace}" with ${first.describe()}: GDC binds the node pools and flat-mode resources of a namespace to one Cluster; give each Cluster its own namespace (GDC's default is "cluster-<name>")`,
      });
    }
  }
  return out;
};

const duplicateResource: Check = ({ fleet }) => {
  const out: Finding[] = [];
  const first = new Map<string, KubeObject>();
  for (const obj of fleet.items) {
    if (!obj.name || !obj.kind) continue; // unnamed: the schema check's
    const key = `${obj.group}\u0000${obj.kind}\u0000${obj.namespace}\u0000${obj.name}`; // NUL: in no Kubernetes name
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, obj);
      continue;
    }
    const file = earlier.filePath();
    const here = obj.filePath();
    const where = !file ? 'earlier in the input' : file === here ? `earlier in "${file}"` : `in "${file}"`;
    const ns = obj.namespace ? ` in namespace "${obj.namespace}"` : '';
    out.push({
      obj,
      path: ['metadata', 'name'],
      currentValue: obj.name,
      message: `${obj.describe()}${ns} must be declared once: it is also declared ${where}, and only one copy can be applied (kustomize and Config Sync refuse both); remove one of them or rename it`,
    });
  }
  return out;
};

const userClusterCopy: Check = ({ fleet }) => {
  const out: Finding[] = [];
  const why = 'the admin cluster reconciles these resources into the user cluster and overwrites edits made there';
  const clusters = namedClusters(fleet);
  let own: OwnGateways | undefined;
  for (const obj of fleet.items) {
    if (obj.is(USER_FLAT_IP_MODE.group, USER_FLAT_IP_MODE.kind)) {
      out.push({
        obj,
        path: ['apiVersion'],
        currentValue: obj.apiVersion,
        proposedValue: ADMIN_FLAT_IP_MODE_API_VERSION,
        message: `${obj.describe()} of group "${USER_FLAT_IP_MODE.group}" is the user cluster's copy and must not be committed: ${why}; declare a FlatIPMode "${ADMIN_FLAT_IP_MODE_API_VERSION}" named "default" in the Cluster's namespace instead`,
      });
      continue;
    }
    if (obj.namespace !== USER_CLUSTER_NAMESPACE || !isAnyKind(obj, RECONCILED_KINDS)) continue;
    own ??= ownGateways(fleet);
    if (isOwnGateway(obj, own)) continue;
    const proposed = clusters.length === 1 ? clusterNamespace(clusters[0]!) : undefined;
    // Self-managed clusters have no admin cluster above them, but GDC still reads these kinds in the Cluster's namespace.
    const reason = own.selfManaged ? `GDC reads flat-mode resources in the Cluster's namespace, not in "${USER_CLUSTER_NAMESPACE}"` : `where the user cluster keeps its copy: ${why}`;
    const where = own.selfManaged ? "put it in the Cluster's namespace" : "put it in the Cluster's namespace on the admin cluster";
    const egress = isKind(obj, KINDS.NetworkGatewayGroup) && !clusters.some((c) => clusterType(c) === 'user')
      ? ` (an egress NAT gateway of a standalone, hybrid or admin cluster belongs in "${USER_CLUSTER_NAMESPACE}": then add that Cluster or the EgressNATPolicy that names the gateway to the package)`
      : '';
    out.push({
      obj,
      path: ['metadata', 'namespace'],
      currentValue: obj.namespace,
      ...(proposed ? { proposedValue: proposed } : {}),
      message: `${obj.describe()} must not be in namespace "${USER_CLUSTER_NAMESPACE}", ${own.selfManaged ? 'because ' : ''}${reason}; ${where}${proposed ? ` ("${proposed}")` : ''}${egress}`,
    });
  }
  return out;
};

const statusObject: Check = ({ fleet }) => {
  const out: Finding[] = [];
  if (fleet.ofKind(KINDS.BGPSession).length === 0 && fleet.ofKind(KINDS.BGPAdvertisedRoute).length === 0) return out;
  for (const obj of fleet.items) {
    const session = isKind(obj, KINDS.BGPSession);
    if (!session && !isKind(obj, KINDS.BGPAdvertisedRoute)) continue;
    const cmd = session ? 'kubectl get bgpsessions -A' : 'kubectl get bgpadvertisedroutes -A';
    out.push({
      obj,
      message: `${obj.describe()} must not be committed: it is status the user cluster reports, not configuration, and is rewritten by its controllers; remove it from the repository (read it with \`${cmd}\` on the user cluster)`,
    });
  }
  return out;
};

const nodePoolCluster: Check = ({ fleet }) => {
  const out: Finding[] = [];
  for (const view of fleet.views) {
    const names = [...new Set(view.clusters.map((c) => c.name).filter((n) => n !== ''))];
    for (const pool of view.nodePools) {
      const raw = pool.get(['spec', 'clusterName']);
      if (raw === undefined || raw === null) {
        const proposed = names.length === 1 ? names[0] : undefined;
        out.push({
          obj: pool,
          path: ['spec', 'clusterName'],
          ...(proposed ? { proposedValue: proposed } : {}),
          message: `${pool.describe()} must set \`spec.clusterName\` to the name of its Cluster${proposed ? ` ("${proposed}", the Cluster of namespace "${view.namespace}")` : ''}: GDC adds the pool's nodes to that Cluster`,
        });
        continue;
      }
      const name = str(pool, ['spec', 'clusterName']);
      if (!name) continue; // not a string, or empty: the schema check's
      if (names.length > 0) {
        if (names.includes(name)) continue;
        const proposed = names.length === 1 ? names[0] : undefined;
        out.push({
          obj: pool,
          path: ['spec', 'clusterName'],
          currentValue: name,
          ...(proposed ? { proposedValue: proposed } : {}),
          message: `${pool.describe()}: \`spec.clusterName\` "${name}" must name the Cluster of its namespace "${view.namespace}", which is ${quoted(names)}: write ${proposed ? `"${proposed}"` : 'that name'}, or move the NodePool to the namespace of Cluster "${name}"`,
        });
        continue;
      }
      const elsewhere = clustersNamedElsewhere(pool, fleet);
      if (elsewhere.length === 0) continue; // the Cluster is not in the input: nothing to compare
      const nss = [...new Set(elsewhere.map((c) => c.namespace))].sort();
      const proposed = nss.length === 1 ? nss[0] : undefined;
      out.push({
        obj: pool,
        path: ['spec', 'clusterName'],
        currentValue: name,
        message: `${pool.describe()}: \`spec.clusterName\` "${name}" must not name a Cluster of another namespace: Cluster "${name}" is in ${quoted(nss)}, the NodePool in "${view.namespace}"; move the NodePool to ${proposed ? `"${proposed}"` : 'its Cluster\'s namespace'}`,
      });
    }
  }
  return out;
};

const nodeInOnePool: Check = ({ fleet }) => {
  const out: Finding[] = [];
  for (const view of fleet.views) {
    // Namespace-less resources of several Clusters would be mixed up here: FLAT-NS-001 comes first.
    if (view.namespace === '' && view.clusters.length > 1) continue;
    const first = new Map<number | string, NodeAddress>();
    for (const node of facts(view).nodes) {
      const key = ipKey(node.at.value);
      const earlier = first.get(key);
      if (!earlier) {
        first.set(key, node);
        continue;
      }
      const { at } = node;
      const was = earlier.at;
      const path = formatPath(at.path);
      const same = was.text === at.text ? '' : ` (the same address as "${was.text}")`;
      const poolName = (p: string, o: KubeObject) => (p === 'control plane' ? `the control plane of ${o.describe()}` : `node pool "${p}"`);
      const message =
        was.obj === at.obj
          ? `${at.obj.describe()}: \`${path}\` "${at.text}"${same} must not repeat \`${formatPath(was.path)}\`: list each node once`
          : `${at.obj.describe()}: \`${path}\` "${at.text}"${same} must not be in two node pools: ${poolName(earlier.pool, was.obj)} already has it at \`${formatPath(was.path)}\`; a node belongs to one pool only, so remove it from one of them`;
      out.push({ obj: node.at.obj, path: node.at.path, currentValue: node.at.text, message });
    }
  }
  return out;
};

export const PLACEMENT_CHECKS: Record<string, Check> = {
  'FLAT-NS-001': explicitNamespace,
  'FLAT-NS-002': clusterNamespaceCheck,
  'FLAT-NS-003': oneClusterPerNamespace,
  'FLAT-DUP-001': duplicateResource,
  'FLAT-USR-001': userClusterCopy,
  'FLAT-STS-001': statusObject,
  'FLAT-NP-001': nodePoolCluster,
  'FLAT-NP-002': nodeInOnePool,
};
