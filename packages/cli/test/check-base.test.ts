import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCheck } from '../src/check';

const SEED = readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'seeds', 'ipv4-flat.yaml'), 'utf8');
const env = (cwd: string) => ({ cwd, version: 't', today: () => '2026-06-01' });
const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, stdio: 'pipe' });

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'flatnet-base-'));
  git(dir, 'init', '-q', '-b', 'main');
  return dir;
}

describe('flatnet check --base', () => {
  it('refuses a flipped flatIPv4 and a resized pod range against the previous commit', () => {
    const dir = repo();
    writeFileSync(join(dir, 'bm.yaml'), SEED);
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'cluster');
    writeFileSync(join(dir, 'bm.yaml'), SEED.replace('flatIPv4: true', 'flatIPv4: false').replace('enableBGPIPv4: true', 'enableBGPIPv4: false').replace('222.2.0.0/16', '222.2.0.0/17'));
    const out = runCheck(['--base', 'HEAD', '--format', 'json'], env(dir));
    expect(out.exitCode).toBe(1);
    const policies = (JSON.parse(out.stdout) as { results: Array<{ tags: { policy: string } }> }).results.map((r) => r.tags.policy);
    expect(policies).toEqual(expect.arrayContaining(['FLAT-REV-001', 'FLAT-REV-002']));
    // Without --base the same files have nothing to compare with.
    const plain = JSON.parse(runCheck(['--format', 'json'], env(dir)).stdout) as { results: Array<{ tags: { policy: string } }> };
    expect(plain.results.map((r) => r.tags.policy)).not.toContain('FLAT-REV-001');
  });

  it('refuses a cluster whose file was deleted, and lets a tombstone through', () => {
    const dir = repo();
    writeFileSync(join(dir, 'bm.yaml'), SEED);
    writeFileSync(join(dir, 'other.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: keep\n  namespace: x\n');
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'cluster');
    execFileSync('rm', [join(dir, 'bm.yaml')]);
    const gone = runCheck(['--base', 'HEAD'], env(dir));
    expect(gone.exitCode).toBe(1);
    expect(gone.stdout).toMatch(/FLAT-REV-004 +Cluster "bm" in namespace "cluster-bm" is in the base revision and gone now/);
    // The same removal, on purpose: the Cluster left behind as a tombstone.
    const tomb = SEED.split(/^---$/m).find((d) => d.includes('kind: Cluster\n'))!.replace(/(  namespace: cluster-bm\n)/, '$1  annotations:\n    config.kubernetes.io/local-config: "true"\n    flatnet.dev/tombstone: "decommissioned (CHG-1)"\n');
    writeFileSync(join(dir, 'bm.yaml'), tomb);
    const kept = runCheck(['--base', 'HEAD'], env(dir));
    expect(kept.stdout).not.toMatch(/FLAT-REV-004 +Cluster/);
  });

  it('reports a changed session set as info only', () => {
    const dir = repo();
    writeFileSync(join(dir, 'bm.yaml'), SEED);
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'cluster');
    writeFileSync(join(dir, 'bm.yaml'), SEED.replace('  - 10.0.3.100\n', '  - 10.0.3.100\n  - 10.0.1.101\n'));
    const out = runCheck(['--base', 'HEAD'], env(dir));
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toContain('FLAT-REV-003');
    expect(out.stdout).toContain('floating IPs added: 10.0.1.101');
  });

  it('says so (info) when a file of the base revision cannot be read, and compares the rest', () => {
    const dir = repo();
    writeFileSync(join(dir, 'bm.yaml'), SEED);
    writeFileSync(join(dir, 'chart.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}\n');
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'cluster and a template');
    writeFileSync(join(dir, 'chart.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: rendered\n');
    writeFileSync(join(dir, 'bm.yaml'), SEED.replace('flatIPv4: true', 'flatIPv4: false').replace('enableBGPIPv4: true', 'enableBGPIPv4: false'));
    const out = runCheck(['--base', 'HEAD', '--format', 'json'], env(dir));
    const results = (JSON.parse(out.stdout) as { results: Array<{ severity: string; message: string; file?: { path: string }; tags?: { policy: string } }> }).results;
    expect(results.map((r) => r.tags?.policy)).toContain('FLAT-REV-001');
    expect(results.filter((r) => r.file?.path === 'chart.yaml')).toEqual([
      { severity: 'info', message: expect.stringMatching(/^at --base "HEAD" this file cannot be read \(an unrendered template .*\): its objects there are not compared$/), file: { path: 'chart.yaml' } },
    ]);
  });

  it('with --base-optional, a repository with no commit yet is checked without comparison', () => {
    const dir = repo();
    writeFileSync(join(dir, 'bm.yaml'), SEED);
    expect(runCheck(['--base', 'HEAD', '--base-optional'], env(dir)).exitCode).toBe(0);
    const strict = runCheck(['--base', 'HEAD'], env(dir));
    expect(strict.exitCode).toBe(2);
    expect(strict.stderr).toContain('--base "HEAD" is not a commit of this repository');
  });

  it('needs a git repository', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flatnet-nogit-'));
    writeFileSync(join(dir, 'bm.yaml'), SEED);
    const out = runCheck(['--base', 'HEAD'], env(dir));
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toContain('a base revision needs the git history');
  });
});

describe('flatnet render --base', () => {
  it('refuses to write a render that flips flatIPv4 against the base revision, and lists session changes', () => {
    const { runRender } = require('../src/render') as typeof import('../src/render');
    const dir = repo();
    const kptfile = 'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: p\n  annotations:\n    config.kubernetes.io/local-config: "true"\npipeline:\n  mutators:\n  - exec: ./dist/fn/set-cluster-namespace.js\n';
    writeFileSync(join(dir, 'Kptfile'), kptfile);
    writeFileSync(join(dir, 'bm.yaml'), SEED);
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'cluster');
    const flipped = SEED.replace('flatIPv4: true', 'flatIPv4: false');
    writeFileSync(join(dir, 'bm.yaml'), flipped);
    const out = runRender([dir, '--base', 'HEAD'], dir);
    expect(out.exitCode).toBe(1);
    expect(out.stderr).toMatch(/\[FLAT-REV-001\] Cluster "bm": `spec.clusterNetwork.flatIPv4` must not change/);
    expect(readFileSync(join(dir, 'bm.yaml'), 'utf8')).toBe(flipped);
    writeFileSync(join(dir, 'bm.yaml'), SEED.replace('  - 10.0.3.100\n', '  - 10.0.3.100\n  - 10.0.1.101\n'));
    const ok = runRender([dir, '--base', 'HEAD'], dir);
    expect(ok.exitCode).toBe(0);
    expect(ok.stderr).toContain('[FLAT-REV-003] info: BGP sessions of namespace "cluster-bm" change (floating IPs added: 10.0.1.101)');
  });
});
