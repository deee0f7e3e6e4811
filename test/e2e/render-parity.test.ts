/**
 * `flatnet render` (in-process) and real `kpt fn render --allow-exec` write the same bytes for
 * every example package, every file: flatnet puts back the field order of what it passed to a
 * function, as kpt does (kyaml's order sync; packages/krm/src/order-sync.ts). What kpt alone does,
 * and the examples are written not to show: it re-serialises every file it writes, so an inline
 * comment gets one space before its `#` (flatnet keeps untouched bytes as they are); from
 * v1.0.0-beta.62 it writes a `status:` block into the root Kptfile (compared without it).
 * Both render twice: the second render must change nothing.
 */
import { spawnSync } from 'node:child_process';
import { relative } from 'node:path';
import { copyPackage, DIST, examplePackages, kpt, kptAvailable, requireDist, ROOT, snapshot, withoutRenderStatus } from './support';

const maybe = kptAvailable() ? it : it.skip;
const files = (snap: Map<string, string>): Record<string, string> => Object.fromEntries(withoutRenderStatus(snap));

describe('flatnet render vs kpt fn render', () => {
  beforeAll(requireDist);
  for (const pkg of examplePackages()) {
    maybe(`${relative(ROOT, pkg)}: the same bytes, and a second render changes nothing`, () => {
      const byKpt = copyPackage(pkg);
      const byUs = copyPackage(pkg);
      expect(kpt(['fn', 'render', '--allow-exec', byKpt]).status).toBe(0);
      const ours = spawnSync(`${DIST}/flatnet.js`, ['render', byUs], { encoding: 'utf8' });
      expect({ status: ours.status, stderr: ours.status === 0 ? '' : ours.stderr }).toEqual({ status: 0, stderr: '' });
      expect(files(snapshot(byUs))).toEqual(files(snapshot(byKpt)));
      const once = snapshot(byUs);
      const again = spawnSync(`${DIST}/flatnet.js`, ['render', byUs], { encoding: 'utf8' });
      expect(again.status).toBe(0);
      expect(again.stderr).toMatch(/no change\n$/);
      expect(snapshot(byUs)).toEqual(once);
    });
  }
});
