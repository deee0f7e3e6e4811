/**
 * The block-YAML reader against the `yaml` package, which reads every document flatnet edits or
 * locates: wherever the reader gives a value, `yaml` must give the same value (deep, strict: -0,
 * NaN, null vs undefined); wherever `yaml` fails, it must stand aside. Over every YAML file of the repository, a synthetic fleet,
 * and generated text made of the subset's edge cases. `npm run fuzz` runs many more cases.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { readBlockYaml } from '../src/block-yaml';
import { splitDocuments } from '../src/fast';
import { PARSE_OPTIONS } from '../src/kube-object';
import { LIMITS } from '../src/resource-list';
import { clusterText } from '../../../test/fuzz/corrupt';

const RUNS = Number(process.env.FLATNET_FUZZ_RUNS ?? 150) * 10;
const SEED = Number(process.env.FLATNET_FUZZ_SEED ?? 8);
const root = join(__dirname, '..', '..', '..');

/** What the `yaml` package reads, as flatnet parses documents; undefined when it reports an error. */
function truth(text: string): { value: unknown } | undefined {
  try {
    const doc = parseDocument(text, PARSE_OPTIONS);
    if (doc.errors.length) return undefined;
    return { value: doc.toJS({ maxAliasCount: LIMITS.maxAliasCount }) };
  } catch {
    return undefined;
  }
}

/** Undefined when the reader agrees with `yaml` (or stood aside), else what differs. */
function disagreement(text: string): string | undefined {
  const ours = readBlockYaml(text);
  if (!ours) return undefined;
  const theirs = truth(text);
  if (!theirs) return `yaml rejects what the reader accepted:\n${text}`;
  // An empty document: callers skip null and undefined alike.
  if (!isDeepStrictEqual(ours.value ?? null, theirs.value ?? null)) return `the reader reads differently:\n${text}\nours: ${JSON.stringify(ours.value)}\nyaml: ${JSON.stringify(theirs.value)}`;
  return undefined;
}

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === '.git' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yamlFiles(p, out);
    else if (/\.(ya?ml|expected)$/.test(name) || name === 'Kptfile') out.push(p);
  }
  return out;
}

