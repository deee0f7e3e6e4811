/** Shared helpers of the end-to-end tests, which run the built bundles exactly as users do. */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const DIST = join(ROOT, 'dist');

/** Fails clearly when the bundles are missing: `npm test` builds them first. */
export function requireDist(): void {
  if (!existsSync(join(DIST, 'flatnet.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it) before the e2e tests');
}

let kptChecked: boolean | undefined;
/** True when `kpt` runs here; otherwise says so loudly, once per test file. */
export function kptAvailable(): boolean {
  if (kptChecked === undefined) {
    const r = spawnSync('kpt', ['version'], { encoding: 'utf8' });
    kptChecked = r.status === 0;
    if (!kptChecked) {
      const line = '!'.repeat(78);
      console.warn(`${line}\n!! kpt is not installed on this machine: the kpt end-to-end tests are SKIPPED.\n!! Install kpt (1.0.0-beta) to run them.\n${line}`);
    }
  }
  return kptChecked;
}

export function kpt(args: string[], cwd = ROOT): SpawnSyncReturns<string> {
  return spawnSync('kpt', args, { cwd, encoding: 'utf8', timeout: 120_000 });
}

/** Every file below `dir` (relative path -> content), skipping `.expected`. */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const n of readdirSync(d).sort()) {
      if (n === '.expected') continue;
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

/** A copy of a package in a fresh temp dir, without its `.expected` folder. */
export function copyPackage(src: string): string {
  const dest = join(mkdtempSync(join(tmpdir(), 'flatnet-e2e-')), 'pkg');
  cpSync(src, dest, { recursive: true, filter: (s) => !s.includes(`${'/'}.expected`) });
  return dest;
}

/** Example kpt packages: every folder with a Kptfile under functions/<fn>/examples/ and examples/. */
export function examplePackages(): string[] {
  const found: string[] = [];
  const fnRoot = join(ROOT, 'functions');
  for (const fn of readdirSync(fnRoot).sort()) {
    const ex = join(fnRoot, fn, 'examples');
    if (!existsSync(ex)) continue;
    for (const n of readdirSync(ex).sort()) if (existsSync(join(ex, n, 'Kptfile'))) found.push(join(ex, n));
  }
  const top = join(ROOT, 'examples');
  if (existsSync(top)) for (const n of readdirSync(top).sort()) if (existsSync(join(top, n, 'Kptfile'))) found.push(join(top, n));
  return found;
}

export const UPDATE = process.env.FLATNET_UPDATE_GOLDENS === '1';

/**
 * A package snapshot without the `status:` block kpt v1.0.0-beta.62 and later write into the root
 * Kptfile on every in-place render (kpt PR #4418, a `Rendered` condition). flatnet render does not
 * write it (a render that changes nothing must write nothing), and goldens must not depend on the
 * kpt version: compared without it.
 */
export function withoutRenderStatus(snap: Map<string, string>): Map<string, string> {
  const out = new Map(snap);
  for (const key of ['Kptfile', 'Kptfile.expected']) {
    const text = out.get(key);
    if (text === undefined) continue;
    const at = text.search(/^status:/m);
    if (at >= 0) out.set(key, text.slice(0, at));
  }
  return out;
}
