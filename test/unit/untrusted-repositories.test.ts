/**
 * Untrusted repositories: each attack of the review that broke a guarantee, as it was reproduced,
 * through the commands users run (render, hydrate, the Argo CD plugin, check). Whatever the
 * repository holds, flatnet reads and writes only inside the package (or `-o DIR`), all or
 * nothing, and says why in words. Named after the attack.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { KubeObject } from '@flatnet/krm';
import { failingAt } from '../fuzz/faults';
import { applyChanges, changedFiles } from '@flatnet/pipeline';
import { runArgocd } from '../../packages/cli/src/argocd';
import { runCheck } from '../../packages/cli/src/check';
import { runHydrate } from '../../packages/cli/src/hydrate';
import { runRender } from '../../packages/cli/src/render';
import { kptfile } from '../fuzz/kptfile';

const KPTFILE = kptfile('p', ['set-cluster-namespace']);
const CLUSTER = (name = 'a') => `apiVersion: baremetal.cluster.gke.io/v1
kind: Cluster
metadata:
  name: ${name}
  namespace: cluster-${name}
spec:
  type: user
`;
/** A BGPPeer without namespace: set-cluster-namespace gives it one, so render rewrites its file. */
const PEER = (name = 'peer1', annotations = '') => `apiVersion: networking.gke.io/v1
kind: BGPPeer
metadata:
  name: ${name}
${annotations ? `  annotations:\n${annotations}` : ''}spec:
  localASN: 65001
  peerASN: 65002
  peerIP: 10.0.0.1
  sessions: 1
`;

/** A scratch area with the package in `pkg/` and room beside it (what must never change). */
function scratch(files: Record<string, string>): { top: string; pkg: string } {
  const top = mkdtempSync(join(tmpdir(), 'flatnet-untrusted-'));
  const pkg = join(top, 'pkg');
  mkdirSync(pkg);
  for (const [name, text] of Object.entries({ Kptfile: KPTFILE, ...files })) {
    mkdirSync(join(pkg, name, '..'), { recursive: true });
    writeFileSync(join(pkg, name), text);
  }
  return { top, pkg };
}

