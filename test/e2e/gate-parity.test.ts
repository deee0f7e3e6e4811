/**
 * The gate gives the same findings whichever way it runs: validate-flat-network as a validator
 * under real `kpt fn render` (its --results-dir), and `flatnet check` on the same files.
 * Also: a failing render leaves every file of the package as it was.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { copyPackage, DIST, kpt, kptAvailable, requireDist, ROOT, snapshot } from './support';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'gate-failing');
const maybe = kptAvailable() ? it : it.skip;

interface R {
  message: string;
  severity?: string;
  file?: { path: string };
  field?: { path: string };
  tags?: Record<string, string>;
}
const key = (r: R) => [r.tags?.policy ?? '', r.severity ?? 'error', r.file?.path ?? '', r.field?.path ?? '', r.message].join(' | ');

describe('the gate under kpt and as flatnet check', () => {
  beforeAll(requireDist);

  maybe('reports the same findings, and a failing render changes no file', () => {
    const pkg = copyPackage(FIXTURE);
    const before = snapshot(pkg);
    const resultsDir = mkdtempSync(join(tmpdir(), 'flatnet-results-'));
    const render = kpt(['fn', 'render', '--allow-exec', '--results-dir', resultsDir, pkg]);
    expect(render.status).toBe(1);
    expect(snapshot(pkg)).toEqual(before);
    const kptResults = (parse(readFileSync(join(resultsDir, 'results.yaml'), 'utf8')) as { items: { results?: R[] }[] }).items.flatMap((i) => i.results ?? []);

    const check = spawnSync(join(DIST, 'flatnet.js'), ['check', '--format', 'json', '.'], { cwd: pkg, encoding: 'utf8' });
    expect(check.status).toBe(1);
    const ours = (JSON.parse(check.stdout) as { results: R[] }).results;

    expect(kptResults.length).toBeGreaterThan(1);
    expect(ours.map(key).sort()).toEqual(kptResults.map(key).sort());
    // The docs' own label mismatch is among them, naming both labels.
    expect(ours.find((r) => r.tags?.policy === 'FLAT-BGP-001')?.message).toMatch(/flatipmode-peer.*flatip-peer|flatip-peer.*flatipmode-peer/);
  });
});
