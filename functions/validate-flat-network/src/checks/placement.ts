import type { Check } from './types';

export const PLACEMENT_CHECKS: Record<string, Check> = {};
