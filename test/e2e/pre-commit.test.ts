/**
 * The pre-commit gate for real: a throw-away git repository whose .pre-commit-config.yaml points
 * at this checkout (its committed HEAD, as pre-commit clones it), `pre-commit install`, then real
 * `git commit`s: a good configuration passes; the docs' peerSelector mismatch, and a flipped
 * flatIPv4 against HEAD, are refused with the finding printed. Both hook ids are used: the
 * `language: node` one (pre-commit installs flatnet from this repository with npm) and the
 * `language: system` twin (flatnet on PATH). The hook judges the commit (`--staged`, `always_run`):
 * a commit that only deletes a file is refused when the rest fails, untracked files neither block
 * nor hide anything, and `git commit -a` / `git commit PATH` are judged by git's temporary index.
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
// The seed in two files: without peers.yaml the flat-mode cluster has no BGPPeer (FLAT-CLU-004).
const PEERS_AT = SEED.indexOf('---\napiVersion: networking.gke.io/v1\nkind: BGPPeer');
const CLUSTER = SEED.slice(0, PEERS_AT);
const PEERS = SEED.slice(PEERS_AT + 4);
const NO_PEER = /FLAT-CLU-004 .*it has no BGPPeer/;

interface Outcome {
  status: number | null;
  output: string;
}

interface Repo {
  dir: string;
  /** Writes `file`, stages everything and commits. */
  commit: (file: string, text: string) => Outcome;
  /** Writes `file` and leaves it as it is (untracked, or a change not staged). */
  write: (file: string, text: string) => void;
  /** Runs git in the repository (`git commit` with the hook, `git rm`, `git add`). */
  git: (...args: string[]) => Outcome;
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
  const write = (file: string, text: string): void => {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  };
  const git = (...args: string[]): Outcome => {
    const r = run('git', ...args);
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  };
  return {
    dir,
    write,
    git,
    commit(file, text) {
      write(file, text);
      run('git', 'add', '-A');
      return git('commit', '-m', `change ${file}`);
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

// The node hook's environment (flatnet installed with npm) is made once for both node tests.
let nodeHome: string | undefined;
const nodeEnv = (): NodeJS.ProcessEnv => ({ ...baseEnv(), PRE_COMMIT_HOME: (nodeHome ??= mkdtempSync(join(tmpdir(), 'flatnet-pc-home-'))) });

describe('pre-commit gate', () => {
  beforeAll(requireDist);

  maybe('language: node — a good configuration commits; the docs\' label mismatch is refused with the finding', () => {
    const { commit } = repo('flatnet-check', nodeEnv());
    const good = commit('clusters/bm.yaml', SEED);
    expect({ status: good.status, output: good.status === 0 ? '' : good.output }).toEqual({ status: 0, output: '' });
    expect(good.output).toMatch(/flatnet check.*Passed/);
    const bad = commit('clusters/bm.yaml', MISMATCH);
    expect(bad.status).not.toBe(0);
    expect(bad.output).toMatch(/Failed/);
    expect(bad.output).toMatch(/FLAT-BGP-001 .*flatipmode-peer.*flatip-peer/);
  });

  maybe('language: node — a commit that only deletes a file runs the gate (always_run) and is refused', () => {
    const { commit, write, git } = repo('flatnet-check', nodeEnv());
    write('bm/cluster.yaml', CLUSTER);
    expect(commit('bm/peers.yaml', PEERS).status).toBe(0);
    git('rm', '-q', 'bm/peers.yaml');
    const removed = git('commit', '-m', 'remove the peers');
    expect(removed.status).not.toBe(0);
    expect(removed.output).toMatch(/flatnet check.*Failed/);
    expect(removed.output).toMatch(NO_PEER);
  });

  maybe('language: system — the commit is judged, not the working tree: deletions, untracked files, commit -a', () => {
    const bin = mkdtempSync(join(tmpdir(), 'flatnet-bin-'));
    symlinkSync(join(DIST, 'flatnet.js'), join(bin, 'flatnet'));
    const env = { ...baseEnv(), PATH: `${bin}:${process.env.PATH}` };
    const { commit, write, git, reset } = repo('flatnet-check-system', env);
    write('bm/cluster.yaml', CLUSTER);
    expect(commit('bm/peers.yaml', PEERS).status).toBe(0);

    // (a) Only a deletion staged: no staged file matches anything, the hook runs all the same.
    git('rm', '-q', 'bm/peers.yaml');
    const removed = git('commit', '-m', 'remove the peers');
    expect(removed.status).not.toBe(0);
    expect(removed.output).toMatch(NO_PEER);
    reset();

    // (b) An untracked bad file (a second cluster with bm's pod range) does not block a good commit.
    const copy = SEED.replace(/cluster-bm/g, 'cluster-copy').replace(/name: bm$/m, 'name: copy').replace('clusterName: bm', 'clusterName: copy');
    write('scratch/bm-copy.yaml', copy);
    write('bm/notes.yaml', '# BGP peers are the two ToR switches\n');
    git('add', 'bm/notes.yaml');
    const good = git('commit', '-m', 'notes');
    expect({ status: good.status, output: good.status === 0 ? '' : good.output }).toEqual({ status: 0, output: '' });
    expect(good.output).toMatch(/flatnet check.*Passed/);

    // (c) An untracked fix does not hide a bad staged change: the peers removed, a copy untracked.
    git('rm', '-q', 'bm/peers.yaml');
    write('bm/peers-fixed.yaml', PEERS);
    const hidden = git('commit', '-m', 'move the peers (forgot to add the new file)');
    expect(hidden.status).not.toBe(0);
    expect(hidden.output).toMatch(NO_PEER);
    reset();

    // git commit -a: git gives the hook a temporary index (GIT_INDEX_FILE); that is what is judged.
    write('bm/peers.yaml', PEERS.replace(/flatipmode-peer: "true"/g, 'flatip-peer: "true"'));
    const all = git('commit', '-a', '-m', 'relabel the peers');
    expect(all.status).not.toBe(0);
    expect(all.output).toMatch(/FLAT-BGP-001 .*flatipmode-peer/);
    // …and `git commit PATH` (a partial commit) another one; an untracked bad file stays out of it.
    write('scratch/bm-copy.yaml', copy);
    write('bm/peers.yaml', PEERS.replace('sessions: 2', 'sessions: 3'));
    const partial = git('commit', '-m', 'more sessions', 'bm/peers.yaml');
    expect({ status: partial.status, output: partial.status === 0 ? '' : partial.output }).toEqual({ status: 0, output: '' });
  });

  maybe('language: system — a flipped flatIPv4 is refused against HEAD; a pod-range overlap too', () => {
    const bin = mkdtempSync(join(tmpdir(), 'flatnet-bin-'));
    symlinkSync(join(DIST, 'flatnet.js'), join(bin, 'flatnet'));
    const env = { ...baseEnv(), PATH: `${bin}:${process.env.PATH}` };
    const { commit, git, reset } = repo('flatnet-check-system', env);
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
    // Deleting a cluster's file is refused (FLAT-REV-004); a tombstone says it is meant.
    git('rm', '-q', 'clusters/bm2.yaml');
    const gone = git('commit', '-m', 'drop bm2');
    expect(gone.status).not.toBe(0);
    expect(gone.output).toMatch(/FLAT-REV-004 .*Cluster "bm2" in namespace "cluster-bm2" is in the base revision and gone now/);
    reset();
    const tombstones = bm2
      .replace('222.2.0.0/16', '222.3.0.0/16')
      .split(/^---$/m)
      .filter((d) => /kind: (Cluster|NodePool)\n/.test(d))
      .map((d) => d.replace(/(  namespace: cluster-bm2[^\n]*\n)/, '$1  annotations:\n    config.kubernetes.io/local-config: "true"\n    flatnet.dev/tombstone: "decommissioned"\n'))
      .join('---');
    const meant = commit('clusters/bm2.yaml', tombstones);
    expect({ status: meant.status, output: meant.status === 0 ? '' : meant.output }).toEqual({ status: 0, output: '' });
  });
});
