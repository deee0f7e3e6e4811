/** The policy catalog, generated from policies/ by scripts/gen-policies.mjs (`npm run gen`). */
import type { Severity } from '@flatnet/krm';
import catalogJson from './generated/catalog.json';

export interface ParameterMeta {
  name: string;
  type: string;
  default: unknown;
  description: string;
}

export interface PolicyMeta {
  id: string;
  name: string;
  title: string;
  category: string;
  severity: Severity;
  version: number;
  description: string;
  reason: string;
  source: string;
  confidence: string;
  remedy: string;
  parameters: ParameterMeta[];
  /** Anchor in docs/policies.md. */
  anchor: string;
}

export const CATALOG: readonly PolicyMeta[] = catalogJson as PolicyMeta[];
export const POLICY_BY_ID: ReadonlyMap<string, PolicyMeta> = new Map(CATALOG.map((p) => [p.id, p]));

/** Where a result's `tags.docs` points. */
export const DOCS_BASE = 'docs/policies.md';
