/**
 * "No input makes any part slow": regressions named after the inputs that once took seconds or
 * minutes (or crashed), each at a size where the old code did, with a time bound generous enough
 * for a busy two-core machine. The sizes and the old times are in docs/reliability.md (Limits).
 */
import fc from 'fast-check';
import { count, execute, KrmInputError, listSome, parseResourceList, readFileItems, renderFileText, type KrmFunction, type Result } from '@flatnet/krm';

import { parseAllDocuments, parseDocument } from 'yaml';
import { documentsWithContent, hasKeepIndicator, startsWithMarker } from '../src/fast';
import { PARSE_OPTIONS } from '../src/kube-object';
import { parseAllYaml, parseYaml } from '../src/parse';

const RUNS = Number(process.env.FLATNET_FUZZ_RUNS ?? 150) * 10;
const SEED = Number(process.env.FLATNET_FUZZ_SEED ?? 8);
const head = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n';
const fnOf = (process: KrmFunction<object>['process']): KrmFunction<object> => ({
  name: 'test-fn',
  kind: 'validator',
  description: '',
  config: { apiVersion: 'x/v1', kind: 'X', validate: Object.assign(() => true, { errors: null }), configMapFields: {}, defaults: () => ({}) },
  process,
});

/** Milliseconds `f` takes (its result or error ignored). */
function timed(f: () => unknown): number {
  const start = performance.now();
  try {
    f();
  } catch {
    // the time is what counts here; each test checks the outcome itself where it matters
  }
  return performance.now() - start;
}

const LICENCE = [
  '# Copyright 2026 The flatnet Authors',
  '#',
  '# Licensed under the Apache License, Version 2.0 (the "License");',
  '# you may not use this file except in compliance with the License.',
  '# You may obtain a copy of the License at',
  '#',
  '#     http://www.apache.org/licenses/LICENSE-2.0',
  '#',
  '# Unless required by applicable law or agreed to in writing, software',
  '# distributed under the License is distributed on an "AS IS" BASIS,',
  '# WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.',
  '# See the License for the specific language governing permissions and',
  '# limitations under the License.',
  '#',
].join('\n');

describe('regressions: super-linear regular expressions', () => {
  it('licence-header-before-two-documents: the document splitter reads a 14-line header before `---` in linear time', () => {
    // The splitter's old "comments only" expression (nested quantifiers over the header's lines)
    // took over a minute on this file; onlyPreamble reads it line by line.
    const text = `${LICENCE}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n`;
    let items: ReturnType<typeof readFileItems> = [];
    expect(timed(() => (items = readFileItems('licensed.yaml', text)))).toBeLessThan(1000);
    expect(items.map((i) => i.name)).toEqual(['a', 'b']);
    expect(renderFileText(items)).toBe(text);
    // and a header of 20,000 comment and blank lines
    const long = `${Array.from({ length: 10000 }, (_, i) => (i % 3 ? `# line ${i}` : '')).join('\n')}\n${text.slice(LICENCE.length + 1)}`;
    expect(timed(() => (items = readFileItems('long.yaml', long)))).toBeLessThan(2000);
    expect(renderFileText(items)).toBe(long);
  });

  it('blank-lines-before-a-document: writing back a document that starts with 32 blank lines is linear (was exponential: 30 s)', () => {
    // renderDocument asked `/^(?:\s*#[^\n]*\n|\s*\n)*---/` whether the text starts with a marker:
    // every blank line doubled its time (24 lines 68 ms, 32 lines 30 s, 40 lines hours).
    const text = `${'\n'.repeat(32)}apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n${'\n'.repeat(32)}# a comment\n${'  \n'.repeat(32)}apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n`;
    const items = readFileItems('blank.yaml', text);
    let out = '';
    expect(timed(() => (out = renderFileText(items)))).toBeLessThan(1000);
    expect(out).toBe(text);
  });

  it('carriage-returns-in-the-last-item: the `|+` look-ahead of the ResourceList splitter is linear (was quadratic: 100,000 CRs 9 s)', () => {
    const text = `${head}- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n  data:\n    a: "${'\r'.repeat(100_000)}x"\n\n# the end\n`;
    expect(timed(() => parseResourceList(text))).toBeLessThan(2000);
  });

  it('spaces-before-a-yaml-error: locating an error after a long run of spaces is linear (was quadratic: 100,000 spaces 5.7 s)', () => {
    const bad = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  a: "x${' '.repeat(100_000)}y\n  b: [\n`;
    expect(timed(() => readFileItems('bad.yaml', bad))).toBeLessThan(2000);
    expect(() => readFileItems('bad.yaml', bad)).toThrow(KrmInputError);
    const list = `${head}- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n  data:\n    a: "x${' '.repeat(100_000)}y\n    b: [\n`;
    expect(timed(() => parseResourceList(list))).toBeLessThan(2000);
    expect(() => parseResourceList(list)).toThrow(KrmInputError);
  });

  it('spaces-in-a-message: the one-line stderr summary is linear in the message (was quadratic: 100,000 spaces 19 s)', () => {
    const message = `value "${' '.repeat(100_000)}x" is wrong\nsecond line`;
    const results: Result[] = [{ message, severity: 'error' }];
    let stderr = '';
    expect(timed(() => (stderr = execute(fnOf(() => results), `${head}- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n`).stderr))).toBeLessThan(2000);
    expect(stderr).toBe(`test-fn: value "${' '.repeat(100_000)}x" is wrong second line\n`);
  });
});

