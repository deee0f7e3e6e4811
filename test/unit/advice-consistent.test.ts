/**
 * No advice contradicts another policy: over every policy sample (with its suite's base and
 * parameters), each finding that proposes a value is applied alone, to a fresh copy, and the
 * whole gate runs again. No other policy may then report the same field of the same object: a
 * gate that tells users to write what it refuses next time is worse than silence (the case found:
 * FLAT-ADR-008 advising a new spelling of a range FLAT-REV-002 holds immutable).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { formatPath, readFileItems, type KubeObject } from '@flatnet/krm';
import { CATALOG } from '../../functions/validate-flat-network/src/catalog';
import { CHECKS, type Finding } from '../../functions/validate-flat-network/src/checks';
import { validateConfigSpec } from '../../functions/validate-flat-network/src/config';
import { buildFleet } from '../../functions/validate-flat-network/src/model';

const POLICIES = join(__dirname, '..', '..', 'policies');
const TODAY = '2026-06-01';

interface Case {
  dir: string;
  sample: string;
  base?: string;
  parameters?: Record<string, unknown>;
}

const cases: Case[] = readdirSync(POLICIES)
  // `input` holds the findings of reading files (input-suites.test.ts): they propose no value.
  .filter((c) => c !== 'input' && statSync(join(POLICIES, c)).isDirectory())
  .flatMap((c) => readdirSync(join(POLICIES, c)).map((n) => join(POLICIES, c, n)))
  .filter((d) => statSync(d).isDirectory())
  .sort()
  .flatMap((dir) => {
    const suite = parse(readFileSync(join(dir, 'suite.yaml'), 'utf8')) as { cases?: Omit<Case, 'dir'>[] };
    return (suite.cases ?? []).map((c) => ({ dir, sample: c.sample, ...(c.base ? { base: c.base } : {}), ...(c.parameters ? { parameters: c.parameters } : {}) }));
  });

function run(c: Case, items: readonly KubeObject[]): Array<{ policy: string; finding: Finding }> {
  const spec = validateConfigSpec(() => TODAY);
  const raw: Record<string, unknown> = { today: TODAY, ...(c.parameters ? { parameters: c.parameters } : {}) };
  const params = spec.defaults(raw).params;
  const base = c.base ? buildFleet(readFileItems(c.base, readFileSync(join(c.dir, c.base), 'utf8'))) : undefined;
  const ctx = { fleet: buildFleet(items), params, ...(base ? { base } : {}) };
  return CATALOG.flatMap((p) => CHECKS[p.id]!(ctx).map((finding) => ({ policy: p.id, finding })));
}

const read = (c: Case): KubeObject[] => readFileItems(c.sample, readFileSync(join(c.dir, c.sample), 'utf8'));

describe('advice is consistent', () => {
  it.each(cases.map((c) => [`${c.dir.slice(POLICIES.length + 1)} ${c.sample}${c.base ? ` (base ${c.base})` : ''}`, c] as const))('%s', (_name, c) => {
    const items = read(c);
    const before = run(c, items);
    const contradictions: string[] = [];
    for (const { policy, finding } of before) {
      if (finding.proposedValue === undefined || finding.path === undefined) continue;
      const index = items.indexOf(finding.obj);
      if (index < 0) continue;
      const fresh = read(c);
      fresh[index]!.set(finding.path, finding.proposedValue);
      const field = formatPath(finding.path);
      const at = (x: { finding: Finding }) => x.finding.obj === fresh[index] && x.finding.path !== undefined && formatPath(x.finding.path) === field;
      const was = new Set(before.filter((x) => x.finding.obj === finding.obj && x.finding.path !== undefined && formatPath(x.finding.path) === field).map((x) => x.policy));
      for (const after of run(c, fresh).filter(at)) {
        if (after.policy !== policy && !was.has(after.policy)) contradictions.push(`${policy} proposes ${JSON.stringify(finding.proposedValue)} at \`${field}\`, then ${after.policy}: ${after.finding.message}`);
      }
    }
    expect(contradictions).toEqual([]);
  });
});
