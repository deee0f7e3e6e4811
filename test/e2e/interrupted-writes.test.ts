/**
 * Writes under the worst an operator's machine does: `kill -9` at random moments of a render or
 * hydrate, and a full disk. The built CLI runs as users run it. Every file is always either its
 * old or its new text (checked by hash), the next run sweeps what a killed one left and ends
 * where an uninterrupted run ends; a full disk changes nothing and says so in words.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DIST, requireDist } from './support';
import { kptfile } from '../fuzz/kptfile';

const CLI = join(DIST, 'flatnet.js');
const KILLS = Number(process.env.FLATNET_KILL_RUNS ?? 12);

const KPTFILE = kptfile('p', ['set-cluster-namespace']);
const CLUSTER = (n: number) => `apiVersion: baremetal.cluster.gke.io/v1\nkind: Cluster\nmetadata:\n  name: c${n}\n  namespace: cluster-c${n}\nspec:\n  type: user\n`;
const PEER = (n: number, i: number) => `apiVersion: networking.gke.io/v1\nkind: BGPPeer\nmetadata:\n  name: peer${i}\n  namespace: cluster-c${n}\nspec:\n  localASN: 65001\n  peerASN: 65002\n  peerIP: 10.0.${n % 250}.${i + 1}\n  sessions: 1\n`;
/** A BGPPeer in no namespace beside its only Cluster: render gives it one, so every such file changes. */
const LONE = (n: number) => `${CLUSTER(n)}---\n${PEER(n, 0).replace(`  namespace: cluster-c${n}\n`, '')}`;

function makePackage(dir: string, files: number): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'Kptfile'), KPTFILE);
  for (let n = 0; n < files; n++) {
    mkdirSync(join(dir, `c${n}`), { recursive: true });
    writeFileSync(join(dir, `c${n}`, 'Kptfile'), kptfile(`c${n}`, ['set-cluster-namespace']));
    writeFileSync(join(dir, `c${n}`, 'cluster.yaml'), LONE(n));
  }
}

function hashes(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), createHash('sha256').update(readFileSync(p)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

const isTemp = (f: string): boolean => f.includes('.flatnet-') && f.endsWith('.tmp');

/** Runs the CLI and kills it with SIGKILL after `ms`; resolves when it is gone. */
function runAndKill(args: string[], cwd: string, ms: number): Promise<void> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', () => {
      clearTimeout(timer);
      done();
    });
  });
}

function timed(args: string[], cwd: string): number {
  const started = Date.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`flatnet ${args.join(' ')} failed: ${r.stderr}`);
  return Date.now() - started;
}

beforeAll(requireDist);

describe('kill -9 at random moments', () => {
  const top = mkdtempSync(join(tmpdir(), 'flatnet-kill-'));
  const pristine = join(top, 'pristine');
  makePackage(pristine, 120);
  const rendered = join(top, 'rendered');
  cpSync(pristine, rendered, { recursive: true });
  const renderMs = timed(['render', rendered], top);
  const oldHashes = hashes(pristine);
  const newHashes = hashes(rendered);

  it('render: every file is old or new, and the next render ends as an uninterrupted one', async () => {
    expect([...newHashes].filter(([f, h]) => oldHashes.get(f) !== h).length).toBe(120);
    for (let k = 0; k < KILLS; k++) {
      const pkg = join(top, `render-${k}`);
      cpSync(pristine, pkg, { recursive: true });
      // Spread the kills over the whole run, the write phase at its end included.
      await runAndKill(['render', pkg], top, Math.round(((k + 0.5) / KILLS) * renderMs * 1.1));
      const now = hashes(pkg);
      for (const [f, h] of now) {
        if (isTemp(f)) continue;
        expect([f, h === oldHashes.get(f) || h === newHashes.get(f)]).toEqual([f, true]);
      }
      for (const f of oldHashes.keys()) expect([f, now.has(f)]).toEqual([f, true]);
      timed(['render', pkg], top);
      const after = hashes(pkg);
      expect([...after.keys()].filter(isTemp)).toEqual([]);
      expect(after).toEqual(newHashes);
      rmSync(pkg, { recursive: true, force: true });
    }
  }, 120_000);

  it('hydrate: the output is always a whole earlier or later output per file, and the next run ends as an uninterrupted one', async () => {
    const out0 = join(top, 'wet-expected');
    const hydrateMs = timed(['hydrate', pristine, '-o', out0], top);
    const expected = hashes(out0);
    // An older output with more clusters, to be replaced: deleted clusters must go.
    const bigger = join(top, 'bigger');
    makePackage(bigger, 130);
    for (let k = 0; k < KILLS; k++) {
      const out = join(top, `wet-${k}`);
      timed(['hydrate', bigger, '-o', out], top);
      const older = hashes(out);
      await runAndKill(['hydrate', pristine, '-o', out], top, Math.round(((k + 0.5) / KILLS) * hydrateMs * 1.1));
      for (const [f, h] of hashes(out)) {
        if (isTemp(f) || f === '.flatnet-hydrated') continue;
        expect([f, h === older.get(f) || h === expected.get(f)]).toEqual([f, true]);
      }
      timed(['hydrate', pristine, '-o', out], top);
      expect(hashes(out)).toEqual(expected);
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});

const asRoot = process.getuid?.() === 0;
function tryMount(dir: string, size: string): boolean {
  return asRoot && spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]).status === 0;
}

describe('a full disk', () => {
  const mnt = mkdtempSync(join(tmpdir(), 'flatnet-full-'));
  const mounted = tryMount(mnt, '512k');
  if (!mounted) console.warn(`${'!'.repeat(78)}\n!! cannot mount a tmpfs here (needs root): the full-disk cases are SKIPPED\n${'!'.repeat(78)}`);
  afterAll(() => {
    if (mounted) spawnSync('umount', [mnt]);
  });
  (mounted ? it : it.skip)('render with no space left: nothing changes, no temporary file stays, the cause in words', () => {
    const pkg = join(mnt, 'pkg');
    makePackage(pkg, 40);
    const before = hashes(pkg);
    // Fill the rest of the disk.
    spawnSync('sh', ['-c', `dd if=/dev/zero of="${join(mnt, 'filler')}" bs=4k 2>/dev/null; sync`]);
    const r = spawnSync(process.execPath, [CLI, 'render', pkg], { cwd: mnt, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/the disk is full \(ENOSPC\): free some space and run again; nothing was changed/);
    expect(r.stderr).not.toContain('internal error');
    expect(hashes(pkg)).toEqual(before);
    rmSync(join(mnt, 'filler'));
    expect(spawnSync(process.execPath, [CLI, 'render', pkg], { cwd: mnt, encoding: 'utf8' }).status).toBe(0);
    expect([...hashes(pkg).keys()].filter(isTemp)).toEqual([]);
  });
});
