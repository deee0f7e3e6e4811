import type { KrmFunction } from '@flatnet/krm';
import { configSpec, type SetClusterNamespaceConfig } from './config';
import { setClusterNamespace } from './set-cluster-namespace';

export const setClusterNamespaceFunction: KrmFunction<SetClusterNamespaceConfig> = {
  name: 'set-cluster-namespace',
  kind: 'mutator',
  description: "gives flat-mode resources their Cluster's namespace and names singletons `default`",
  config: configSpec,
  process: (list, config) => setClusterNamespace(list, config),
};
