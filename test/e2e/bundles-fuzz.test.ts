/**
 * The built bundles as kpt runs them, over corrupted ResourceLists (a small fixed-seed sample;
 * the in-process suite runs many more): exit 0 or 1, a ResourceList on stdout, at most one line
 * on stderr, never a stack trace, never a hang.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { asResourceList, corrupt, corruption, fleetText } from '../fuzz/corrupt';
import { DIST, requireDist } from './support';

requireDist();
const bundles = readdirSync(join(DIST, 'fn')).filter((f) => f.endsWith('.js')).sort();

describe.each(bundles.map((b) => [b]))('%s over corrupted input', (bundle) => {
  it('ends in a ResourceList with exit 0 or 1 and one clean stderr line at most', () => {
    fc.assert(
      fc.property(fleetText, fc.array(corruption, { minLength: 1, maxLength: 2 }), (text, cs) => {
        const input = cs.reduce((t, c) => corrupt(t, c), asResourceList(text));
        const r = spawnSync(join(DIST, 'fn', bundle), [], { input, encoding: 'utf8', timeout: 30_000 });
        expect(r.signal).toBeNull();
        expect([0, 1]).toContain(r.status);
        expect(r.stdout).toMatch(/^apiVersion: config.kubernetes.io\/v1\nkind: ResourceList\n/);
        expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
        expect(r.stderr.split('\n').filter(Boolean).length).toBeLessThanOrEqual(1);
      }),
      { seed: 11, numRuns: 12 },
    );
  });
});
