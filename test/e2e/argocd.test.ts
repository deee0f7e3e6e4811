/**
 * The Argo CD plugin, run as the CMP server runs it: the commands of argocd/plugin.yaml, with a
 * clean environment plus Argo CD's variables, in the Application's source directory (generate;
 * discover on Argo CD 2.8 and later) or the repository root (discover on 2.4–2.7), as user 999
 * when this machine allows it.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { DIST, requireDist, ROOT, snapshot } from './support';

requireDist();
const plugin = parse(readFileSync(join(ROOT, 'argocd', 'plugin.yaml'), 'utf8')) as {
  spec: { generate: { command: string[] }; discover: { find: { command: string[] } } };
};

// The sidecar's layout: the bundle (and its code cache, as the image has it) where the plugin's
// commands expect it, readable by user 999.
const sidecar = mkdtempSync(join(tmpdir(), 'flatnet-cmp-'));
chmodSync(sidecar, 0o755);
copyFileSync(join(DIST, 'flatnet.js'), join(sidecar, 'flatnet.js'));
chmodSync(join(sidecar, 'flatnet.js'), 0o755);
copyFileSync(join(DIST, 'flatnet.js.v8cache'), join(sidecar, 'flatnet.js.v8cache'));
chmodSync(join(sidecar, 'flatnet.js.v8cache'), 0o644);
const asSidecar = (cmd: string[]) => cmd.map((a) => a.replace('/usr/local/lib/flatnet/', `${sidecar}/`));
const runAs999 = typeof process.getuid === 'function' && process.getuid() === 0;

function cmp(cmd: string[], cwd: string, extraEnv: Record<string, string> = {}) {
  const [file, ...args] = asSidecar(cmd);
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    ARGOCD_APP_NAME: 'fleet',
    ARGOCD_APP_NAMESPACE: 'argocd',
    ARGOCD_APP_REVISION: 'abc123',
    ARGOCD_APP_SOURCE_PATH: 'pkg',
    ARGOCD_APP_SOURCE_REPO_URL: 'https://git.example.com/platform/clusters.git',
    KUBE_VERSION: '1.30',
    KUBE_API_VERSIONS: 'v1,apps/v1',
    ...extraEnv,
  };
  return spawnSync(file!, args, { cwd, env, encoding: 'utf8', timeout: 60_000, ...(runAs999 ? { uid: 999, gid: 999 } : {}) });
}

/** A repository checkout with one app at pkg/, readable by user 999. */
function checkout(pkg: string, edit?: (dir: string) => void): { repo: string; app: string } {
  const repo = mkdtempSync(join(tmpdir(), 'flatnet-argo-'));
  cpSync(pkg, join(repo, 'pkg'), { recursive: true, filter: (s) => !s.includes('/.expected') });
  edit?.(join(repo, 'pkg'));
  spawnSync('chmod', ['-R', 'a+rX', repo]);
  return { repo, app: join(repo, 'pkg') };
}

const FLEET = join(ROOT, 'examples', 'fleet');

