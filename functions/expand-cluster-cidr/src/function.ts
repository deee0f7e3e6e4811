import type { KrmFunction } from '@flatnet/krm';
import { configSpec, type ExpandClusterCidrConfig } from './config';
import { expandClusterCidr } from './expand-cluster-cidr';

export const expandClusterCidrFunction: KrmFunction<ExpandClusterCidrConfig> = {
  name: 'expand-cluster-cidr',
  kind: 'mutator',
  description: "carves a cluster's pod range into one ClusterCIDRConfig per node pool, sized from its nodes, never moving an existing one",
  config: configSpec,
  process: (list, config) => expandClusterCidr(list, config),
};
