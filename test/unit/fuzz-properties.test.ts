/**
 * Issue 8's guarantees as properties, over corrupted fleets (fixed seed; `npm run fuzz` runs many
 * more): every function and `flatnet check` end in a result or a worded input error — never a
 * crash, never a stack trace; validators leave items byte for byte; mutators are idempotent on
 * whatever they accept.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { execute } from '@flatnet/krm';
import { itemsOf } from '@flatnet/krm/testing';
import { runCheck } from '../../packages/cli/src/check';
import { FUNCTIONS } from '../../packages/cli/src/registry';
import { asResourceList, corrupt, corruption, fleetText } from '../fuzz/corrupt';
import { failOnProcessWarnings } from '../fuzz/no-warnings';

export const RUNS = Number(process.env.FLATNET_FUZZ_RUNS ?? 150);
const SEED = Number(process.env.FLATNET_FUZZ_SEED ?? 8);
const STACK = /\n\s+at .+:\d+:\d+/;

failOnProcessWarnings();

describe('guarantees over corrupted input', () => {
  it.each([...FUNCTIONS.values()].map((f) => [f.name, f]))('%s: no crash; validators modify nothing; mutators idempotent', (_n, fn) => {
    fc.assert(
      fc.property(fleetText, fc.array(corruption, { minLength: 1, maxLength: 3 }), (text, cs) => {
        const input = cs.reduce((t, c) => corrupt(t, c), asResourceList(text));
        const out = execute(fn, input);
        expect(out.stderr).not.toMatch(STACK);
        expect(out.stdout).toMatch(/^apiVersion: config.kubernetes.io\/v1\nkind: ResourceList\n/);
        expect(out.stderr).not.toMatch(/internal error/);
        if (out.exitCode === 0 && fn.kind === 'validator') expect(itemsOf(out.stdout)).toBe(itemsOf(input));
        if (out.exitCode === 0 && fn.kind !== 'validator') {
          const again = execute(fn, out.stdout.replace(/\nresults:\n[\s\S]*$/, '\n'));
          expect(itemsOf(again.stdout)).toBe(itemsOf(out.stdout));
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('flatnet check: a report or a usage/input error, never a crash', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flatnet-fuzz-'));
    fc.assert(
      fc.property(fleetText, fc.array(corruption, { minLength: 1, maxLength: 3 }), (text, cs) => {
        writeFileSync(join(dir, 'fleet.yaml'), cs.reduce((t, c) => corrupt(t, c), text));
        const out = runCheck(['--format', 'json'], { cwd: dir, version: 'fuzz', today: () => '2026-06-01' });
        expect([0, 1, 2]).toContain(out.exitCode);
        expect(out.stderr).not.toMatch(STACK);
        if (out.exitCode !== 2) expect(JSON.parse(out.stdout).tool).toBe('flatnet');
        else expect(out.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
