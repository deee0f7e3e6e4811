import type { KrmFunction } from '@flatnet/krm';
import { configSpec, type InjectPeerLabelsConfig } from './config';
import { injectPeerLabels } from './inject-peer-labels';

export const injectPeerLabelsFunction: KrmFunction<InjectPeerLabelsConfig> = {
  name: 'inject-peer-labels',
  kind: 'mutator',
  description: "labels the flat-mode BGPPeers with every label of their FlatIPMode's `spec.peerSelector`",
  config: configSpec,
  process: (list, config) => injectPeerLabels(list, config),
};
