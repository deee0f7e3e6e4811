/** The waiver reader's `until DATE: reason`, read by a scan: as the expression it replaces read it. */
import fc from 'fast-check';
import { KubeObject } from '@flatnet/krm';
import { WAIVER_PREFIX, waiversOf } from '../src/waivers';

const RUNS = Number(process.env.FLATNET_FUZZ_RUNS ?? 150) * 10;
const SEED = Number(process.env.FLATNET_FUZZ_SEED ?? 8);
// eslint-disable-next-line regexp/no-super-linear-backtracking -- the old expression, as a reference on short strings
const OLD = /^\s*until\s+(\S+)\s*:\s*(.*)$/s;

it('reads `until DATE: reason` as /^\\s*until\\s+(\\S+)\\s*:\\s*(.*)$/s did', () => {
  const raw = fc.array(fc.constantFrom('until', ' ', '\n', '\t', ':', 'a', '2026-01-01', 'x y', '::'), { maxLength: 12 }).map((p) => p.join(''));
  fc.assert(
    fc.property(raw, (text) => {
      const obj = KubeObject.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', annotations: { [`${WAIVER_PREFIX}FLAT-X-001`]: text } } });
      const [w] = waiversOf(obj);
      const m = OLD.exec(text);
      expect({ until: w!.until, reason: w!.reason }).toEqual({ until: m ? m[1] : undefined, reason: (m ? m[2]! : text).trim() });
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

it('reads a long waiver in linear time', () => {
  const text = `until ${'a:'.repeat(100_000)} ${' '.repeat(100_000)}x`;
  const obj = KubeObject.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', annotations: { [`${WAIVER_PREFIX}FLAT-X-001`]: text } } });
  const start = performance.now();
  expect(waiversOf(obj)[0]!.until).toBe('a:'.repeat(99_999) + 'a');
  expect(performance.now() - start).toBeLessThan(1000);
});
