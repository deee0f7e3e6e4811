import type { KrmFunction } from '@flatnet/krm';
import { configSpec } from './config';
import { generateFlatNetwork, type GenerateConfig } from './generate-flat-network';

export const generateFlatNetworkFunction: KrmFunction<GenerateConfig> = {
  name: 'generate-flat-network',
  kind: 'generator',
  description: 'turns FlatNetwork intents into NetworkGatewayGroup, FlatIPMode, BGPPeers and ClusterCIDRConfigs, and aligns the Cluster',
  config: configSpec,
  process: (list, config) => generateFlatNetwork(list, config),
};