describe('the scans that replace those expressions answer as they did', () => {
  // The old expressions, as references, on short strings only (fast-check's strings of a few
  // dozen characters from a small alphabet): their cost is what the scans remove.
  // eslint-disable-next-line regexp/no-super-linear-backtracking -- the old expression, as a reference on short strings
  const OLD_MARKER = /^(?:\s*#[^\n]*\n|\s*\n)*---/;
  const OLD_KEEP = /^[^\n]*[\s:-][|>](?:[1-9]?\+|\+[1-9])[ \t]*(?:#[^\n]*)?$/m;
  const soup = (chars: string[]) => fc.array(fc.constantFrom(...chars), { maxLength: 40 }).map((cs) => cs.join(''));

  it('startsWithMarker: as `/^(?:\\s*#[^\\n]*\\n|\\s*\\n)*---/`', () => {
    fc.assert(
      fc.property(soup(['\n', ' ', '\t', '\r', '#', '-', '---', '---\n', 'a', '\u00a0', '\u2028']), (text) => {
        expect(startsWithMarker(text)).toBe(OLD_MARKER.test(text) || /^---/.test(text));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('hasKeepIndicator: as `/^[^\\n]*[\\s:-][|>](?:[1-9]?\\+|\\+[1-9])[ \\t]*(?:#[^\\n]*)?$/m` on the slice', () => {
    fc.assert(
      fc.property(soup(['\n', ' ', '\t', '\r', '#', '-', ':', '|', '>', '+', '1', '9', '0', 'a', '\u2028', '|+', ': >2+']), fc.nat(5), fc.nat(5), (text, a, b) => {
        const from = Math.min(a, text.length);
        const to = Math.max(from, text.length - b);
        expect(hasKeepIndicator(text, from, to)).toBe(OLD_KEEP.test(text.slice(from, to)));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe('regressions: quadratic or crashing inside the documented limits', () => {
  const keys = (n: number, indent: string) => Array.from({ length: n }, (_, i) => `${indent}k${i}: v${i}\n`).join('');

  it('flow-metadata-40000-keys: a document the full parser reads checks its keys in one pass (was quadratic: 7.9 s a read)', () => {
    // One flow map (or anchor, or tag) sends a document to the `yaml` package, whose own
    // unique-key check compares each key with every earlier one.
    const doc = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n${keys(40_000, '  ')}`;
    let items: ReturnType<typeof readFileItems> = [];
    expect(timed(() => (items = readFileItems('big.yaml', doc)))).toBeLessThan(3000);
    expect(Object.keys(items[0]!.value.data as object)).toHaveLength(40_000);
    const list = `${head}- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: x}\n  data:\n${keys(40_000, '    ')}`;
    expect(timed(() => parseResourceList(list))).toBeLessThan(3000);
    // an item read fast and edited: its YAML node is parsed then
    const fast = readFileItems('fast.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n${keys(40_000, '  ')}`)[0]!;
    expect(timed(() => fast.setLabel('a', 'b'))).toBeLessThan(3000);
    expect(fast.labels()).toEqual({ a: 'b' });
  });

  it('duplicate keys are still refused, with the same message and line, in one pass', () => {
    const doc = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n${keys(40_000, '  ')}  k39999: again\n`;
    let error: unknown;
    expect(timed(() => {
      try {
        readFileItems('dup.yaml', doc);
      } catch (e) {
        error = e;
      }
    })).toBeLessThan(3000);
    expect((error as Error).message).toBe('dup.yaml:40005: not valid YAML: Map keys must be unique');
  });
});

describe('the one-pass unique-key check gives the errors the `yaml` package gives', () => {
  const errors = (docs: ReadonlyArray<{ errors: ReadonlyArray<{ code: string; pos: [number, number]; message: string }> }>) =>
    docs.map((d) => d.errors.map((e) => `${e.code}@${e.pos[0]}-${e.pos[1]}: ${e.message}`));
  const line = fc.constantFrom(
    'a: 1', 'a: 2', 'b: 1', '&x a: 1', '!!str a: 3', '? a', ': 1', '? ', '"a": 1', "'a': 2", '1: x', '"1": y', '.nan: 1', '.NaN: 2',
    'null: 1', '~: 2', ': 3', '*x : 4', '{a: 1, a: 2}', 'k: {a: 1, b: 2, a: 3}', 'k: [a: 1, a: 2]', 'k: !!set {a, a}', 'k: !!omap [a: 1, a: 2]',
    'k: !!binary aGk=', '!!binary aGk=: 1', '[a]: 1', '[a]: 2', '{a: 1}: 2', '- a: 1', '- a', 'k:', '  a: 1', '  a: 2', '    a: 1',
    '{', '"open', 'a: "x\\q"', 'a:b', '\ta: 1', '---', '...', '# c', '', 'a: &y {b: 1, b: 2}', 'c: *y', 'a: |', '  text',
  );
  const text = fc.array(line, { maxLength: 14 }).map((ls) => ls.join('\n'));

  it('on one document and on streams: every error, its code, position, message and order', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(errors([parseYaml(t)])).toEqual(errors([parseDocument(t, PARSE_OPTIONS)]));
        const all = parseAllYaml(t);
        const ref = parseAllDocuments(t, PARSE_OPTIONS);
        expect(Array.isArray(all) ? errors(all) : 'empty').toEqual(Array.isArray(ref) ? errors(ref) : 'empty');
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe('listSome: messages name a handful of things and count the rest', () => {
  it('names up to five as a plain list, then five and a count', () => {
    expect(listSome([])).toBe('');
    expect(listSome(['"a"', '"b"'])).toBe('"a", "b"');
    expect(listSome(['1', '2', '3', '4', '5'])).toBe('1, 2, 3, 4, 5');
    const names = Array.from({ length: 2002 }, (_, i) => `n${i}`);
    expect(listSome(names)).toBe('n0, n1, n2, n3, n4, and 1,997 more');
    expect(listSome(names, 2)).toBe('n0, n1, and 2,000 more');
    expect([0, 7, 999, 1000, 123456, 1234567].map(count)).toEqual(['0', '7', '999', '1,000', '123,456', '1,234,567']);
  });
});

describe('a function given a multi-document stream counts its documents before parsing', () => {
  it('documents-125000-on-stdin: refused with the worded error, fast (was a full parse of every document)', () => {
    const input = `${head}- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n${'---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n'.repeat(125_000)}`;
    let out: ReturnType<typeof execute> | undefined;
    const ms = timed(() => (out = execute(fnOf(() => []), input)));
    expect(out!.exitCode).toBe(1);
    expect(out!.stderr).toBe('test-fn: input has 125001 YAML documents: expected exactly one ResourceList\n');
    expect(ms).toBeLessThan(3000);
  });
});

describe('documentsWithContent counts the documents the `yaml` package counts as non-empty', () => {
  it('on streams of markers, comments, directives, blank lines and content', () => {
    const line = fc.constantFrom('---', '--- ', '--- # c', '--- a', '---a', '...', '... # c', '# c', '', ' ', '\t', '%YAML 1.2', '%TAG ! x', 'a: 1', 'b', '"q', '{', '  - x', '|', '  kept', '\r', '\uFEFF');
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
        const text = lines.join('\n');
        const docs = parseAllDocuments(text, PARSE_OPTIONS);
        const expected = (Array.isArray(docs) ? docs : []).filter((d) => d.contents !== null || d.errors.length > 0).length;
        const mine = documentsWithContent(text);
        // It refuses only where it counts two or more, and rightly: the stream is bad YAML (a
        // marker inside a quoted scalar), or the package counts as many (more where a stray `...`
        // opens another, empty document).
        const invalid = (Array.isArray(docs) ? docs : []).some((d) => d.errors.length > 0);
        if (mine > 1 && !invalid) {
          if (lines.some((l) => l.startsWith('...'))) expect(expected).toBeGreaterThanOrEqual(mine);
          else expect(mine).toBe(expected);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
