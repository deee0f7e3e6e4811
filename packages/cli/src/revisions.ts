/** The `revisions` policies of the gate against a git revision, for render and the Argo CD plugin. */
import { KrmInputError, inputDetail, readFileItems, type KubeObject, type Result } from '@flatnet/krm';
import { CATALOG } from '../../../functions/validate-flat-network/src/catalog';
import { validateConfigSpec } from '../../../functions/validate-flat-network/src/config';
import { validateFlatNetwork } from '../../../functions/validate-flat-network/src/validate';
import { quote } from '@flatnet/fs';
import { readBase } from './git';

const REVISION_POLICIES = new Set(CATALOG.filter((p) => p.category === 'revisions').map((p) => p.id));

/**
 * Rendered items against the package's files at `rev` (read with git from `dir`). A file of `rev`
 * that cannot be read is said (info) and its objects are not compared: what it held is unknown.
 */
export function revisionFindings(items: readonly KubeObject[], rev: string, dir: string, today: () => string): Result[] {
  const base: KubeObject[] = [];
  const notes: Result[] = [];
  for (const f of readBase(rev, ['.'], dir)) {
    try {
      if (typeof f.text !== 'string') throw f.text;
      for (const item of readFileItems(f.path, f.text, { skipNonKrm: true })) base.push(item);
    } catch (e) {
      if (!(e instanceof KrmInputError)) throw e;
      notes.push({ severity: 'info', message: `at base ${quote(rev)} this file cannot be read (${inputDetail(e, f.path).message}): its objects there are not compared`, file: { path: f.path } });
    }
  }
  const config = validateConfigSpec(today).defaults({});
  return [
    ...notes,
    ...validateFlatNetwork(items, { params: config.params, disable: new Set(), severity: {}, failOnWarnings: false, only: REVISION_POLICIES, base }).filter(
      (r) => r.severity !== 'info' || r.tags?.policy === 'FLAT-REV-003',
    ),
  ];
}
