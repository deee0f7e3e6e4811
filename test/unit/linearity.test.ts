/**
 * "Linear in everything", as a property: for comment-heavy, blank-heavy, `---`-marker-heavy,
 * long-line (and, for the ResourceList reader, flow-style) inputs, doubling the input at most
 * about doubles the time of readFileItems, the ResourceList reader, `flatnet check` and render's
 * readPackage: t(2n) <= 2.5 × t(n), in CPU time. Each time is the median of five runs, taken in turns with the
 * other size's, at a size grown until one run takes tens of milliseconds (so that noise is small
 * against it); the medians or, where other processes slowed some runs, the fastest runs must keep
 * the bound, and a case that misses it is measured once more before it fails. Quadratic code misses it by
 * far: its ratio is near 4. `FLATNET_FUZZ_RUNS` / `FLATNET_FUZZ_SEED` as in the other suites.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseResourceList, readFileItems } from '@flatnet/krm';
import { readPackage } from '@flatnet/pipeline';
import { runCheck } from '../../packages/cli/src/check';

/** Cases per entry point and family: 1 in `npm test`, more with FLATNET_FUZZ_RUNS. */
const RUNS = Math.max(1, Math.round(Number(process.env.FLATNET_FUZZ_RUNS ?? 150) / 150));
const SEED = Number(process.env.FLATNET_FUZZ_SEED ?? 8);
const RATIO = 2.5;
/** Grow the input until one run takes this long (ms), doubling from the shape's smallest size. */
const TARGET_MS = 80;
const MAX_UNITS = 1 << 16;

type Family = 'comments' | 'blanks' | 'markers' | 'long-lines' | 'flow';

interface Shape {
  family: Family;
  /** Lines (or characters, for long lines) each unit adds. */
  weight: number;
  /** Column of the comments, and indentation of the blank lines. */
  indent: number;
  /** A word the text is made of, so that cases differ. */
  word: string;
}

