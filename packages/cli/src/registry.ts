// Every function flatnet ships, by name: the CLI's `flatnet fn <name>` and the pipeline use this.
import type { KrmFunction } from '@flatnet/krm';
import { expandClusterCidrFunction } from '../../../functions/expand-cluster-cidr/src/function';
import { generateFlatNetworkFunction } from '../../../functions/generate-flat-network/src/function';
import { injectPeerLabelsFunction } from '../../../functions/inject-peer-labels/src/function';
import { setClusterNamespaceFunction } from '../../../functions/set-cluster-namespace/src/function';
import { validateFlatNetworkFunction } from '../../../functions/validate-flat-network/src/function';

// Each function has its own config type; the registry only needs the common shape (`any` on purpose).
export type AnyFunction = KrmFunction<any>;
export const FUNCTIONS: ReadonlyMap<string, AnyFunction> = new Map<string, AnyFunction>([
  [expandClusterCidrFunction.name, expandClusterCidrFunction],
  [generateFlatNetworkFunction.name, generateFlatNetworkFunction],
  [injectPeerLabelsFunction.name, injectPeerLabelsFunction],
  [setClusterNamespaceFunction.name, setClusterNamespaceFunction],
  [validateFlatNetworkFunction.name, validateFlatNetworkFunction],
]);
