/**
 * The suites of the input findings (policies/input, FLAT-INP-*): each sample is checked with
 * `flatnet check` on its own — its samples need not parse, which is the point — and each case
 * says how many findings of that id it yields, on which lines, and what they say. Like the
 * policy suites: a folder with no suite, a sample no case uses, or a catalog entry with no folder
 * fails.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { INPUT_CATALOG, runCheck } from '../../packages/cli/src/check';
import { CATALOG } from '../../functions/validate-flat-network/src/catalog';

const INPUT = join(__dirname, '..', '..', 'policies', 'input');

interface InputCase {
  sample: string;
  /** The sample is replaced, in the copy, by a symbolic link to this path (relative to the sample's folder). */
  linkTo?: string;
  violations: number;
  lines?: number[];
  messages?: string[];
}

interface Found {
  severity: string;
  message: string;
  line?: number;
  file?: { path: string };
  tags?: { policy: string };
}

const dirs = readdirSync(INPUT).sort();
const meta = (dir: string) => parse(readFileSync(join(INPUT, dir, `${dir}.yaml`), 'utf8')) as { id: string; severity: string };

describe('input findings catalog', () => {
  it('has one folder per input finding, and none among the validator policies', () => {
    expect(dirs.map((d) => meta(d).id).sort()).toEqual(INPUT_CATALOG.map((p) => p.id).sort());
    expect(CATALOG.filter((p) => p.id.startsWith('FLAT-INP-'))).toEqual([]);
  });
});

describe.each(dirs)('input finding %s', (dir) => {
  const folder = join(INPUT, dir);
  const { id, severity } = meta(dir);
  const suitePath = join(folder, 'suite.yaml');
  it('has a suite', () => expect(existsSync(suitePath)).toBe(true));
  if (!existsSync(suitePath)) return;
  const cases = (parse(readFileSync(suitePath, 'utf8')) as { cases: InputCase[] }).cases ?? [];

  it('uses every sample, and has allowed and disallowed ones', () => {
    const samples = readdirSync(join(folder, 'samples')).sort();
    const used = new Set(cases.map((c) => c.sample.replace(/^samples\//, '')));
    expect(samples.filter((s) => !used.has(s))).toEqual([]);
    expect(samples.some((s) => s.startsWith('allowed-'))).toBe(true);
    expect(samples.some((s) => s.startsWith('disallowed-'))).toBe(true);
    for (const c of cases) expect({ sample: c.sample, violations: c.violations > 0 }).toEqual({ sample: c.sample, violations: c.sample.includes('disallowed-') });
  });

  it.each(cases.map((c) => [c.sample, c] as const))('%s', (_s, c) => {
    // A copy: a case may replace its sample with a link, and nothing may be written beside the repository's files.
    const top = mkdtempSync(join(tmpdir(), 'flatnet-input-suite-'));
    try {
      // The sample alone in a folder, checked as a directory walk finds it.
      const copy = join(top, 'suite');
      mkdirSync(join(copy, 'samples'), { recursive: true });
      writeFileSync(join(top, 'outside.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: outside\n');
      if (c.linkTo !== undefined) symlinkSync(c.linkTo, join(copy, c.sample));
      else copyFileSync(join(folder, c.sample), join(copy, c.sample));
      const started = Date.now();
      const out = runCheck(['samples', '-f', 'json'], { cwd: copy, version: 't', today: () => '2026-06-01' });
      expect(Date.now() - started).toBeLessThan(5000);
      expect([0, 1]).toContain(out.exitCode);
      const results = (JSON.parse(out.stdout) as { results: Found[] }).results;
      const mine = results.filter((r) => r.tags?.policy === id);
      expect(mine).toHaveLength(c.violations);
      // An input finding stands for the file: no other finding comes from it.
      if (c.violations > 0 && severity === 'error') expect(results.filter((r) => r.tags?.policy !== id)).toEqual([]);
      if (c.lines) expect(mine.map((r) => r.line)).toEqual(c.lines);
      for (const m of c.messages ?? []) expect(mine.map((r) => r.message)).toContainEqual(expect.stringContaining(m));
      for (const r of mine) {
        expect(r.severity).toBe(severity);
        expect(r.file?.path).toBe(c.sample);
      }
    } finally {
      rmSync(top, { recursive: true, force: true });
    }
  });
});