const object = (i: number, s: Shape, extra = ''): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${s.word}-${i}\n  namespace: ns\n${extra}data:\n  k: ${s.word}\n`;

/** A multi-document file of `units` objects in the shape's style. */
function fileText(s: Shape, units: number): string {
  const pad = ' '.repeat(s.indent);
  let out = '';
  for (let i = 0; i < units; i++) {
    switch (s.family) {
      case 'comments':
        out += `${Array.from({ length: s.weight }, (_, k) => `${pad}# ${s.word} licence line ${k}`).join('\n')}\n${object(i, s)}---\n`;
        break;
      case 'blanks':
        out += `${`${pad}\n`.repeat(s.weight)}${object(i, s, `${pad}\n`.repeat(s.weight))}---\n`;
        break;
      case 'markers':
        out += `${'---\n'.repeat(s.weight)}${object(i, s)}`;
        break;
      case 'long-lines':
      case 'flow':
        out += `${object(i, s, `  annotations:\n    note: "${s.word.repeat(s.weight * 20)}"\n`)}---\n`;
        break;
    }
  }
  return out;
}

/** The same objects as a ResourceList: block entries, or for `flow` one JSON document. */
function listText(s: Shape, units: number): string {
  if (s.family === 'flow') {
    const items = Array.from({ length: units }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `${s.word}-${i}`, namespace: 'ns' }, data: { k: s.word } }));
    return JSON.stringify({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items }, null, s.indent);
  }
  const entries = fileText(s, units)
    .split(/^---\n/m)
    .filter((d) => /\S/.test(d.replace(/^\s*#.*$/gm, '')))
    .map((d) => d.trimEnd().split('\n').map((l, i) => (i === 0 ? `- ${l}` : l === '' ? '' : `  ${l}`)).join('\n'));
  const body = s.family === 'markers' ? `${entries.join('\n')}\n${'---\n'.repeat(s.weight * units)}` : `${entries.join('\n')}\n`;
  return `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${body}`;
}

const shape = (family: Family): fc.Arbitrary<Shape> =>
  fc.record({
    family: fc.constant(family),
    weight: fc.integer({ min: 2, max: 40 }),
    indent: fc.integer({ min: 0, max: 6 }),
    word: fc.constantFrom('a', 'edge', 'rack-7', 'x1y2'),
  });

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * The CPU time of one run (ms), not the wall-clock time: on a machine shared with other work
 * (CI's two cores, the other test workers) waiting for a core is not the code's cost.
 */
function once(run: () => void): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/**
 * Holds `prepare`'s runs linear: finds a size where one run takes TARGET_MS, then times five runs
 * at that size and five at twice it, taken in turns (so that both see the same machine), and
 * compares the medians; a miss is measured once more before it fails.
 */
function expectLinear(s: Shape, prepare: (units: number) => () => void): void {
  let units = 8;
  let run = prepare(units);
  run(); // warm up: compile what this shape reaches
  while (units < MAX_UNITS && once(run) < TARGET_MS) run = prepare((units *= 2));
  const measure = (): { small: number; large: number; fastestSmall: number; fastestLarge: number; ok: boolean } => {
    const small = prepare(units);
    const large = prepare(units * 2);
    large(); // warm up at the larger size too
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < 5; i++) {
      a.push(once(small));
      b.push(once(large));
    }
    const m = { small: median(a), large: median(b), fastestSmall: Math.min(...a), fastestLarge: Math.min(...b) };
    // The medians, or the fastest runs (a busy machine slows some runs, never speeds one up).
    return { ...m, ok: m.large <= RATIO * m.small || m.fastestLarge <= RATIO * m.fastestSmall };
  };
  let m = measure();
  if (!m.ok) m = measure();
  if (!m.ok) throw new Error(`not linear: twice the input took ${(m.large / m.small).toFixed(2)}× the time (${JSON.stringify({ shape: s, units, ...m })})`);
}

const FILE_SHAPES: Family[] = ['comments', 'blanks', 'markers', 'long-lines'];
const dir = mkdtempSync(join(tmpdir(), 'flatnet-linear-'));
const KPTFILE = 'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: p\n  annotations:\n    config.kubernetes.io/local-config: "true"\n';

const ENTRY_POINTS: Array<[string, Family[], (s: Shape, units: number) => () => void]> = [
  ['readFileItems', FILE_SHAPES, (s, units) => {
    const text = fileText(s, units);
    return () => void readFileItems('f.yaml', text);
  }],
  ['the ResourceList reader', [...FILE_SHAPES, 'flow'], (s, units) => {
    const text = listText(s, units);
    return () => {
      try {
        parseResourceList(text);
      } catch {
        // `---`-heavy lists are refused (several documents): how fast is what counts
      }
    };
  }],
  ['flatnet check', FILE_SHAPES, (s, units) => {
    const sub = mkdtempSync(join(dir, 'check-'));
    writeFileSync(join(sub, 'f.yaml'), fileText(s, units));
    return () => {
      const out = runCheck(['--format', 'json', sub], { cwd: sub, version: 'test', today: () => '2026-06-01' });
      if (out.exitCode === 2) throw new Error(out.stderr);
    };
  }],
  ["render's readPackage", FILE_SHAPES, (s, units) => {
    const sub = mkdtempSync(join(dir, 'pkg-'));
    writeFileSync(join(sub, 'Kptfile'), KPTFILE);
    writeFileSync(join(sub, 'f.yaml'), fileText(s, units));
    return () => void readPackage(sub);
  }],
];

describe.each(ENTRY_POINTS.map(([name, families, prepare]) => [name, families, prepare] as const))('time linear in the input: %s', (_name, families, prepare) => {
  it.each(families)('%s', (family) => {
    fc.assert(
      fc.property(shape(family), (s) => expectLinear(s, (units) => prepare(s, units))),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
