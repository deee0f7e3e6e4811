import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCheck } from '../src/check';
import { kptfile } from '../../../test/fuzz/kptfile';

const SEED = readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'seeds', 'ipv4-flat.yaml'), 'utf8');
const env = (cwd: string) => ({ cwd, version: 't', today: () => '2026-06-01' });
const KPTFILE = (name: string) => kptfile(name, []);
const GATE = (extra = '') => `apiVersion: fn.flatnet.dev/v1alpha1\nkind: ValidateFlatNetwork\nmetadata:\n  name: gate\n  annotations:\n    config.kubernetes.io/local-config: "true"\n${extra}`;
/** The seed's cluster as another one: its own name and namespace, the same pod range and floating IPs. */
const cluster = (name: string) => SEED.replace(/\bcluster-bm\b/g, `cluster-${name}`).replace(/name: bm\n/, `name: ${name}\n`).replace(/clusterName: bm\n/g, `clusterName: ${name}\n`);

function fleet(packages: Record<string, { clusters: string[]; gate?: string }>): string {
  const dir = mkdtempSync(join(tmpdir(), 'flatnet-fleetcheck-'));
  for (const [admin, p] of Object.entries(packages)) {
    const pkg = join(dir, 'clusters', admin);
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'Kptfile'), KPTFILE(admin));
    writeFileSync(join(pkg, 'gate.yaml'), GATE(p.gate));
    for (const c of p.clusters) writeFileSync(join(pkg, `${c}.yaml`), cluster(c));
  }
  return dir;
}

type Json = { results: Array<{ severity: string; message: string; tags: { policy: string }; file?: { path: string } }> };
const json = (dir: string, ...args: string[]) => JSON.parse(runCheck(['clusters', '--format', 'json', ...args], env(dir)).stdout) as Json;
const fleetFindings = (j: Json) => j.results.filter((r) => r.tags.policy.startsWith('FLAT-FLT-'));

describe('flatnet check over a fleet of packages (one per admin cluster)', () => {
  it('needs no --config: each package by its own, the fleet policies across packages of one routing domain', () => {
    const dir = fleet({ west: { clusters: ['w1'] }, east: { clusters: ['e1'] } });
    const out = runCheck(['clusters'], env(dir));
    expect(out.stderr).toBe('');
    expect(out.exitCode).toBe(1);
    const found = fleetFindings(json(dir));
    expect(found.map((r) => r.tags.policy).sort()).toEqual(expect.arrayContaining(['FLAT-FLT-001', 'FLAT-FLT-002']));
    expect(found.some((r) => r.file?.path.startsWith('clusters/east/') || r.file?.path.startsWith('clusters/west/'))).toBe(true);
  });

  it('packages in different routing domains may reuse pod ranges and floating IPs', () => {
    const dir = fleet({ west: { clusters: ['w1'], gate: 'routingDomain: west-wan\n' }, east: { clusters: ['e1'], gate: 'routingDomain: east-wan\n' } });
    expect(fleetFindings(json(dir))).toEqual([]);
    expect(runCheck(['clusters'], env(dir)).exitCode).toBe(0);
  });

  it('a finding takes the options of its own package (severity, disable)', () => {
    const dir = fleet({
      west: { clusters: ['w1'], gate: 'severity:\n  FLAT-FLT-001: warning\n  FLAT-FLT-002: warning\n' },
      east: { clusters: ['e1'], gate: 'disable: [FLAT-FLT-001, FLAT-FLT-002]\n' },
    });
    const found = fleetFindings(json(dir));
    expect(found.length).toBeGreaterThan(0);
    for (const r of found) {
      expect(r.file?.path).toMatch(/^clusters\/west\//);
      expect(r.severity).toBe('warning');
    }
  });

  it('refuses two configs in one package, and a bad routing domain names its file', () => {
    const dir = fleet({ west: { clusters: ['w1'] }, east: { clusters: ['e1'], gate: 'routingDomain: Not_A_Name\n' } });
    writeFileSync(join(dir, 'clusters', 'west', 'gate2.yaml'), GATE().replace('name: gate', 'name: gate2'));
    const two = runCheck(['clusters'], env(dir));
    expect(two.exitCode).toBe(2);
    expect(two.stderr).toContain('the package "clusters/west" holds 2 ValidateFlatNetwork configs');
    writeFileSync(join(dir, 'clusters', 'west', 'gate2.yaml'), '# gone\n');
    const bad = json(dir);
    expect(bad.results.some((r) => /routingDomain/.test(r.message))).toBe(true);
  });
});
