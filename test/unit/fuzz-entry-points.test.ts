/**
 * Issue 8's guarantees for the entry points that work on packages and repositories, over
 * corrupted input (fixed seed; `npm run fuzz` runs many more): `flatnet render` in place, the
 * Argo CD `generate` command, and the pre-commit hook's exact command line in a git repository.
 *
 * - never a crash or a stack trace; exit 0, 1 or 2 with a worded last line on stderr;
 * - a failing render changes no byte of the package and leaves no temporary file;
 * - a succeeding render, run again, changes nothing; files flatnet did not write stay as they are;
 * - Argo CD generate never writes, and prints a non-empty stream or nothing at all;
 * - the same input gives the same bytes, whatever the order files are named in.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { runArgocd } from '../../packages/cli/src/argocd';
import { runCheck } from '../../packages/cli/src/check';
import { runRender } from '../../packages/cli/src/render';
import { clusterText, corrupt, corruption, fleetText, type Corruption } from '../fuzz/corrupt';
import { failOnProcessWarnings } from '../fuzz/no-warnings';
import { CHAIN, kptfile } from '../fuzz/kptfile';

const RUNS = Math.max(10, Math.round(Number(process.env.FLATNET_FUZZ_RUNS ?? 150) / 3));
const SEED = Number(process.env.FLATNET_FUZZ_SEED ?? 8);
const STACK = /\n\s+at .+:\d+:\d+/;
const today = (): string => '2026-06-01';

const KPTFILE = kptfile('fuzz', CHAIN, ['validate-flat-network']);

const INTENT = `# what the team writes
apiVersion: flatnet.dev/v1alpha1
kind: FlatNetwork
metadata:
  name: c9
  annotations:
    config.kubernetes.io/local-config: "true"
spec:
  cluster: c9
  shape: ipv4-flat
  floatingIPs: [10.9.0.100]
  localASN: 65109
  peers:
  - {name: tor-a, address: 10.9.0.253, asn: 65000}
  pods:
    ipv4: {cidr: 100.99.0.0/20, perNodeMaskSize: 24}
---
${clusterText(9, false).split('---\n')[0]}`;

const NOTES = '# notes for the team: nothing to apply here\n';

/** Every file under `dir` with its bytes (hidden ones too: a stray temporary file must show). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string): void => {
    for (const n of readdirSync(d).sort()) {
      if (n === '.git') continue;
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p, `${rel}${n}/`);
      else out[`${rel}${n}`] = readFileSync(p, 'latin1');
    }
  };
  walk(dir, '');
  return out;
}

/** A package of a corrupted fleet, a corrupted intent and a file of comments. */
const corruptedPackage = fc.record({
  fleet: fleetText,
  fleetHarm: fc.array(corruption, { minLength: 0, maxLength: 3 }),
  intentHarm: fc.array(corruption, { minLength: 0, maxLength: 2 }),
});

interface Harmed {
  fleet: string;
  fleetHarm: Corruption[];
  intentHarm: Corruption[];
}

function writePackage(dir: string, p: Harmed): void {
  for (const n of readdirSync(dir)) if (n !== '.git') rmSync(join(dir, n), { recursive: true, force: true });
  writeFileSync(join(dir, 'Kptfile'), KPTFILE);
  writeFileSync(join(dir, 'fleet.yaml'), p.fleetHarm.reduce((t, c) => corrupt(t, c), p.fleet));
  writeFileSync(join(dir, 'intent.yaml'), p.intentHarm.reduce((t, c) => corrupt(t, c), INTENT));
  writeFileSync(join(dir, 'notes.yaml'), NOTES);
}

/** `reportsOnStdout`: flatnet check's findings (exit 1) are its report, on stdout; only exit 2 words an error. */
function expectWorded(out: { exitCode: number; stderr: string }, reportsOnStdout = false): void {
  expect([0, 1, 2]).toContain(out.exitCode);
  expect(out.stderr).not.toMatch(STACK);
  expect(out.stderr).not.toMatch(/internal error/);
  if (out.exitCode === 2 || (out.exitCode === 1 && !reportsOnStdout)) expect(out.stderr.trim().split('\n').pop()).toMatch(/^flatnet( render| argocd| check)?: \S/);
}

