/**
 * Golden tests for KRM functions, after kpt-functions-sdk's `testhelpers`:
 *
 *   testdata/<case>/            one folder per behaviour, named after it
 *     *.yaml (any depth)        input items; each file's documents become items with kpt's
 *                               path/index annotations, as `kpt fn render` would send them
 *     _input.yaml               optional: a literal ResourceList instead (for raw-input cases)
 *     _fnconfig.yaml            optional: the functionConfig
 *     _expected.yaml            the exact stdout of the function
 *     _expected-exit-code       optional: expected exit code (default: 1 when any error result)
 *
 * `FLATNET_UPDATE_GOLDENS=1 npx jest …` rewrites `_expected.yaml`; read the diff before committing.
 * A testdata folder with no cases is a failure, not a silent pass.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { Document, parse, parseAllDocuments } from 'yaml';
import { DOC_OPTIONS, PARSE_OPTIONS, renderOptions } from '../kube-object';
import { parseResourceList, serializeResourceList } from '../resource-list';
import { execute, type KrmFunction } from '../run';

export const UPDATE_ENV = 'FLATNET_UPDATE_GOLDENS';

export interface GoldenCase {
  name: string;
  dir: string;
}

export function findCases(testdataDir: string): GoldenCase[] {
  if (!existsSync(testdataDir)) return [];
  return readdirSync(testdataDir)
    .filter((n) => statSync(join(testdataDir, n)).isDirectory())
    .sort()
    .map((name) => ({ name, dir: join(testdataDir, name) }));
}

/** Input files of a case: every YAML file below it whose name does not start with `_`. */
function inputFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(n) && !n.startsWith('_')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/**
 * The ResourceList a case stands for: items with kpt's annotations (as `kpt fn render` sends
 * them), then the function config.
 */
export function buildInput(caseDir: string): string {
  const literal = join(caseDir, '_input.yaml');
  if (existsSync(literal)) return readFileSync(literal, 'utf8');
  let items = '';
  for (const file of inputFiles(caseDir)) {
    const rel = relative(caseDir, file).split(sep).join('/');
    const docs = parseAllDocuments(readFileSync(file, 'utf8'), PARSE_OPTIONS);
    const list = Array.isArray(docs) ? docs : [docs];
    let index = 0;
    for (const doc of list) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]!.message}`);
      if (doc.contents === null) continue;
      // Render the document (without its `---`) with its head comment after the dash, as kpt does.
      const bare = new Document(undefined, DOC_OPTIONS);
      bare.commentBefore = doc.commentBefore;
      bare.contents = doc.contents;
      bare.comment = doc.comment;
      const text = bare.toString(renderOptions());
      const parsed = parseResourceList(`apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${asEntry(text)}`);
      const item = parsed.list.items[0]!;
      item.setFile(rel, index++);
      items += item.render(0);
    }
  }
  let out = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n${items ? `items:\n${items}` : 'items: []\n'}`;
  const fnconfig = join(caseDir, '_fnconfig.yaml');
  if (existsSync(fnconfig)) {
    const text = readFileSync(fnconfig, 'utf8');
    out += 'functionConfig:\n' + text.split('\n').map((l) => (l ? `  ${l}` : l)).join('\n');
    if (!out.endsWith('\n')) out += '\n';
  }
  return out;
}

function asEntry(text: string): string {
  const lines = text.replace(/\n$/, '').split('\n');
  return lines.map((l, i) => (i === 0 ? `- ${l}` : l ? `  ${l}` : l)).join('\n') + '\n';
}

export interface GoldenRun {
  input: string;
  stdout: string;
  exitCode: number;
}

export function runCase<C>(fn: KrmFunction<C>, c: GoldenCase): GoldenRun {
  const input = buildInput(c.dir);
  const outcome = execute(fn, input);
  return { input, stdout: outcome.stdout, exitCode: outcome.exitCode };
}

/**
 * Registers one jest test per case under `testdataDir`, plus, for mutators and generators, an
 * idempotence test (the output fed back in changes no item), and for validators a test that the
 * items come out byte for byte as they went in.
 */
export function describeGoldens<C>(fn: KrmFunction<C>, testdataDir: string): void {
  const cases = findCases(testdataDir);
  const update = process.env[UPDATE_ENV] === '1';
  describe(`${fn.name} goldens`, () => {
    it('has golden cases', () => {
      expect(cases.length).toBeGreaterThan(0);
    });
    for (const c of cases) {
      it(c.name, () => {
        const got = runCase(fn, c);
        const expectedPath = join(c.dir, '_expected.yaml');
        const exitPath = join(c.dir, '_expected-exit-code');
        if (update) {
          writeFileSync(expectedPath, got.stdout);
          return;
        }
        if (!existsSync(expectedPath)) throw new Error(`${expectedPath} is missing: run with ${UPDATE_ENV}=1 to create it`);
        expect(got.stdout).toBe(readFileSync(expectedPath, 'utf8'));
        const results = ((parse(got.stdout) as { results?: { severity?: string }[] } | null)?.results ?? []);
        const hasError = results.some((r) => (r.severity ?? 'error') === 'error');
        const expectedExit = existsSync(exitPath) ? Number(readFileSync(exitPath, 'utf8').trim()) : hasError ? 1 : 0;
        expect(got.exitCode).toBe(expectedExit);
      });
      if (fn.kind === 'validator') {
        it(`${c.name}: items come out byte for byte as they went in`, () => {
          const got = runCase(fn, c);
          if (got.stdout.includes('flatnet.dev/error: ')) return; // unusable input: no items to compare
          expect(itemsOf(got.stdout)).toBe(itemsOf(got.input));
        });
      } else {
        it(`${c.name}: a second run changes nothing`, () => {
          const first = runCase(fn, c);
          if (first.exitCode !== 0) return; // failing cases keep their input; nothing to re-run
          const again = execute(fn, first.stdout);
          expect(itemsOf(again.stdout)).toBe(itemsOf(first.stdout));
        });
      }
    }
  });
}

/** The items part of a serialized ResourceList (results differ between runs by design). */
export function itemsOf(stdout: string): string {
  const parsed = parseResourceList(stdout);
  return serializeResourceList({ items: parsed.list.items, results: [] }, parsed.layout);
}
