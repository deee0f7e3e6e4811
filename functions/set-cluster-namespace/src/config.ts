import { FN_CONFIG_API_VERSION, explainFormat, validators, type FnSetClusterNamespace } from '@flatnet/api';
import type { ConfigSpec } from '@flatnet/krm';

/** `SetClusterNamespace` (fn.flatnet.dev/v1alpha1); schema: packages/api/schemas/fn/set-cluster-namespace.schema.json. */
export interface SetClusterNamespaceConfig {
  /** Owner of resources whose Cluster cannot be worked out from the package. */
  cluster?: string;
  /** Their namespace when the package holds no such Cluster (default `cluster-<cluster>`). */
  namespace?: string;
  /** Name unnamed NetworkGatewayGroups and FlatIPModes `default`. */
  nameSingletons: boolean;
}

export const configSpec: ConfigSpec<SetClusterNamespaceConfig, FnSetClusterNamespace> = {
  apiVersion: FN_CONFIG_API_VERSION,
  kind: 'SetClusterNamespace',
  validate: validators.fnSetClusterNamespace,
  explainFormat,
  configMapFields: { cluster: 'string', namespace: 'string', nameSingletons: 'boolean' },
  defaults(raw: FnSetClusterNamespace): SetClusterNamespaceConfig {
    const config: SetClusterNamespaceConfig = { nameSingletons: raw.nameSingletons !== false };
    if (typeof raw.cluster === 'string') config.cluster = raw.cluster;
    if (typeof raw.namespace === 'string') config.namespace = raw.namespace;
    return config;
  },
  check(config) {
    return config.namespace !== undefined && config.cluster === undefined
      ? [{ path: 'namespace', message: '`namespace` needs `cluster`: name the Cluster whose namespace it is' }]
      : [];
  },
};
