/**
 * Runs every policy's suite (after gatekeeper-library / Kyverno test suites): each case names a
 * sample, how many findings of that policy it yields, and what they say. A policy folder with no
 * suite, a sample no case uses, or a catalog entry with no check fails.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readFileItems } from '@flatnet/krm';
import { CATALOG } from '../../functions/validate-flat-network/src/catalog';
import { CHECKS } from '../../functions/validate-flat-network/src/checks';
import { validateConfigSpec } from '../../functions/validate-flat-network/src/config';
import { validateFlatNetwork } from '../../functions/validate-flat-network/src/validate';

const ROOT = join(__dirname, '..', '..');
const POLICIES = join(ROOT, 'policies');
/** Suites judge waivers against this date unless a case gives `today`. */
const SUITE_TODAY = '2026-06-01';

interface SuiteCase {
  sample: string;
  /** A previous revision to compare with (the `revisions` policies). */
  base?: string;
  violations: number;
  messages?: string[];
  parameters?: Record<string, unknown>;
  today?: string;
}

// Category `input` holds the findings of reading files, no policy of the validator: its suites
// run through `flatnet check` (input-suites.test.ts).
const dirs = readdirSync(POLICIES)
  .filter((c) => c !== 'input' && statSync(join(POLICIES, c)).isDirectory())
  .flatMap((c) => readdirSync(join(POLICIES, c)).map((n) => join(POLICIES, c, n)))
  .filter((d) => statSync(d).isDirectory())
  .sort();

const policyOf = (dir: string) => parse(readFileSync(join(dir, `${dir.split('/').pop()}.yaml`), 'utf8')) as { id: string };

describe('policy catalog', () => {
  it('has a check for every policy and a policy for every check', () => {
    expect(Object.keys(CHECKS).sort()).toEqual(CATALOG.map((p) => p.id).sort());
  });
  it('has one folder per catalogued policy', () => {
    expect(dirs.map((d) => policyOf(d).id).sort()).toEqual(CATALOG.map((p) => p.id).sort());
  });
});

describe.each(dirs.map((d) => [d.slice(POLICIES.length + 1), d]))('policy %s', (_name, dir) => {
  const suitePath = join(dir, 'suite.yaml');
  it('has a suite', () => {
    expect(existsSync(suitePath)).toBe(true);
  });
  if (!existsSync(suitePath)) return;
  const { id } = policyOf(dir);
  const cases = (parse(readFileSync(suitePath, 'utf8')) as { cases: SuiteCase[] }).cases ?? [];
  const samples = readdirSync(join(dir, 'samples')).sort();

  it('uses every sample, and has allowed and disallowed ones', () => {
    const used = new Set(cases.flatMap((c) => [c.sample, c.base ?? ''].map((s) => s.replace(/^samples\//, ''))));
    expect(samples.filter((s) => !/^(allowed|disallowed|base)-/.test(s))).toEqual([]);
    expect(samples.filter((s) => !used.has(s))).toEqual([]);
    expect(samples.some((s) => s.startsWith('allowed-'))).toBe(true);
    expect(samples.some((s) => s.startsWith('disallowed-'))).toBe(true);
    for (const c of cases) {
      if (c.sample.includes('disallowed-')) {
        // A disallowed sample may also be shown passing without the context it needs (no base).
        if (c.base !== undefined || !dir.includes('/revisions/')) expect({ sample: c.sample, violations: c.violations > 0 }).toEqual({ sample: c.sample, violations: true });
      } else expect({ sample: c.sample, violations: c.violations }).toEqual({ sample: c.sample, violations: 0 });
    }
  });

  it.each(cases.map((c) => [c.sample, c]))('%s', (_s, c) => {
    const file = join(dir, c.sample);
    const items = readFileItems(c.sample, readFileSync(file, 'utf8'));
    const raw: Record<string, unknown> = { today: c.today ?? SUITE_TODAY };
    if (c.parameters) raw.parameters = c.parameters;
    const spec = validateConfigSpec(() => SUITE_TODAY);
    expect(spec.validate(raw)).toBe(true);
    const config = spec.defaults(raw);
    const base = c.base ? readFileItems(c.base, readFileSync(join(dir, c.base), 'utf8')) : undefined;
    const results = validateFlatNetwork(items, { params: config.params, disable: new Set(), severity: {}, failOnWarnings: false, only: new Set([id]), ...(base ? { base } : {}) });
    const mine = results.filter((r) => r.tags?.policy === id);
    expect(mine.map((r) => r.message)).toHaveLength(c.violations);
    for (const m of c.messages ?? []) expect(mine.map((r) => r.message)).toContainEqual(expect.stringContaining(m));
    for (const r of mine) {
      // On the sample; or, for what the sample no longer holds (a removal), on the base object.
      expect([c.sample, ...(c.base ? [c.base] : [])]).toContain(r.file?.path);
      expect(r.tags?.docs).toMatch(/^docs\/policies\.md#flat-/);
    }
  });
});
