/**
 * The pre-commit gate for real: a throw-away git repository whose .pre-commit-config.yaml points
 * at this checkout (its committed HEAD, as pre-commit clones it), `pre-commit install`, then real
 * `git commit`s: a good configuration passes; the docs' peerSelector mismatch, and a flipped
 * flatIPv4 against HEAD, are refused with the finding printed. Both hook ids are used: the
 * `language: node` one (pre-commit installs flatnet from this repository with npm) and the
 * `language: system` twin (flatnet on PATH).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, requireDist, ROOT } from './support';

function havePreCommit(): boolean {
  if (spawnSync('pre-commit', ['--version']).status === 0) return true;
  if (process.getuid?.() === 0) {
    // Debian's package, as the project's machines allow (see .ci/run).
    spawnSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pre-commit'], { stdio: 'ignore', timeout: 300_000 });
  }
  const ok = spawnSync('pre-commit', ['--version']).status === 0;
  if (!ok) console.warn(`${'!'.repeat(78)}\n!! pre-commit is not installed and could not be: the pre-commit gate tests are SKIPPED.\n${'!'.repeat(78)}`);
  return ok;
}

const rootHead = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
const committed = rootHead.status === 0 && spawnSync('git', ['cat-file', '-e', 'HEAD:.pre-commit-hooks.yaml'], { cwd: ROOT }).status === 0;
const enabled = havePreCommit() && committed;
if (!committed) console.warn('!! this checkout has no commit with .pre-commit-hooks.yaml: the pre-commit gate tests are SKIPPED');
const maybe = enabled ? it : it.skip;

const SEED = readFileSync(join(ROOT, 'test', 'fixtures', 'seeds', 'ipv4-flat.yaml'), 'utf8');
const MISMATCH = readFileSync(join(ROOT, 'test', 'fixtures', 'seeds', 'peer-label-mismatch.yaml'), 'utf8');

interface Repo {
  dir: string;
  commit: (file: string, text: string) => { status: number | null; output: string };
  /** Undoes a refused change: the working tree back to HEAD. */
  reset: () => void;
}

function repo(hookId: string, env: NodeJS.ProcessEnv): Repo {
  const dir = mkdtempSync(join(tmpdir(), 'flatnet-precommit-'));
  const run = (cmd: string, ...args: string[]) => spawnSync(cmd, args, { cwd: dir, env, encoding: 'utf8', timeout: 600_000 });
  run('git', 'init', '-q', '-b', 'main');
  writeFileSync(join(dir, '.pre-commit-config.yaml'), `repos:\n- repo: ${ROOT}\n  rev: ${rootHead.stdout.trim()}\n  hooks:\n  - id: ${hookId}\n`);
  const install = run('pre-commit', 'install');
  if (install.status !== 0) throw new Error(`pre-commit install failed: ${install.stderr}`);
  return {
    dir,
    commit(file, text) {
      mkdirSync(join(dir, file, '..'), { recursive: true });
      writeFileSync(join(dir, file), text);
      run('git', 'add', '-A');
      const r = run('git', 'commit', '-m', `change ${file}`);
      return { status: r.status, output: `${r.stdout}${r.stderr}` };
    },
    reset() {
      run('git', 'reset', '-q', '--hard');
      run('git', 'clean', '-qfd');
    },
  };
}

const baseEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  PRE_COMMIT_HOME: mkdtempSync(join(tmpdir(), 'flatnet-pc-home-')),
  GIT_AUTHOR_NAME: 'test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
});

describe('pre-commit gate', () => {
  beforeAll(requireDist);

  maybe('language: node — a good configuration commits; the docs\' label mismatch is refused with the finding', () => {
    const { commit } = repo('flatnet-check', baseEnv());
    const good = commit('clusters/bm.yaml', SEED);
    expect({ status: good.status, output: good.status === 0 ? '' : good.output }).toEqual({ status: 0, output: '' });
    expect(good.output).toMatch(/flatnet check.*Passed/);
    const bad = commit('clusters/bm.yaml', MISMATCH);
    expect(bad.status).not.toBe(0);
    expect(bad.output).toMatch(/Failed/);
    expect(bad.output).toMatch(/FLAT-BGP-001 .*flatipmode-peer.*flatip-peer/);
  });

  maybe('language: system — a flipped flatIPv4 is refused against HEAD; a pod-range overlap too', () => {
    const bin = mkdtempSync(join(tmpdir(), 'flatnet-bin-'));
    symlinkSync(join(DIST, 'flatnet.js'), join(bin, 'flatnet'));
    const env = { ...baseEnv(), PATH: `${bin}:${process.env.PATH}` };
    const { commit, reset } = repo('flatnet-check-system', env);
    expect(commit('clusters/bm.yaml', SEED).status).toBe(0);
    const flipped = commit('clusters/bm.yaml', SEED.replace('flatIPv4: true', 'flatIPv4: false').replace('enableBGPIPv4: true', 'enableBGPIPv4: false'));
    expect(flipped.status).not.toBe(0);
    expect(flipped.output).toMatch(/FLAT-REV-001 .*`spec.clusterNetwork.flatIPv4` must not change after the cluster is created/);
    reset();
    // A second cluster that reuses bm's pod range: flat pod ranges must be unique in the fleet.
    const bm2 = SEED.replace(/cluster-bm/g, 'cluster-bm2').replace(/name: bm$/m, 'name: bm2').replace('clusterName: bm', 'clusterName: bm2').replace(/10\.0\./g, '10.9.');
    const overlap = commit('clusters/bm2.yaml', bm2);
    expect(overlap.status).not.toBe(0);
    expect(overlap.output).toMatch(/FLAT-FLT-001 .*"222.2.0.0\/16"/);
    reset();
    expect(commit('clusters/bm2.yaml', bm2.replace('222.2.0.0/16', '222.3.0.0/16')).status).toBe(0);
  });
});
