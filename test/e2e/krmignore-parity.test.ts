/**
 * The files flatnet reads from a package (readPackage, the reader `flatnet render` and the Argo CD
 * plugin share) against those real `kpt fn source` reads, under `.krmignore` files: the rules of
 * the semantics table where kpt and git part ways, then random trees and rules (seeded). kpt
 * panics on some lines; flatnet must then refuse the file too.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { parse } from 'yaml';
import { KrmInputError } from '@flatnet/krm';
import { readPackage } from '@flatnet/pipeline';
import { kpt, kptAvailable } from './support';

const maybe = kptAvailable() ? it : it.skip;
const SEED = Number(process.env.FLATNET_FUZZ_SEED ?? 8);

const FILES = ['a.yaml', 'keep.yaml', 'gen/keep.yaml', 'gen/b.yaml', 'docs/a/c.yaml', 'docs/a/b/c.yaml', 'x/a/b.yaml', 'a/b.yaml', 'a/x.yaml', '!x.yaml', '#n.yaml', 'a b.yaml', 'é/€.yaml', 'k/b[1].yaml'];

/** The package's files (relative, sorted) as kpt and as flatnet read them, or "error". */
function bothRead(krmignore: string, files: readonly string[]): { kpt: string[] | 'error'; flatnet: string[] | 'error' } {
  const dir = join(mkdtempSync(join(tmpdir(), 'flatnet-krmignore-')), 'pkg');
  mkdirSync(dir);
  writeFileSync(join(dir, 'Kptfile'), 'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: p\n');
  writeFileSync(join(dir, '.krmignore'), krmignore);
  files.forEach((f, i) => {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\n`);
  });
  try {
    const out = kpt(['fn', 'source', dir]);
    const items = out.status === 0 ? (parse(out.stdout) as { items: Array<{ metadata: { annotations: Record<string, string> } }> }).items : undefined;
    let flatnet: string[] | 'error';
    try {
      flatnet = [...readPackage(dir).files.keys()].sort();
    } catch (e) {
      if (!(e instanceof KrmInputError)) throw e;
      flatnet = 'error';
    }
    return { kpt: items ? items.map((i) => i.metadata.annotations['internal.config.kubernetes.io/path']!).sort() : 'error', flatnet };
  } finally {
    rmSync(dirname(dir), { recursive: true, force: true });
  }
}

describe('.krmignore: flatnet reads the files kpt reads', () => {
  maybe.each([
    '*.yaml\n!keep.yaml\n',
    '!keep.yaml\n*.yaml\n',
    'gen/\n!gen/keep.yaml\n',
    'docs/**/*.yaml\n',
    'docs/**\n',
    'a/b.yaml\n',
    '/a/b.yaml\n',
    '/a[^x]\n',
    '\\!x.yaml\n\\#n.yaml\n',
    '  a b.yaml  \r\n*.yml\r\n',
    '?/*.yaml\n',
    'k/b[[]1].yaml\n',
    '*[a/]*b.yaml\n',
    '!\n',
    '/\n',
  ])('%j', (krmignore) => {
    const r = bothRead(krmignore, FILES);
    expect(r.flatnet).toEqual(r.kpt);
  });

  maybe('on random trees and rules', () => {
    const segment = fc.constantFrom('a', 'b', 'ab', 'gen', 'é', 'a b', '#c', '!k', 'x[1]', 'q*');
    const file = fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => `${s.join('/')}.yaml`);
    const piece = fc.constantFrom('a', 'b', 'ab', 'gen', 'é', '/', '*', '**', '?', '[ab]', '[^a]', '!', '\\', '#', ' ', '.yaml', '[/]');
    const rule = fc.array(piece, { minLength: 1, maxLength: 6 }).map((p) => p.join(''));
    fc.assert(
      fc.property(fc.uniqueArray(file, { minLength: 1, maxLength: 8 }), fc.array(rule, { minLength: 1, maxLength: 4 }), (files, rules) => {
        const r = bothRead(`${rules.join('\n')}\n`, files);
        expect(r.flatnet).toEqual(r.kpt);
      }),
      { seed: SEED, numRuns: 60 },
    );
  });
});
