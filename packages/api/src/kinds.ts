/**
 * The kinds flatnet reads and writes, by API group and kind (versions may move; the pair is what
 * identifies a kind). apiVersions are those of GDC's docs (see ../../shared/DOMAIN.md).
 */
export interface KindRef {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

const k = (group: string, version: string, kind: string): KindRef => ({ group, version, kind });

export const KINDS = {
  Cluster: k('baremetal.cluster.gke.io', 'v1', 'Cluster'),
  NodePool: k('baremetal.cluster.gke.io', 'v1', 'NodePool'),
  ClusterCIDRConfig: k('baremetal.cluster.gke.io', 'v1alpha1', 'ClusterCIDRConfig'),
  NetworkGatewayGroup: k('networking.gke.io', 'v1', 'NetworkGatewayGroup'),
  FlatIPMode: k('baremetal.cluster.gke.io', 'v1alpha1', 'FlatIPMode'),
  BGPPeer: k('networking.gke.io', 'v1', 'BGPPeer'),
  BGPLoadBalancer: k('networking.gke.io', 'v1', 'BGPLoadBalancer'),
  // Egress NAT: `spec.gatewayRef` names the NetworkGatewayGroup whose floating IPs it uses.
  EgressNATPolicy: k('networking.gke.io', 'v1', 'EgressNATPolicy'),
  // Status objects of the user cluster: never belong in Git.
  BGPSession: k('networking.gke.io', 'v1', 'BGPSession'),
  BGPAdvertisedRoute: k('networking.gke.io', 'v1', 'BGPAdvertisedRoute'),
} as const;

export const apiVersionOf = (ref: KindRef): string => `${ref.group}/${ref.version}`;

/** The flat-mode resources that live in their Cluster's namespace on the admin cluster. */
export const CLUSTER_SCOPED_FLAT_KINDS: readonly KindRef[] = [
  KINDS.NodePool,
  KINDS.ClusterCIDRConfig,
  KINDS.NetworkGatewayGroup,
  KINDS.FlatIPMode,
  KINDS.BGPPeer,
];

/** Kinds GDC reads under one fixed name only. */
export const SINGLETON_NAME = 'default';
export const SINGLETON_KINDS: readonly KindRef[] = [KINDS.NetworkGatewayGroup, KINDS.FlatIPMode];

/** The namespace GDC's docs use for a cluster: `cluster-<name>`. */
export const defaultClusterNamespace = (clusterName: string): string => `cluster-${clusterName}`;

/** Our own API groups: intents (`flatnet.dev`) and function configs (`fn.flatnet.dev`). */
export const FLATNET_API_VERSION = 'flatnet.dev/v1alpha1';
export const FN_CONFIG_API_VERSION = 'fn.flatnet.dev/v1alpha1';

/** Annotations flatnet reads or writes (one prefix for all: `flatnet.dev/`). */
export const FLATNET_ANNOTATIONS = {
  /** On a flat-mode resource: the name of the Cluster it belongs to. */
  cluster: 'flatnet.dev/cluster',
} as const;

interface Typed {
  readonly kind: string;
  readonly group: string;
}
export const isKind = (obj: Typed, ref: KindRef): boolean => obj.kind === ref.kind && obj.group === ref.group;
/** A map key for a kind, the same for an object and its KindRef: `group/kind`. */
export const kindKey = (t: Typed): string => `${t.group}/${t.kind}`;
export const isAnyKind = (obj: Typed, refs: readonly KindRef[]): boolean => refs.some((r) => isKind(obj, r));

/**
 * The API groups whose objects flatnet reads field by field: GDC's and its own. When a file is
 * read, a placeholder, a `...` elision or a missing `metadata` in one of their objects is an
 * input error naming it (once per file); objects of other groups pass as they are.
 */
export const READ_GROUPS: ReadonlySet<string> = new Set([
  ...Object.values(KINDS).map((ref) => ref.group),
  FLATNET_API_VERSION.split('/')[0]!,
  FN_CONFIG_API_VERSION.split('/')[0]!,
]);

/**
 * Keys of GDC's flat-mode objects whose values are addresses, ranges, numbers, booleans or DNS
 * names, never free text: an `UPPER_CASE` value there (`peerIP: PEER_IP`) is a docs placeholder,
 * reported as one (with the file read with READ_GROUPS), not as a schema error per field.
 */
export const TYPED_FIELDS: ReadonlySet<string> = new Set([
  'address', 'addresses', 'advancedNetworking', 'cidr', 'cidrBlocks', 'clusterName', 'controlPlaneVIP', 'enableBGPIPv4', 'enableBGPIPv6',
  'flatIPv4', 'floatingIPs', 'ingressVIP', 'localASN', 'maxPodsPerNode', 'peerASN', 'peerIP', 'perNodeMaskSize', 'sessions',
]);
