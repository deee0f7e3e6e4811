import type { Check } from './types';

export const CLUSTER_NETWORK_CHECKS: Record<string, Check> = {};