/** Every file below `dir` with its bytes and mode (links as links): to prove nothing changed. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out.set(p, `link:${readlinkSync(p)}`);
      else if (st.isDirectory()) walk(p);
      else if (st.isFile()) out.set(p, `${(st.mode & 0o7777).toString(8)}:${st.uid}:${st.gid}:${st.ino}:${readFileSync(p, 'base64')}`);
    }
  };
  walk(dir);
  return out;
}

const tempFiles = (dir: string): string[] => [...snapshot(dir).keys()].filter((p) => p.includes('.flatnet-') && p.endsWith('.tmp'));
const render = (pkg: string, ...args: string[]) => runRender([pkg, ...args], pkg);
const asRoot = process.getuid?.() === 0;
const rootOnly = asRoot ? it : it.skip;
if (!asRoot) console.warn('!! not root: the ownership cases of untrusted-repositories.test.ts are SKIPPED');

describe('writes and deletes stay inside the package', () => {
  it('hydrate-namespace-escape: a namespace of ../../escaped is refused, nothing is written anywhere', () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: ../../escaped\n';
    const { top, pkg } = scratch({ 'cluster.yaml': CLUSTER(), 'cm.yaml': cm });
    const out = join(top, 'deep', 'er', 'out');
    const before = snapshot(top);
    const r = runHydrate([pkg, '-o', out], top);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('`metadata.namespace` "../../escaped" is not a valid namespace name');
    const after = snapshot(top);
    expect([...after.keys()].filter((k) => !before.has(k))).toEqual([]);
    expect(existsSync(join(top, 'deep', 'escaped.yaml'))).toBe(false);
  });

  it('render-directory-link: a link to a directory is not followed, and an object claiming a file there stays in its own file', () => {
    const { top, pkg } = scratch({ 'cluster.yaml': CLUSTER(), 'peers.yaml': PEER('peer1', '    config.kubernetes.io/path: home/.bashrc\n    internal.config.kubernetes.io/path: home/.bashrc\n') });
    const home = join(top, 'home');
    mkdirSync(home);
    writeFileSync(join(home, '.bashrc'), 'echo hi\n');
    writeFileSync(join(home, 'evil.yaml'), PEER('outside'));
    symlinkSync(home, join(pkg, 'home'));
    const outside = snapshot(home);
    const r = render(pkg);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('skipped "home": it is a symbolic link to a directory');
    expect(snapshot(home)).toEqual(outside);
    expect(readFileSync(join(pkg, 'peers.yaml'), 'utf8')).toContain('namespace: cluster-a');
    expect(readFileSync(join(pkg, 'peers.yaml'), 'utf8')).not.toContain('home/.bashrc');
  });

  it.each([['README.md'], ['.git/config'], ['../outside.yaml'], ['other.yaml']])('render-stored-path-annotation: an object read from peers.yaml and annotated %s is written back to peers.yaml', (claimed) => {
    const { top, pkg } = scratch({ 'cluster.yaml': CLUSTER(), 'peers.yaml': PEER('peer1', `    config.kubernetes.io/path: '${claimed}'\n    internal.config.kubernetes.io/path: '${claimed}'\n`), 'README.md': 'readme\n', '.git/config': '[core]\n' });
    const before = snapshot(top);
    const r = render(pkg);
    expect(r.exitCode).toBe(0);
    const after = snapshot(top);
    const changed = [...after.keys()].filter((k) => after.get(k) !== before.get(k));
    expect(changed).toEqual([join(pkg, 'peers.yaml')]);
  });

  it('hydrate-marker-trusted: lines of the marker naming other files delete nothing', () => {
    const { top, pkg } = scratch({ 'cluster.yaml': CLUSTER(), 'peers.yaml': PEER() });
    const out = join(top, 'out');
    expect(runHydrate([pkg, '-o', out], top).exitCode).toBe(0);
    writeFileSync(join(top, 'precious.txt'), 'keep\n');
    writeFileSync(join(out, 'README.md'), 'keep\n');
    writeFileSync(join(out, 'notes.yaml'), 'mine: true\n');
    writeFileSync(join(out, '.flatnet-hydrated'), '# forged\n../precious.txt\nREADME.md\nnotes.yaml\n/etc/passwd\n');
    const r = runHydrate([pkg, '-o', out], top);
    expect(r.exitCode).toBe(0);
    expect(readFileSync(join(top, 'precious.txt'), 'utf8')).toBe('keep\n');
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toBe('keep\n');
    expect(readFileSync(join(out, 'notes.yaml'), 'utf8')).toBe('mine: true\n');
  });

  it.each([
    ['the marker lost', (out: string) => writeFileSync(join(out, '.flatnet-hydrated'), '')],
    ['the marker missing the file', (out: string) => writeFileSync(join(out, '.flatnet-hydrated'), '# Files\na.yaml\n')],
  ])('hydrate-interrupted (%s): a deleted cluster is removed by the next run all the same', (_, damage) => {
    const { top, pkg } = scratch({ 'cluster.yaml': CLUSTER('a'), 'b.yaml': CLUSTER('b') });
    const out = join(top, 'out');
    expect(runHydrate([pkg, '-o', out], top).exitCode).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['.flatnet-hydrated', 'a.yaml', 'b.yaml']);
    damage(out);
    execFileSync('rm', [join(pkg, 'b.yaml')]);
    const r = runHydrate([pkg, '-o', out], top);
    expect(r.exitCode).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['.flatnet-hydrated', 'a.yaml']);
  });

  it('hydrate-foreign-file: a file of the output directory that hydrate did not write is not replaced', () => {
    const { top, pkg } = scratch({ 'cluster.yaml': CLUSTER('a') });
    const out = join(top, 'out');
    expect(runHydrate([pkg, '-o', out], top).exitCode).toBe(0);
    writeFileSync(join(out, 'a.yaml'), 'hand: written\n');
    const r = runHydrate([pkg, '-o', out], top);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('holds "a.yaml", which flatnet hydrate did not write');
    expect(readFileSync(join(out, 'a.yaml'), 'utf8')).toBe('hand: written\n');
  });

  it('write-target-is-a-directory: when one target is a directory, no file of the set changes and no temporary file stays', () => {
    const { top, pkg } = scratch({ 'a.yaml': PEER('p1'), 'b.yaml': PEER('p2') });
    mkdirSync(join(pkg, 'dir.yaml'));
    const before = snapshot(top);
    const created = KubeObject.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, { path: 'dir.yaml', index: 0 });
    const changes = [
      { path: 'a.yaml', text: 'changed: 1\n' },
      { path: 'b.yaml', text: 'changed: 2\n' },
      ...changedFiles([created], new Map()),
    ];
    expect(() => applyChanges(pkg, changes)).toThrow('cannot write "dir.yaml": it is a directory: nothing was changed');
    expect(snapshot(top)).toEqual(before);
  });

  it.each([['README.md'], ['.git/config'], ['a/../../x.yaml'], ['/etc/x.yaml'], ['.hidden/x.yaml'], ['x.yaml\n']])('created-object-path: a function-created object annotated %j is refused', (path) => {
    const created = KubeObject.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, { path, index: 0 });
    expect(() => changedFiles([created], new Map())).toThrow(/is not a file flatnet writes/);
  });

  it('created-object-onto-unread-file: a created object does not land on a file the package did not read', () => {
    const { pkg } = scratch({ 'ignored.yaml': 'keep: me\n', '.krmignore': 'ignored.yaml\n' });
    const created = KubeObject.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, { path: 'ignored.yaml', index: 0 });
    expect(() => applyChanges(pkg, changedFiles([created], new Map()))).toThrow(/exists and was not read as part of the package/);
    expect(readFileSync(join(pkg, 'ignored.yaml'), 'utf8')).toBe('keep: me\n');
  });

  it('render-modes: a 0600 file stays 0600, an executable keeps x, a linked file stays a link, hard links stay one file', () => {
    const { top, pkg } = scratch({ 'cluster.yaml': CLUSTER(), 'secret.yaml': PEER('p1'), 'exe.yaml': PEER('p2'), '.shared/real.yaml': PEER('p3'), 'hard.yaml': PEER('p4') });
    chmodSync(join(pkg, 'secret.yaml'), 0o600);
    chmodSync(join(pkg, 'exe.yaml'), 0o755);
    symlinkSync('.shared/real.yaml', join(pkg, 'link.yml')); // a target inside, in a folder kpt does not read
    linkSync(join(pkg, 'hard.yaml'), join(top, 'hard-twin.txt')); // a second name, outside the package
    const r = render(pkg);
    expect(r.stderr).toContain('updated');
    expect(r.exitCode).toBe(0);
    expect(statSync(join(pkg, 'secret.yaml')).mode & 0o777).toBe(0o600);
    expect(statSync(join(pkg, 'exe.yaml')).mode & 0o777).toBe(0o755);
    expect(lstatSync(join(pkg, 'link.yml')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(pkg, '.shared/real.yaml'), 'utf8')).toContain('namespace: cluster-a');
    expect(statSync(join(pkg, 'hard.yaml')).ino).toBe(statSync(join(top, 'hard-twin.txt')).ino);
    expect(readFileSync(join(top, 'hard-twin.txt'), 'utf8')).toContain('namespace: cluster-a');
  });

  rootOnly('render-owner: the owner and group of a rewritten file are kept', () => {
    const { pkg } = scratch({ 'cluster.yaml': CLUSTER(), 'peers.yaml': PEER() });
    chownSync(join(pkg, 'peers.yaml'), 4321, 4322);
    expect(render(pkg).exitCode).toBe(0);
    const st = statSync(join(pkg, 'peers.yaml'));
    expect([st.uid, st.gid]).toEqual([4321, 4322]);
  });

  it('render-stale-temp-files: temporary files a killed run left are swept; fresh ones of a live run are not', () => {
    const { pkg } = scratch({ 'cluster.yaml': CLUSTER(), 'peers.yaml': PEER() });
    writeFileSync(join(pkg, '.peers.yaml.flatnet-999999999-0badf00d.tmp'), 'half');
    writeFileSync(join(pkg, '.peers.yaml.flatnet-999999998.tmp'), 'half, old style');
    writeFileSync(join(pkg, `.peers.yaml.flatnet-${process.pid}-00000000.tmp`), 'a live run');
    writeFileSync(join(pkg, '.notes.flatnet-x.tmp'), 'not ours');
    expect(render(pkg).exitCode).toBe(0);
    expect(readdirSync(pkg).filter((n) => n.endsWith('.tmp')).sort()).toEqual([`.notes.flatnet-x.tmp`, `.peers.yaml.flatnet-${process.pid}-00000000.tmp`]);
  });
});

describe('reads stay inside the package and end', () => {
  it.each([
    ['render', (pkg: string) => render(pkg)],
    ['check', (pkg: string) => runCheck([pkg], { cwd: pkg, version: 't', today: () => '2026-06-01' })],
    ['argocd generate', (pkg: string) => runArgocd(['generate'], pkg, {}, () => '2026-06-01')],
  ])('device-link (%s): a YAML name linking to /dev/zero is refused at once, in words', (_, run) => {
    const { pkg } = scratch({ 'cluster.yaml': CLUSTER() });
    symlinkSync('/dev/zero', join(pkg, 'zero.yaml'));
    const started = Date.now();
    const r = run(pkg);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.exitCode).not.toBe(0);
    // check reports it in its report (stdout), as a finding; render and the plugin on stderr.
    expect(r.stderr + r.stdout).toMatch(/"zero.yaml": it is a symbolic link to "\/dev\/zero", outside/);
    expect(r.stderr + r.stdout).not.toContain('internal error');
  });

  it('fifo: a FIFO named like YAML inside the package is refused, not waited on', () => {
    const { pkg } = scratch({ 'cluster.yaml': CLUSTER() });
    execFileSync('mkfifo', [join(pkg, 'pipe.yaml')]);
    const r = render(pkg);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('"pipe.yaml": it is not a regular file');
  });

  it.each([
    ['render', (pkg: string) => render(pkg), 1],
    ['check', (pkg: string) => runCheck(['.'], { cwd: pkg, version: 't', today: () => '2026-06-01' }), 1],
  ])('file-link-outside (%s): a link to a file outside the package is refused, naming both', (_, run, code) => {
    const { top, pkg } = scratch({ 'cluster.yaml': CLUSTER() });
    writeFileSync(join(top, 'secret.yaml'), PEER('outside'));
    symlinkSync(join(top, 'secret.yaml'), join(pkg, 'peers.yaml'));
    const r = run(pkg);
    expect(r.exitCode).toBe(code);
    expect(r.stderr + r.stdout).toContain('"peers.yaml": it is a symbolic link to');
    expect(r.stderr + r.stdout).toContain('flatnet reads only inside the package');
    expect(r.stdout).not.toContain('BGPPeer'); // nothing read through it
  });

  it('check-directory-link: check does not follow a link to a directory outside', () => {
    const { top, pkg } = scratch({ 'cluster.yaml': CLUSTER() });
    mkdirSync(join(top, 'else'));
    writeFileSync(join(top, 'else', 'bad.yaml'), 'apiVersion: networking.gke.io/v1\nkind: NetworkGatewayGroup\nmetadata:\n  name: wrong\n  namespace: cluster-a\n');
    symlinkSync(join(top, 'else'), join(pkg, 'else'));
    const r = runCheck(['.'], { cwd: pkg, version: 't', today: () => '2026-06-01' });
    expect(r.stdout).not.toContain('bad.yaml');
  });

  it.each([
    ['dangling', (pkg: string) => symlinkSync('nothing-here.yaml', join(pkg, 'gone.yaml')), /"gone.yaml": it is a symbolic link to nothing/],
    ['loop', (pkg: string) => (symlinkSync('loop2.yaml', join(pkg, 'loop1.yaml')), symlinkSync('loop1.yaml', join(pkg, 'loop2.yaml'))), /"loop1.yaml": it is a loop of symbolic links \(ELOOP\)/],
  ])('io-errors (%s): check reports the file and the cause in words, a finding (FLAT-INP-002), and checks the rest', (_, make, message) => {
    const { pkg } = scratch({ 'cluster.yaml': CLUSTER() });
    make(pkg);
    const r = runCheck(['.', '-f', 'json'], { cwd: pkg, version: 't', today: () => '2026-06-01' });
    expect(r).toMatchObject({ exitCode: 1, stderr: '' });
    const json = JSON.parse(r.stdout) as { summary: { resources: number }; results: Array<{ message: string; tags?: { policy: string } }> };
    const unreadable = json.results.filter((x) => x.tags?.policy === 'FLAT-INP-002');
    expect(unreadable.length).toBeGreaterThan(0);
    expect(unreadable[0]!.message).toMatch(message);
    expect(json.summary.resources).toBe(1);
  });
});

describe('no stream that would prune every cluster', () => {
  const LOCAL_CLUSTER = CLUSTER('a').replace('  namespace: cluster-a\n', '  namespace: cluster-a\n  annotations:\n    config.kubernetes.io/local-config: "true"\n');
  it.each([
    ['every Cluster local-config', { 'cluster.yaml': LOCAL_CLUSTER, 'peers.yaml': PEER() }, /every Cluster of the package is marked `config.kubernetes.io\/local-config`/],
    ['the Clusters hidden by .krmignore', { 'clusters/a.yaml': CLUSTER('a'), 'peers.yaml': PEER().replace('  name: peer1\n', '  name: peer1\n  namespace: cluster-a\n'), '.krmignore': 'clusters/\n' }, /the package's Clusters are in files its .krmignore hides \("clusters\/a.yaml"\)/],
  ])('%s: hydrate and the Argo CD plugin refuse', (_, files, message) => {
    const { top, pkg } = scratch(files);
    const h = runHydrate([pkg, '-o', '-'], top);
    expect(h.exitCode).toBe(1);
    expect(h.stderr).toMatch(message);
    expect(h.stdout).toBe('');
    const a = runArgocd(['generate'], pkg, {}, () => '2026-06-01');
    expect(a.exitCode).toBe(1);
    expect(a.stderr).toMatch(message);
    expect(a.stdout).toBe('');
  });
});

describe('weak spots', () => {
  it('control characters: a NUL in a file never reaches the Argo CD stream', () => {
    const { pkg } = scratch({ 'cluster.yaml': CLUSTER().replace('type: user', 'type: "us\u0000er"') });
    const a = runArgocd(['generate'], pkg, {}, () => '2026-06-01');
    expect(a.exitCode).toBe(1);
    expect(a.stdout).toBe('');
    expect(a.stderr).toContain('cluster.yaml:7: holds the control character U+0000');
  });

  it('%YAML 1.2 directive: a valid directive is read', () => {
    const { pkg } = scratch({ 'cluster.yaml': `%YAML 1.2\n---\n${CLUSTER()}` });
    const r = runCheck(['.'], { cwd: pkg, version: 't', today: () => '2026-06-01' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('2 files');
  });

  it('render says which files it removed, and escapes names', () => {
    const { pkg } = scratch({ 'cluster.yaml': CLUSTER(), 'peers.yaml': PEER() });
    const r = render(pkg);
    expect(r.stderr).toContain('updated "peers.yaml"');
  });
});

/**
 * The property: a random package — files of random modes, objects with random stored path
 * annotations, links to directories and files inside, outside and nowhere — rendered in place
 * with one random system call of the write failing, never changes a byte outside the package,
 * leaves no temporary file, and leaves the package either as it was (a failure, in words) or
 * rendered (a second render changes nothing).
 */
