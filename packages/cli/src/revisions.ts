/** The `revisions` policies of the gate against a git revision, for render and the Argo CD plugin. */
import { readFileItems, type KubeObject, type Result } from '@flatnet/krm';
import { CATALOG } from '../../../functions/validate-flat-network/src/catalog';
import { validateConfigSpec } from '../../../functions/validate-flat-network/src/config';
import { validateFlatNetwork } from '../../../functions/validate-flat-network/src/validate';
import { readBase } from './git';

const REVISION_POLICIES = new Set(CATALOG.filter((p) => p.category === 'revisions').map((p) => p.id));

/** Rendered items against the package's files at `rev` (read with git from `dir`). */
export function revisionFindings(items: readonly KubeObject[], rev: string, dir: string, today: () => string): Result[] {
  const base = readBase(rev, ['.'], dir).flatMap((f) => readFileItems(f.path, f.text, { skipNonKrm: true }));
  const config = validateConfigSpec(today).defaults({});
  return validateFlatNetwork(items, { params: config.params, disable: new Set(), severity: {}, failOnWarnings: false, only: REVISION_POLICIES, base }).filter(
    (r) => r.severity !== 'info' || r.tags?.policy === 'FLAT-REV-003',
  );
}
