import type { Check } from './types';

export const ADDRESSES_BGP_CHECKS: Record<string, Check> = {};
