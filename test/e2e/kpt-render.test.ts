/**
 * Every example package rendered by the real `kpt fn render --allow-exec`, twice: the first render
 * must give the package's `.expected/` files, the second must change nothing (kpt's own e2e
 * convention; it also catches head comments doubling). kpt runs from the repository root, where
 * the Kptfiles' `exec: ./dist/fn/…` paths resolve.
 *
 * In `.expected/` a package's `Kptfile` is stored as `Kptfile.expected`: a folder holding a
 * Kptfile is a kpt subpackage, which `.krmignore` cannot hide, and rendering the example would
 * then render its expected copy too.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { copyPackage, examplePackages, kpt, kptAvailable, requireDist, ROOT, snapshot, UPDATE, withoutRenderStatus } from './support';

const STORED_KPTFILE = /(^|\/)Kptfile\.expected$/;
const toStored = (file: string): string => file.replace(/(^|\/)Kptfile$/, '$1Kptfile.expected');
const fromStored = (snap: Map<string, string>): Record<string, string> =>
  Object.fromEntries([...snap].map(([f, t]) => [f.replace(STORED_KPTFILE, '$1Kptfile'), t]));

const packages = examplePackages();
const haveKpt = kptAvailable();
const maybe = haveKpt ? it : it.skip;

describe('kpt fn render of the example packages', () => {
  beforeAll(requireDist);

  it('finds example packages', () => {
    expect(packages.length).toBeGreaterThan(0);
  });

  for (const pkg of packages) {
    maybe(`${relative(ROOT, pkg)}: renders to .expected, and a second render is a no-op`, () => {
      const work = copyPackage(pkg);
      const first = kpt(['fn', 'render', '--allow-exec', '--truncate-output=false', work]);
      expect({ status: first.status, stderr: first.status === 0 ? '' : first.stderr }).toEqual({ status: 0, stderr: '' });
      const rendered = withoutRenderStatus(snapshot(work));

      const expectedDir = join(pkg, '.expected');
      if (UPDATE) {
        rmSync(expectedDir, { recursive: true, force: true });
        for (const [file, text] of rendered) {
          mkdirSync(dirname(join(expectedDir, toStored(file))), { recursive: true });
          writeFileSync(join(expectedDir, toStored(file)), text);
        }
      } else {
        expect(Object.fromEntries(rendered)).toEqual(fromStored(withoutRenderStatus(snapshot(expectedDir))));
      }

      const second = kpt(['fn', 'render', '--allow-exec', work]);
      expect(second.status).toBe(0);
      expect(Object.fromEntries(withoutRenderStatus(snapshot(work)))).toEqual(Object.fromEntries(rendered));
      rmSync(dirname(work), { recursive: true, force: true });
    });
  }
});