describe('Argo CD plugin', () => {
  if (!runAs999) console.warn('not root: the Argo CD plugin test runs as the current user instead of uid 999');

  it('generate prints only the objects to apply, and leaves the package as it is', () => {
    const { app } = checkout(FLEET);
    const before = snapshot(app);
    const r = cmp(plugin.spec.generate.command, app);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const objs = parseAllDocuments(r.stdout).map((d) => d.toJS() as { kind: string; metadata: { namespace?: string; annotations?: Record<string, string> } });
    expect(objs.length).toBeGreaterThan(10);
    const kinds = new Set(objs.map((o) => o.kind));
    for (const k of ['Cluster', 'NodePool', 'ClusterCIDRConfig', 'NetworkGatewayGroup', 'FlatIPMode', 'BGPPeer']) expect(kinds).toContain(k);
    for (const k of ['Kptfile', 'FlatNetwork', 'ValidateFlatNetwork', 'ResourceList']) expect(kinds).not.toContain(k);
    for (const o of objs) {
      expect(o.metadata.namespace).toMatch(/^cluster-edge-[12]$/);
      expect(Object.keys(o.metadata.annotations ?? {}).filter((a) => a.startsWith('internal.config.kubernetes.io') || a === 'config.kubernetes.io/local-config')).toEqual([]);
    }
    expect(snapshot(app)).toEqual(before);
  });

  it('generate marks every Cluster and NodePool against deletion, and adds Namespaces when asked', () => {
    const { app } = checkout(FLEET);
    type Obj = { kind: string; metadata: { name: string; annotations?: Record<string, string> } };
    const objs = (r: { stdout: string }) => parseAllDocuments(r.stdout).map((d) => d.toJS() as Obj);
    const plain = objs(cmp(plugin.spec.generate.command, app));
    for (const o of plain.filter((x) => x.kind === 'Cluster' || x.kind === 'NodePool')) {
      expect(o.metadata.annotations).toMatchObject({ 'argocd.argoproj.io/sync-options': 'Prune=confirm,Delete=confirm', 'client.lifecycle.config.k8s.io/deletion': 'detach' });
    }
    expect(plain.filter((o) => o.kind === 'Namespace')).toEqual([]);
    const older = objs(cmp(plugin.spec.generate.command, app, { PARAM_DELETION_PROTECTION: 'false', PARAM_NAMESPACES: 'true' }));
    expect(older.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name)).toEqual(['cluster-edge-1', 'cluster-edge-2']);
    for (const o of older.filter((x) => ['Cluster', 'NodePool', 'Namespace'].includes(x.kind))) expect(o.metadata.annotations!['argocd.argoproj.io/sync-options']).toBe('Prune=false,Delete=false');
    const bad = cmp(plugin.spec.generate.command, app, { PARAM_DELETION_PROTECTION: 'maybe' });
    expect([bad.status, bad.stdout]).toEqual([2, '']);
    expect(bad.stderr).toContain('deletion-protection must be one of confirm, false, off, not "maybe"');
  });

  it('generate refuses a package that fails the gate: findings on stderr, nothing on stdout', () => {
    const { app } = checkout(FLEET, (dir) => {
      const file = join(dir, 'clusters', 'edge-2', 'lab-peer.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('peerIP: 10.2.0.252', 'peerIP: 10.2.0.100')); // a floating IP
    });
    const r = cmp(plugin.spec.generate.command, app);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/\[FLAT-BGP-010\].*10\.2\.0\.100/);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it('generate fails on warnings when the Application asks for it', () => {
    const { app } = checkout(FLEET, (dir) => {
      writeFileSync(join(dir, 'gate.yaml'), readFileSync(join(dir, 'gate.yaml'), 'utf8').replace('failOnWarnings: true', 'failOnWarnings: false'));
      const file = join(dir, 'clusters', 'edge-1', 'intent.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('localASN: 65101', 'localASN: 64500')); // a documentation ASN: a warning
    });
    expect(cmp(plugin.spec.generate.command, app).status).toBe(0);
    const strict = cmp(plugin.spec.generate.command, app, { ARGOCD_ENV_FLATNET_FAIL_ON_WARNINGS: 'true' });
    expect(strict.status).toBe(1);
    expect(strict.stdout).toBe('');
    expect(strict.stderr).toMatch(/FLAT-BGP-005.*warnings fail/);
    const bad = cmp(plugin.spec.generate.command, app, { ARGOCD_ENV_FLATNET_FAIL_ON_WARNINGS: 'yes' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('fail-on-warnings must be "true" or "false"');
  });

  it('generate with a base revision needs the git history, and says so', () => {
    const { app } = checkout(FLEET);
    const r = cmp(plugin.spec.generate.command, app, { ARGOCD_ENV_FLATNET_BASE: 'HEAD' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^flatnet argocd: a base revision needs the git history, and ".*" is not in a git repository\n$/);
  });

  it('generate never prints an empty stream', () => {
    const { app } = checkout(join(ROOT, 'functions', 'set-cluster-namespace', 'examples', 'seeds-ipv4-flat'), (dir) => {
      for (const f of ['cluster.yaml', 'flat-mode.yaml', 'peers.yaml']) writeFileSync(join(dir, f), '# nothing here any more\n');
    });
    const r = cmp(plugin.spec.generate.command, app);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('nothing to apply');
  });

  it('discover as Argo CD 2.4–2.7 runs it (in the repository root): matches the app path holding a flatnet package, and nothing else', () => {
    const { repo } = checkout(FLEET);
    const yes = cmp(plugin.spec.discover.find.command, repo);
    expect(yes.status).toBe(0);
    expect(yes.stdout.trim()).toMatch(/pkg\/Kptfile$/);
    const no = cmp(plugin.spec.discover.find.command, repo, { ARGOCD_APP_SOURCE_PATH: 'elsewhere' });
    expect(no.status).toBe(0);
    expect(no.stdout).toBe('');
  });

  it.each([['pkg'], ['clusters/west/pkg'], ['./clusters/west/pkg/']])('discover as Argo CD 2.8 and later run it (in the app directory, ARGOCD_APP_SOURCE_PATH %j set): matches', (sourcePath) => {
    const repo = mkdtempSync(join(tmpdir(), 'flatnet-argo28-'));
    const app = join(repo, ...sourcePath.split('/').filter((p) => p && p !== '.'));
    cpSync(FLEET, app, { recursive: true, filter: (f) => !f.includes('/.expected') });
    spawnSync('chmod', ['-R', 'a+rX', repo]);
    const r = cmp(plugin.spec.discover.find.command, app, { ARGOCD_APP_SOURCE_PATH: sourcePath });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${join(app, 'Kptfile')}\n`);
    // The same app seen from the root, as 2.4–2.7 run it.
    expect(cmp(plugin.spec.discover.find.command, repo, { ARGOCD_APP_SOURCE_PATH: sourcePath }).stdout).toBe(`${join(app, 'Kptfile')}\n`);
  });

  it('discover matches nothing for a package of other functions, a path that leaves the repository, or no Kptfile', () => {
    const other = 'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: other\npipeline:\n  mutators:\n  - image: gcr.io/kpt-fn/set-namespace:v0.4.1\n';
    const { repo, app } = checkout(FLEET, (dir) => writeFileSync(join(dir, 'Kptfile'), other));
    expect(cmp(plugin.spec.discover.find.command, app).stdout).toBe('');
    expect(cmp(plugin.spec.discover.find.command, repo, { ARGOCD_APP_SOURCE_PATH: '../pkg' }).stdout).toBe('');
    expect(cmp(plugin.spec.discover.find.command, join(app, 'clusters'), { ARGOCD_APP_SOURCE_PATH: 'pkg/clusters' }).stdout).toBe('');
  });

  it('options default from the sidecar container (FLATNET_*), and the Application wins', () => {
    const { app } = checkout(FLEET, (dir) => {
      writeFileSync(join(dir, 'gate.yaml'), readFileSync(join(dir, 'gate.yaml'), 'utf8').replace('failOnWarnings: true', 'failOnWarnings: false'));
      const file = join(dir, 'clusters', 'edge-1', 'intent.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('localASN: 65101', 'localASN: 64500')); // a documentation ASN: a warning
    });
    expect(cmp(plugin.spec.generate.command, app, { FLATNET_FAIL_ON_WARNINGS: 'true' }).status).toBe(1);
    expect(cmp(plugin.spec.generate.command, app, { FLATNET_FAIL_ON_WARNINGS: 'true', ARGOCD_ENV_FLATNET_FAIL_ON_WARNINGS: 'false' }).status).toBe(0);
    expect(cmp(plugin.spec.generate.command, app, { FLATNET_FAIL_ON_WARNINGS: 'true', PARAM_FAIL_ON_WARNINGS: 'false' }).status).toBe(0);
  });

  it('the sidecar uses the code cache beside the bundle (read-only, as that user)', () => {
    const { repo } = checkout(FLEET);
    const r = cmp(plugin.spec.discover.find.command, repo, { FLATNET_DEBUG_CODE_CACHE: '1' });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`flatnet: code cache ${sidecar}/flatnet.js.v8cache: used\n`);
  });
});