describe('the block reader agrees with yaml', () => {
  it('on every document of every YAML file in the repository', () => {
    const files = yamlFiles(root);
    expect(files.length).toBeGreaterThan(100);
    let read = 0;
    for (const file of files) {
      for (const chunk of splitDocuments(readFileSync(file, 'utf8'))) {
        expect(disagreement(chunk.text)).toBeUndefined();
        if (readBlockYaml(chunk.text)) read++;
      }
    }
    // The reader must actually carry the common case, not stand aside everywhere.
    expect(read).toBeGreaterThan(files.length / 2);
  });

  it('reads a fleet of plain manifests entirely by itself', () => {
    for (let i = 1; i <= 20; i++) {
      for (const chunk of splitDocuments(clusterText(i, i % 2 === 0))) {
        expect(readBlockYaml(chunk.text)).toBeDefined();
        expect(disagreement(chunk.text)).toBeUndefined();
      }
    }
  });

  it.each([
    ['a: 1\nb:\n  c: [x]\n'], // a non-empty flow collection
    ['a: |\n  text\n'],
    ['a: &x 1\nb: *x\n'],
    ['a: !!str 1\n'],
    ['a: "x\\ty"\n'],
    ['a: b\n  c\n'], // a multi-line plain scalar
    ['a: 1\na: 2\n'],
    ['__proto__: 1\n'],
    ['1: x\n'],
    ['null: x\n'],
    ['a: 1\n---\nb: 2\n'],
    ['a:\tb\n'],
    ['a: b\r\n'],
    ['\ufeffa: b\n'],
    ['a: é\n'],
    ['- - a\n'],
    ['? a\n: b\n'],
    ['a: b: c\n'],
    ['plain scalar\n'],
    ['a: "unterminated\n'],
  ])('stands aside on %j', (text) => {
    expect(readBlockYaml(text)).toBeUndefined();
  });

  it.each([
    ['a: 1\n', { a: 1 }],
    ['---\na: ~\nb: Null\nc: TRUE\nd: yes\n', { a: null, b: null, c: true, d: 'yes' }],
    ['a: 0x1F\nb: 0o17\nc: .inf\nd: -0\ne: 1_000\nf: 012\n', { a: 31, b: 15, c: Infinity, d: -0, e: '1_000', f: 12 }],
    ["a: 'it''s'\nb: \"x # y\"\nc: x # y\nd: x#y\ne: ''\n", { a: "it's", b: 'x # y', c: 'x', d: 'x#y', e: '' }],
    ['k:\n- a\n- b: 1\n  c: 2\n-\n', { k: ['a', { b: 1, c: 2 }, null] }],
    ['a: []\nb: {}\nc:\nd: # nothing\n', { a: [], b: {}, c: null, d: null }],
    ['# only a comment\n', undefined],
    ['---\n', null],
    ['a: -.5\nb: 0b11\nc: +0x1F\nd: +12\ne: 1e3\nf: .NaN\n', { a: -0.5, b: '0b11', c: '+0x1F', d: 12, e: 1000, f: NaN }],
  ])('reads %j', (text, value) => {
    const read = readBlockYaml(text);
    if (value === undefined) expect(read).toBeUndefined();
    else expect(read).toEqual({ value, bounded: true });
    expect(disagreement(text)).toBeUndefined();
  });

  it('on generated text made of the edge cases of its subset', () => {
    const keys = ['a', 'b', 'kind', 'x.y/z', '"q"', "'s''t'", 'null', 'True', '1', '__proto__', 'a b', 'a:b', '-x', '_', 'k ', '"a\\"b"', '<<', '? a'];
    const values = ['', 'v', '~', 'null', 'Null', 'TRUE', 'yes', '0x1F', '1_000', '.inf', '-.5', '+1', '012', '1e3', '0o7', '0b1', '"a # b"', "'it''s'", 'a #c', 'a#c', '[]', '{}', '[ ]', '[a]', '- x', ': x', '? x', '-', ':', 'a: b', 'a:b', 'http://x:80/y', '|', '>-', '&a x', '*a', '!t x', '# c', '"unterminated', "'x' y", '"x"y', '-1', '---', '...', 'a,b', 'a]', '%x', '@x', '`x'];
    const line = fc.oneof(
      fc.tuple(fc.nat(6), fc.constantFrom(...keys), fc.constantFrom(...values)).map(([n, k, v]) => `${' '.repeat(n)}${k}:${v === '' ? '' : ` ${v}`}`),
      fc.tuple(fc.nat(6), fc.constantFrom(...values)).map(([n, v]) => `${' '.repeat(n)}-${v === '' ? '' : ` ${v}`}`),
      fc.tuple(fc.nat(6), fc.constantFrom(...keys), fc.constantFrom(...values)).map(([n, k, v]) => `${' '.repeat(n)}- ${k}: ${v}`),
      fc.tuple(fc.nat(6), fc.constantFrom('# c', '', '---', '...', '--- # c', '-   a: 1', '- - a', '  ')).map(([n, s]) => `${' '.repeat(n)}${s}`),
      fc.constantFrom('---', '...', '--- x', '#', ''),
    );
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), fc.boolean(), (lines, newline) => {
        const text = lines.join('\n') + (newline ? '\n' : '');
        const problem = disagreement(text);
        if (problem) throw new Error(problem);
        if (readBlockYaml(text) && text.trim() !== '') accepted++;
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // Some generated texts are inside the subset (most are not: random lines rarely nest well).
    expect(accepted).toBeGreaterThan(RUNS / 50);
  });

  // Plain scalars resolve by their first characters before any pattern is tried (letters,
  // digits, a second dot): words and number-like text from the characters that matter.
  it('on plain scalars that look like numbers, versions, addresses, nulls or booleans', () => {
    const piece = fc.constantFrom('0', '1', '7', '00', '10', '.', '..', 'e', 'E', '+', '-', 'x', 'o', 'a', 'f', 'F', 'n', 'N', 't', 'T', 'ull', 'ULL', 'rue', 'RUE', 'alse', 'ALSE', 'inf', 'nan', '~', '_', 's');
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 6 }), (parts) => {
        const text = `k: ${parts.join('')}\n- ${parts.join('')}\n`.replace('\n-', '\nl:\n-');
        const problem = disagreement(text);
        if (problem) throw new Error(problem);
      }),
      { seed: SEED, numRuns: RUNS * 4 },
    );
  });

  it('on generated nested documents in every block layout', () => {
    const scalar = fc.constantFrom('v', 'a b', '~', 'null', 'True', 'yes', '0x1F', '012', '1e3', '-1', '.inf', '"q # r"', "'it''s'", 'a #c', 'a:b', 'x,y', '[]', '{}', '"10.0.0.1"', '10.0.0.0/24', 'fd00::/112', "''", '""');
    const key = fc.constantFrom('a', 'b', 'c', 'kind', 'x.io/y', '"q"', "'s'", 'k_1', 'd-e');
    type Node = string | { map: Array<[string, Node]> } | { seq: Node[] };
    const { node } = fc.letrec<{ node: Node }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        scalar,
        fc.record({ map: fc.array(fc.tuple(key, tie('node')), { minLength: 1, maxLength: 4 }) }),
        fc.record({ seq: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
      ),
    }));
    /** Writes `n` as the value after `key:` or `-` at `indent`, in one of the layouts YAML allows. */
    const write = (n: Node, indent: number, compact: boolean, comments: boolean, lines: string[], head: string): void => {
      const pad = ' '.repeat(indent);
      if (typeof n === 'string') {
        lines.push(`${head} ${n}`);
        return;
      }
      if ('map' in n) {
        lines.push(comments ? `${head} # a map` : head);
        for (const [k, v] of n.map) write(v, indent + 2, compact, comments, lines, `${pad}  ${k}:`);
        return;
      }
      lines.push(head);
      const at = compact && head.endsWith(':') ? pad : `${pad}  `;
      for (const v of n.seq) write(v, at.length + 2, compact, comments, lines, `${at}-`);
    };
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(key, node), { minLength: 1, maxLength: 4 }), fc.boolean(), fc.boolean(), (top, compact, comments) => {
        const lines: string[] = comments ? ['# head comment'] : [];
        for (const [k, v] of top) write(v, 0, compact, comments, lines, `${k}:`);
        const text = `${lines.join('\n')}\n`;
        const problem = disagreement(text);
        if (problem) throw new Error(problem);
        if (readBlockYaml(text)) accepted++;
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(accepted).toBeGreaterThan(RUNS / 4);
  });

  it('on real manifests with lines duplicated, dropped, re-indented or cut', () => {
    const text = clusterText(3, true);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.constantFrom('dup', 'drop', 'indent', 'dedent', 'cut')), { minLength: 1, maxLength: 4 }), (edits) => {
        const lines = text.split('\n');
        for (const [at, op] of edits) {
          const i = at % lines.length;
          if (op === 'dup') lines.splice(i, 0, lines[i]!);
          else if (op === 'drop') lines.splice(i, 1);
          else if (op === 'indent') lines[i] = ` ${lines[i]}`;
          else if (op === 'dedent') lines[i] = lines[i]!.replace(/^ /, '');
          else lines[i] = lines[i]!.slice(0, at % (lines[i]!.length + 1));
        }
        for (const chunk of splitDocuments(lines.join('\n'))) {
          const problem = disagreement(chunk.text);
          if (problem) throw new Error(problem);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