describe('property: a random hostile package rendered with an injected fault', () => {
  const RUNS = Math.max(15, Math.round(Number(process.env.FLATNET_FUZZ_RUNS ?? 150) / 5));
  const SEED = Number(process.env.FLATNET_FUZZ_SEED ?? 21);
  const claim = fc.constantFrom(undefined, 'README.md', '.git/config', '../up.yaml', 'home/.bashrc', 'home/x.yaml', 'other.yaml', 'sub/y.yaml', 'Kptfile');
  const file = fc.record({
    name: fc.constantFrom('a.yaml', 'b.yaml', 'sub/c.yaml', 'sub/d.yml', 'e.yaml'),
    peers: fc.array(fc.record({ claim, namespaced: fc.boolean() }), { minLength: 1, maxLength: 3 }),
    mode: fc.constantFrom(0o600, 0o644, 0o755, 0o640),
  });
  const pkgArb = fc.record({
    files: fc.uniqueArray(file, { selector: (f) => f.name, minLength: 1, maxLength: 4 }),
    links: fc.subarray(['home-dir', 'out-file', 'in-file', 'dangling'] as const),
    failAt: fc.integer({ min: -1, max: 40 }),
    code: fc.constantFrom('EIO', 'ENOSPC', 'EPERM'),
  });
  it('holds', () => {
    fc.assert(
      fc.property(pkgArb, ({ files, links, failAt, code }) => {
        const { top, pkg } = scratch({ 'cluster.yaml': CLUSTER(), 'README.md': 'readme\n', '.git/config': '[core]\n' });
        const outside = join(top, 'outside');
        mkdirSync(outside);
        writeFileSync(join(outside, '.bashrc'), 'echo hi\n');
        writeFileSync(join(outside, 'x.yaml'), PEER('out'));
        writeFileSync(join(top, 'up.yaml'), 'up\n');
        let n = 0;
        for (const f of files) {
          const docs = f.peers.map((p) => {
            const ann = p.claim ? `    config.kubernetes.io/path: '${p.claim}'\n` : '';
            const doc = PEER(`p${n++}`, ann);
            return p.namespaced ? doc.replace('metadata:\n', 'metadata:\n  namespace: cluster-a\n') : doc;
          });
          mkdirSync(join(pkg, f.name, '..'), { recursive: true });
          writeFileSync(join(pkg, f.name), docs.join('---\n'), { mode: f.mode });
        }
        mkdirSync(join(pkg, '.hidden'), { recursive: true });
        writeFileSync(join(pkg, '.hidden', 'in.yaml'), PEER('hidden'));
        if (links.includes('home-dir')) symlinkSync(outside, join(pkg, 'home'));
        if (links.includes('out-file')) symlinkSync(join(outside, 'x.yaml'), join(pkg, 'out.yaml'));
        if (links.includes('in-file')) symlinkSync('.hidden/in.yaml', join(pkg, 'in.yaml'));
        if (links.includes('dangling')) symlinkSync('nowhere.yaml', join(pkg, 'gone.yaml'));
        const beforeOutside = [snapshot(outside), readFileSync(join(top, 'up.yaml'), 'utf8')];
        const before = snapshot(pkg);
        const r = runRender([pkg], pkg, { ops: failingAt(failAt, code) });
        expect(r.stderr).not.toContain('internal error');
        expect([snapshot(outside), readFileSync(join(top, 'up.yaml'), 'utf8')]).toEqual(beforeOutside);
        expect(tempFiles(pkg)).toEqual([]);
        if (r.exitCode !== 0) expect(snapshot(pkg)).toEqual(before);
        else {
          const again = snapshot(pkg);
          expect(runRender([pkg], pkg).exitCode).toBe(0);
          expect(snapshot(pkg)).toEqual(again);
          // Files outside the package's YAML were never written.
          expect(readFileSync(join(pkg, 'README.md'), 'utf8')).toBe('readme\n');
          expect(readFileSync(join(pkg, '.git/config'), 'utf8')).toBe('[core]\n');
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