failOnProcessWarnings();

describe('entry points over corrupted packages', () => {
  it('flatnet render: all or nothing, idempotent, never touching what it did not write', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flatnet-fuzz-render-'));
    let rendered = 0;
    fc.assert(
      fc.property(corruptedPackage, (p) => {
        writePackage(dir, p);
        const before = snapshot(dir);
        const out = runRender([dir], dir);
        expectWorded(out);
        const after = snapshot(dir);
        if (out.exitCode !== 0) {
          expect(after).toEqual(before);
          return;
        }
        rendered++;
        expect(after['notes.yaml']).toBe(NOTES);
        expect(Object.keys(after).filter((f) => f.includes('.tmp'))).toEqual([]);
        for (const f of Object.keys(before)) expect(after[f]).toBeDefined(); // nothing of theirs deleted
        const again = runRender([dir], dir);
        expect(again.exitCode).toBe(0);
        expect(again.stderr).toMatch(/no change\n$/);
        expect(snapshot(dir)).toEqual(after);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // Both paths are taken: renders that succeed (and write) as well as renders that fail.
    expect(rendered).toBeGreaterThan(RUNS / 10);
    expect(rendered).toBeLessThan(RUNS);
  });

  it('flatnet argocd generate: a stream or nothing, and the source directory untouched', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flatnet-fuzz-argocd-'));
    fc.assert(
      fc.property(corruptedPackage, (p) => {
        writePackage(dir, p);
        const before = snapshot(dir);
        const out = runArgocd(['generate'], dir, {}, today);
        expectWorded(out);
        expect(snapshot(dir)).toEqual(before);
        if (out.exitCode === 0) {
          // the header, then the first object (its own head comments and blank lines kept)
          expect(out.stdout).toMatch(/^((#.*)?\n)*apiVersion: /);
          expect(runArgocd(['generate'], dir, {}, today).stdout).toBe(out.stdout);
        } else expect(out.stdout).toBe('');
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('the pre-commit hook (flatnet check --staged --base HEAD --base-optional): a report, whatever the commit holds', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flatnet-fuzz-hook-'));
    const git = (...args: string[]): string =>
      execFileSync('git', ['-c', 'user.email=fuzz@example.com', '-c', 'user.name=fuzz', ...args], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    git('init', '-q');
    writePackage(dir, { fleet: clusterText(1, false), fleetHarm: [], intentHarm: [] });
    git('add', '-A');
    git('commit', '-qm', 'a valid fleet');
    fc.assert(
      fc.property(corruptedPackage, (p) => {
        writePackage(dir, p);
        git('add', '-A');
        const out = runCheck(['--staged', '--base', 'HEAD', '--base-optional', '--format', 'json'], { cwd: dir, version: 'fuzz', today });
        expectWorded(out, true);
        if (out.exitCode !== 2) expect(JSON.parse(out.stdout).tool).toBe('flatnet');
        // Everything staged: the index and the working tree hold the same files, so the same report.
        expect(runCheck(['--base', 'HEAD', '--base-optional', '--format', 'json'], { cwd: dir, version: 'fuzz', today })).toEqual(out);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('flatnet check: the same bytes whatever the order the files are named in', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flatnet-fuzz-order-'));
    fc.assert(
      fc.property(corruptedPackage, (p) => {
        writePackage(dir, p);
        const env = { cwd: dir, version: 'fuzz', today };
        const a = runCheck(['fleet.yaml', 'intent.yaml', 'notes.yaml'], env);
        const b = runCheck(['notes.yaml', 'intent.yaml', 'fleet.yaml'], env);
        expect(b).toEqual(a);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
