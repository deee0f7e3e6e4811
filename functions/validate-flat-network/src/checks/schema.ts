import type { Check } from './types';

export const SCHEMA_CHECKS: Record<string, Check> = {};
