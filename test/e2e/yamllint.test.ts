/**
 * The wet output passes Debian's yamllint with the documented config (yamllint-wet.yaml), for
 * every example package, with and without Namespaces. Skipped, loudly, where yamllint is missing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DIST, examplePackages, requireDist, ROOT } from './support';

function haveYamllint(): boolean {
  if (spawnSync('yamllint', ['--version']).status === 0) return true;
  if (process.getuid?.() === 0) {
    spawnSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq yamllint'], { stdio: 'ignore', timeout: 300_000 });
  }
  const ok = spawnSync('yamllint', ['--version']).status === 0;
  if (!ok) console.warn(`${'!'.repeat(78)}\n!! yamllint is not installed and could not be: the wet-output lint tests are SKIPPED.\n${'!'.repeat(78)}`);
  return ok;
}

const maybe = haveYamllint() ? it : it.skip;

describe('the wet output passes yamllint (yamllint-wet.yaml)', () => {
  beforeAll(requireDist);
  for (const pkg of examplePackages()) {
    for (const extra of [[], ['--namespaces']]) {
      maybe(`${relative(ROOT, pkg)} ${extra.join(' ')}`, () => {
        const out = join(mkdtempSync(join(tmpdir(), 'flatnet-wet-')), 'deploy');
        const h = spawnSync(process.execPath, [join(DIST, 'flatnet.js'), 'hydrate', pkg, '-o', out, ...extra], { encoding: 'utf8' });
        if (h.status !== 0) {
          // Some examples are made to fail the gate (or hold no Cluster): nothing to lint there.
          expect(h.stderr).toMatch(/flatnet/);
          return;
        }
        const lint = spawnSync('yamllint', ['-s', '-f', 'parsable', '-c', join(ROOT, 'yamllint-wet.yaml'), out], { encoding: 'utf8' });
        expect(lint.stdout + lint.stderr).toBe('');
        expect(lint.status).toBe(0);
      });
    }
  }

  maybe('the config can fail: a wet file with a duplicate key or a bare yes is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flatnet-wet-'));
    require('node:fs').writeFileSync(join(dir, 'x.yaml'), '# Rendered by flatnet\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\ndata:\n  on: yes\n');
    const lint = spawnSync('yamllint', ['-s', '-f', 'parsable', '-c', join(ROOT, 'yamllint-wet.yaml'), dir], { encoding: 'utf8' });
    expect(lint.status).not.toBe(0);
    expect(lint.stdout).toMatch(/key-duplicates/);
    expect(lint.stdout).toMatch(/truthy/);
  });
});
