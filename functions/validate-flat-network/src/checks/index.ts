/** Every policy's check, by policy id, one module per area. A test holds this and the catalog in step. */
import { ADDRESSES_BGP_CHECKS } from './addresses-bgp';
import { CANONICAL_CHECKS } from './canonical';
import { CLUSTER_NETWORK_CHECKS } from './cluster-network';
import { NAME_CHECKS } from './names';
import { PLACEMENT_CHECKS } from './placement';
import { REVISION_CHECKS } from './revisions';
import { SCHEMA_CHECKS } from './schema';
import type { Check } from './types';
import { WAIVER_CHECKS } from './waivers';
import { YAML11_CHECKS } from './yaml11';

export const CHECKS: Readonly<Record<string, Check>> = {
  ...NAME_CHECKS,
  ...WAIVER_CHECKS,
  ...SCHEMA_CHECKS,
  ...PLACEMENT_CHECKS,
  ...CLUSTER_NETWORK_CHECKS,
  ...ADDRESSES_BGP_CHECKS,
  ...REVISION_CHECKS,
  ...CANONICAL_CHECKS,
  ...YAML11_CHECKS,
};

export type { Check, CheckContext, Finding, Params } from './types';
