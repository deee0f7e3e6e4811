import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LIMITS } from '@flatnet/krm';
import { runCheck } from '../src/check';

const SEED = readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'seeds', 'ipv4-flat.yaml'), 'utf8');
const PEERS_AT = SEED.indexOf('---\napiVersion: networking.gke.io/v1\nkind: BGPPeer');
/** The seed in two files: without peers.yaml the cluster has no BGPPeer (FLAT-CLU-004). */
const CLUSTER = SEED.slice(0, PEERS_AT);
const PEERS = SEED.slice(PEERS_AT + 4);
const BAD = SEED.replace('name: default\n  namespace: cluster-bm           #', 'name: gw\n  namespace: cluster-bm           #');

const env = (cwd: string) => ({ cwd, version: 't', today: () => '2026-06-01' });
const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

/** A repository with `files` committed. */
function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'flatnet-staged-'));
  git(dir, 'init', '-q', '-b', 'main');
  write(dir, files);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'first');
  return dir;
}

const policies = (stdout: string): string[] => (JSON.parse(stdout) as { results: Array<{ tags?: { policy: string } }> }).results.map((r) => r.tags?.policy ?? '');

describe('flatnet check --staged', () => {
  it('judges a staged deletion that the hook never saw as a changed file', () => {
    const dir = repo({ 'bm/cluster.yaml': CLUSTER, 'bm/peers.yaml': PEERS });
    expect(runCheck(['--staged'], env(dir)).exitCode).toBe(0);
    git(dir, 'rm', '-q', 'bm/peers.yaml');
    const out = runCheck(['--staged', '--base', 'HEAD', '--base-optional', '-f', 'json'], env(dir));
    expect(out.exitCode).toBe(1);
    expect(policies(out.stdout)).toContain('FLAT-CLU-004');
  });

  it('ignores untracked, ignored and unstaged files: the index decides', () => {
    const dir = repo({ 'bm/cluster.yaml': CLUSTER, 'bm/peers.yaml': PEERS, '.gitignore': 'scratch/\n' });
    // Untracked and ignored bad files do not block; an unstaged breakage of a tracked file neither.
    write(dir, { 'new.yaml': BAD, 'scratch/x.yaml': BAD });
    writeFileSync(join(dir, 'bm/peers.yaml'), 'not: [valid');
    const ok = runCheck(['--staged'], env(dir));
    expect(ok).toMatchObject({ exitCode: 0, stderr: '' });
    expect(ok.stdout).toContain('in 2 files (7 resources checked)');
    // The working tree says otherwise: the walk reads the broken and the untracked files.
    expect(runCheck([], env(dir)).exitCode).not.toBe(0);
  });

  it('does not let an untracked fix hide a bad staged file', () => {
    const dir = repo({ 'bm/cluster.yaml': CLUSTER, 'bm/peers.yaml': PEERS });
    git(dir, 'rm', '-q', 'bm/peers.yaml');
    write(dir, { 'bm/peers-fixed.yaml': PEERS });
    expect(runCheck([], env(dir)).exitCode).toBe(0);
    expect(runCheck(['--staged'], env(dir)).exitCode).toBe(1);
  });

  it('picks files as the working-tree walk does, under the named paths, with paths relative to cwd', () => {
    const files = {
      'a/gw.yaml': BAD,
      'a/Kptfile': 'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: a\n',
      'a/notes.txt': 'x',
      'a/.hidden/x.yaml': BAD,
      'a/node_modules/x.yaml': BAD,
      'a/deep/y.yml': 'k: v\n',
      'b/z.yaml': BAD,
      '.github/ci.yaml': 'x: 1\n',
    };
    const dir = repo(files);
    const shown = (cwd: string, ...args: string[]) =>
      new Set((JSON.parse(runCheck([...args, '--staged', '-f', 'json'], env(cwd)).stdout) as { results: Array<{ file?: { path: string } }> }).results.map((r) => r.file?.path));
    expect(shown(dir, 'a')).toEqual(new Set(['a/gw.yaml']));
    expect(shown(join(dir, 'a'), '.')).toEqual(new Set(['gw.yaml']));
    // Outside cwd, shown absolute, as the walk shows them.
    expect(shown(join(dir, 'a'), '../b')).toEqual(new Set([join(dir, 'b', 'z.yaml')]));
    // The same files and the same report as the walk, whatever the mode.
    for (const args of [[], ['a'], ['a/.hidden'], ['a/notes.txt', 'b']]) {
      const walk = runCheck([...args, '-f', 'json'], env(dir));
      const staged = runCheck([...args, '-f', 'json', '--staged'], env(dir));
      expect(staged).toEqual(walk);
    }
  });

  it('reads names that are patterns or options to git as plain names', () => {
    const dir = repo({ '*.yaml': BAD, '-x.yaml': SEED, ':(exclude)y.yaml': SEED.replace(/cluster-bm/g, 'cluster-y'), 'a b\nc.yaml': 'k: v\n' });
    const files = (...args: string[]) => JSON.parse(runCheck(['--staged', '-f', 'json', ...args], env(dir)).stdout).summary.files;
    expect(files()).toBe(4);
    expect(files('--', '-x.yaml')).toBe(1);
    expect(files('--', '*.yaml')).toBe(1);
    expect(files(':(exclude)y.yaml')).toBe(1);
    expect(files('a b\nc.yaml')).toBe(1);
  });

  it('reports symbolic links as not checked, and skips submodules', () => {
    const dir = repo({ 'bm/cluster.yaml': CLUSTER, 'bm/peers.yaml': PEERS });
    symlinkSync('peers.yaml', join(dir, 'bm/link.yaml'));
    const sub = repo({ 'x.yaml': BAD });
    git(dir, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', sub, 'sub.yaml');
    git(dir, 'add', '-A');
    const out = runCheck(['--staged', '-f', 'json'], env(dir));
    expect(out.exitCode).toBe(0);
    const json = JSON.parse(out.stdout) as { summary: { files: number }; results: Array<{ severity: string; message: string }> };
    expect(json.summary.files).toBe(2);
    expect(json.results).toEqual([{ severity: 'info', message: 'symbolic link "bm/link.yaml" is not checked: the commit records the link, not a manifest; its target is checked where it is staged' }]);
  });

  it('reads --config from the index when it is in the repository', () => {
    const cfg = 'apiVersion: fn.flatnet.dev/v1alpha1\nkind: ValidateFlatNetwork\nmetadata:\n  name: gate\nseverity:\n  FLAT-NGG-001: warning\n';
    const dir = repo({ 'bm.yaml': BAD, 'cfg/gate.yaml': cfg });
    // An unstaged waiver does not let the commit through.
    writeFileSync(join(dir, 'cfg/gate.yaml'), cfg.replace('warning', 'info'));
    expect(runCheck(['bm.yaml', '--staged', '-c', 'cfg/gate.yaml'], env(dir)).stdout).toContain('0 errors, 1 warning');
    expect(runCheck(['bm.yaml', '-c', 'cfg/gate.yaml'], env(dir)).stdout).toContain('0 errors, 0 warnings, 1 info');
    write(dir, { 'cfg/untracked.yaml': cfg });
    const untracked = runCheck(['bm.yaml', '--staged', '-c', 'cfg/untracked.yaml'], env(dir));
    expect(untracked).toMatchObject({ exitCode: 2, stderr: expect.stringContaining('--config "cfg/untracked.yaml" must be a file staged in git\'s index with --staged') });
    // Outside the repository, it is read from disk.
    const outside = join(mkdtempSync(join(tmpdir(), 'flatnet-cfg-')), 'gate.yaml');
    writeFileSync(outside, cfg);
    expect(runCheck(['bm.yaml', '--staged', '-c', outside], env(dir)).stdout).toContain('0 errors, 1 warning');
  });

  it.each([
    ['a path git does not know', ['nope.yaml'], /"nope.yaml" is not in git's index: stage it with `git add`, or name a staged path/],
    ['a path outside the repository', ['..'], /"\.\." is outside the git repository ".*": name paths inside it/],
  ])('exits 2 on %s', (_what, args, message) => {
    const dir = repo({ 'bm.yaml': SEED });
    const out = runCheck([...args, '--staged'], env(dir));
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toMatch(message);
  });

  it('quotes file names on one line in its errors', () => {
    const dir = repo({ 'bm.yaml': SEED });
    writeFileSync(join(dir, 'a\n::error::b.yaml'), Buffer.from([0x6b, 0x3a, 0x20, 0xe9, 0x0a]));
    git(dir, 'add', '-A');
    // An unreadable staged file is a finding in the report, its name escaped there.
    const out = runCheck(['--staged'], env(dir));
    expect(out).toMatchObject({ exitCode: 1, stderr: '' });
    expect(out.stdout).toContain('a\\n::error::b.yaml\n  -        error    FLAT-INP-001  a\\n::error::b.yaml is not valid UTF-8\n');
    expect(runCheck(['--staged', 'x\n::error::y'], env(dir)).stderr).toMatch(/^flatnet check: "x\\n::error::y" is not in git's index: [^\n]*\n[^:]/);
  });

  it('exits 2 outside a git repository, saying what to do', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flatnet-nogit-'));
    write(dir, { 'bm.yaml': SEED });
    const out = runCheck(['--staged'], { ...env(dir) });
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toMatch(/^flatnet check: --staged reads git's index, and ".*" is not in a git repository: run it in the repository, or leave out --staged to check the working tree\n/);
  });

  it('exits 2 on unresolved merge conflicts', () => {
    const dir = repo({ 'bm.yaml': SEED });
    git(dir, 'checkout', '-q', '-b', 'other');
    writeFileSync(join(dir, 'bm.yaml'), SEED.replace('10.0.1.100', '10.0.1.101'));
    git(dir, 'commit', '-qam', 'other');
    git(dir, 'checkout', '-q', 'main');
    writeFileSync(join(dir, 'bm.yaml'), SEED.replace('10.0.1.100', '10.0.1.102'));
    git(dir, 'commit', '-qam', 'main');
    spawnSync('git', ['merge', 'other'], { cwd: dir, stdio: 'ignore' });
    const out = runCheck(['--staged'], env(dir));
    expect(out).toMatchObject({ exitCode: 2, stderr: expect.stringContaining('"bm.yaml" has unresolved merge conflicts: resolve them and `git add` it') });
  });

  it('reads intent-to-add files (`git add -N`) as empty, as the commit leaves them out', () => {
    const dir = repo({ 'bm.yaml': SEED });
    write(dir, { 'later.yaml': BAD });
    git(dir, 'add', '-N', 'later.yaml');
    expect(runCheck(['--staged'], env(dir)).exitCode).toBe(0);
  });

  it('reports invalid UTF-8 and files over the size limit as findings naming them, and checks the rest', () => {
    const dir = repo({ 'bm.yaml': SEED });
    writeFileSync(join(dir, 'latin1.yaml'), Buffer.from([0x6b, 0x3a, 0x20, 0xe9, 0x0a]));
    git(dir, 'add', '-A');
    const out = runCheck(['--staged', '-f', 'json'], env(dir));
    expect(out.exitCode).toBe(1);
    const json = JSON.parse(out.stdout) as { summary: { resources: number }; results: Array<{ message: string; tags: { policy: string } }> };
    expect(json.results.map((r) => [r.tags.policy, r.message])).toEqual([['FLAT-INP-001', 'latin1.yaml is not valid UTF-8']]);
    expect(json.summary.resources).toBe(7);
    rmSync(join(dir, 'latin1.yaml'));
    write(dir, { 'small.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: cluster-bm\n' });
    git(dir, 'add', '-A');
    const limits = LIMITS as { maxInputBytes: number };
    const saved = limits.maxInputBytes;
    limits.maxInputBytes = 100;
    try {
      const big = JSON.parse(runCheck(['--staged', '-f', 'json'], env(dir)).stdout) as typeof json;
      expect(big.results).toEqual([expect.objectContaining({ message: expect.stringMatching(/^bm\.yaml is .* MiB: flatnet reads at most .* MiB at once; split it$/), tags: expect.objectContaining({ policy: 'FLAT-INP-002' }) })]);
      expect(big.summary.resources).toBe(1);
    } finally {
      limits.maxInputBytes = saved;
    }
  });
});
