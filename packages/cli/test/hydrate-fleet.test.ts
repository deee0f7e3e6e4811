import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runHydrate } from '../src/hydrate';
import { kptfile } from '../../../test/fuzz/kptfile';

const KPTFILE = (name: string) => kptfile(name, ['set-cluster-namespace']);
const CLUSTER = (name: string) => `apiVersion: baremetal.cluster.gke.io/v1\nkind: Cluster\nmetadata:\n  name: ${name}\n  namespace: cluster-${name}\nspec:\n  type: user\n`;

function fleet(admins: Record<string, string[]>): string {
  const top = mkdtempSync(join(tmpdir(), 'flatnet-fleet-'));
  for (const [admin, clusters] of Object.entries(admins)) {
    const dir = join(top, 'clusters', admin);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'Kptfile'), KPTFILE(admin));
    for (const c of clusters) writeFileSync(join(dir, `${c}.yaml`), CLUSTER(c));
  }
  return top;
}

describe('flatnet hydrate of a directory of packages (one per admin cluster)', () => {
  it('writes one folder per package, and removes the folder of a package that is gone, only its own files', () => {
    const top = fleet({ west: ['w1', 'w2'], 'region/east': ['e1'] });
    const r = runHydrate(['clusters', '-o', 'deploy'], top);
    expect(r.stderr).toBe('wrote "region/east", "west" in "deploy"\n');
    expect(r.exitCode).toBe(0);
    expect(readdirSync(join(top, 'deploy', 'west')).sort()).toEqual(['.flatnet-hydrated', 'w1.yaml', 'w2.yaml']);
    expect(readdirSync(join(top, 'deploy', 'region', 'east')).sort()).toEqual(['.flatnet-hydrated', 'e1.yaml']);
    expect(readFileSync(join(top, 'deploy', '.flatnet-hydrated'), 'utf8')).toContain('region/east\nwest\n');
    // Unchanged: nothing rewritten. Then the east package goes; a file of someone else stays.
    expect(runHydrate(['clusters', '-o', 'deploy'], top).exitCode).toBe(0);
    writeFileSync(join(top, 'deploy', 'region', 'east', 'README.md'), 'notes\n');
    rmSync(join(top, 'clusters', 'region'), { recursive: true });
    const again = runHydrate(['clusters', '-o', 'deploy'], top);
    expect(again.stderr).toBe('wrote "west"; removed "region/east" in "deploy"\n');
    expect(readdirSync(join(top, 'deploy', 'region', 'east'))).toEqual(['README.md']);
  });

  it('writes nothing when any package fails, and names every failing one', () => {
    const top = fleet({ a: ['a1'], b: ['b1'], c: ['c1'] });
    writeFileSync(join(top, 'clusters', 'a', 'bad.yaml'), 'kind: [\n');
    writeFileSync(join(top, 'clusters', 'c', 'bad.yaml'), 'kind: [\n');
    const r = runHydrate(['clusters', '-o', 'deploy'], top);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/Package "a":\n[^\n]*bad.yaml:1[\s\S]*Package "c":\n[^\n]*bad.yaml:1[\s\S]*nothing was written\n$/);
    expect(existsSync(join(top, 'deploy'))).toBe(false);
  });

  it('refuses a stream, and a package folder of the output that is a link', () => {
    const top = fleet({ west: ['w1'] });
    expect(runHydrate(['clusters', '-o', '-'], top).exitCode).toBe(2);
    mkdirSync(join(top, 'deploy'));
    writeFileSync(join(top, 'deploy', '.flatnet-hydrated'), '# Folders\n');
    mkdirSync(join(top, 'elsewhere'));
    symlinkSync(join(top, 'elsewhere'), join(top, 'deploy', 'west'));
    const r = runHydrate(['clusters', '-o', 'deploy'], top);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('cannot write into "west": it is a symbolic link');
    expect(readdirSync(join(top, 'elsewhere'))).toEqual([]);
  });

  it('says so when the directory holds no package', () => {
    const top = mkdtempSync(join(tmpdir(), 'flatnet-fleet-'));
    mkdirSync(join(top, 'empty'));
    const r = runHydrate(['empty', '-o', 'deploy'], top);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('is not a kpt package (no Kptfile) and holds none');
  });
});
