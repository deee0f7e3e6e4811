/**
 * `flatnet render` (in-process) and real `kpt fn render --allow-exec` give the same resources for
 * every example package: the same files, and in each the same objects, compared parsed, path by
 * path (kpt re-serialises what a function touched; flatnet keeps untouched bytes).
 * Both render twice: the second render must change nothing.
 */
import { spawnSync } from 'node:child_process';
import { relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { copyPackage, DIST, examplePackages, kpt, kptAvailable, requireDist, ROOT, snapshot } from './support';

const maybe = kptAvailable() ? it : it.skip;
const parsed = (snap: Map<string, string>): Record<string, unknown[]> =>
  Object.fromEntries([...snap].filter(([f]) => !f.endsWith('.krmignore')).map(([f, t]) => [f, parseAllDocuments(t).map((d) => (d as { toJS(): unknown }).toJS())]));

describe('flatnet render vs kpt fn render', () => {
  beforeAll(requireDist);
  for (const pkg of examplePackages()) {
    maybe(`${relative(ROOT, pkg)}: same resources, and a second render changes nothing`, () => {
      const byKpt = copyPackage(pkg);
      const byUs = copyPackage(pkg);
      expect(kpt(['fn', 'render', '--allow-exec', byKpt]).status).toBe(0);
      const ours = spawnSync(`${DIST}/flatnet.js`, ['render', byUs], { encoding: 'utf8' });
      expect({ status: ours.status, stderr: ours.status === 0 ? '' : ours.stderr }).toEqual({ status: 0, stderr: '' });
      expect(parsed(snapshot(byUs))).toEqual(parsed(snapshot(byKpt)));
      const once = snapshot(byUs);
      const again = spawnSync(`${DIST}/flatnet.js`, ['render', byUs], { encoding: 'utf8' });
      expect(again.status).toBe(0);
      expect(again.stderr).toMatch(/no change\n$/);
      expect(snapshot(byUs)).toEqual(once);
    });
  }
});
