/**
 * Round-trip fidelity (issue 8): YAML of many styles — comments, flow maps, block scalars of
 * every chomping, anchors and aliases, odd indentation, CRLF, a BOM, document markers — passes
 * through every function and `flatnet render` byte for byte when nothing in it is flatnet's.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execute, readFileItems, renderFileText } from '@flatnet/krm';
import { allFiles, allHoldings, applyChanges, changedFiles, readPackage, renderTree } from '@flatnet/pipeline';
import { FUNCTIONS } from '../../packages/cli/src/registry';

const CORPUS = join(__dirname, '..', 'fixtures', 'fidelity');
const files = readdirSync(CORPUS).filter((f) => f.endsWith('.yaml')).sort();
const text = (f: string) => readFileSync(join(CORPUS, f), 'utf8');
const stripBom = (s: string) => (s.charCodeAt(0) === 0xfeff ? s.slice(1) : s);

/** A file's documents as ResourceList entries, textually (so the entries are the file's bytes). */
function asEntries(source: string): string[] {
  return stripBom(source)
    .split(/^---[^\S\r\n]*\r?\n/m)
    .map((doc) => doc.replace(/^\.\.\.\r?\n?$/m, ''))
    .filter((doc) => /^\s*[a-zA-Z]/m.test(doc.replace(/^\s*#.*$/gm, '')))
    .map((doc) => {
      const eol = doc.includes('\r\n') ? '\r\n' : '\n';
      const lines = doc.replace(/(\r?\n)+$/, '').split(/\r?\n/);
      return lines.map((l, i) => (i === 0 ? `- ${l}` : l === '' ? '' : `  ${l}`)).join(eol) + eol;
    });
}

describe('round-trip fidelity corpus', () => {
  it('has a corpus', () => expect(files.length).toBeGreaterThanOrEqual(6));

  it.each(files)('%s: read as documents and written back byte for byte', (f) => {
    const items = readFileItems(f, text(f));
    expect(items.length).toBeGreaterThan(0);
    expect(renderFileText(items)).toBe(stripBom(text(f)));
  });

  for (const fn of FUNCTIONS.values()) {
    it.each(files)(`${fn.name}: %s passes through untouched`, (f) => {
      const entries = asEntries(text(f));
      const input = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${entries.join('')}`;
      const out = execute(fn, input);
      expect(out.stderr).toBe('');
      for (const entry of entries) expect(out.stdout).toContain(entry);
    });
  }

  it('flatnet render of a package made of the corpus changes no byte', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flatnet-fidelity-'));
    cpSync(CORPUS, dir, { recursive: true });
    writeFileSync(
      join(dir, 'Kptfile'),
      'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: corpus\n  annotations:\n    config.kubernetes.io/local-config: "true"\npipeline:\n  mutators:\n  - exec: ./dist/fn/generate-flat-network.js\n  - exec: ./dist/fn/set-cluster-namespace.js\n  - exec: ./dist/fn/expand-cluster-cidr.js\n  - exec: ./dist/fn/inject-peer-labels.js\n  validators:\n  - exec: ./dist/fn/validate-flat-network.js\n',
    );
    const tree = readPackage(dir);
    const out = renderTree(tree, (n) => FUNCTIONS.get(n));
    expect(out.error).toBeUndefined();
    const changes = changedFiles(out.items, allFiles(tree), allHoldings(tree));
    expect(changes.map((c) => c.path)).toEqual([]);
    applyChanges(dir, changes);
    for (const f of files) expect(readFileSync(join(dir, f), 'utf8')).toBe(text(f));
  });
});
