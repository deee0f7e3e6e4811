/**
 * Reading a kpt package from disk, as `kpt fn render` sees it: every `*.yaml`, `*.yml` and the
 * `Kptfile` below the package directory, minus `.krmignore` matches and hidden folders; a folder
 * with its own Kptfile is a subpackage, rendered on its own first. Items are read as they are
 * (no annotations added): their origin carries the file path relative to the package, the index
 * in the file and the exact text for write-back.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { ANNOTATIONS, KrmInputError, checkInputSize, decodeText, readFileItems, type KubeObject } from '@flatnet/krm';
import { checkKrmignoreSize, parseKrmignore, type IgnoreMatcher } from './krmignore';

export interface PackageTree {
  /** Absolute directory. */
  dir: string;
  /** Path of this package relative to the root package ('' for the root). */
  rel: string;
  /** Items of this package's own files (subpackages excluded), in file then document order. */
  items: KubeObject[];
  /** Each file read, relative to the root package, with its text: to know what changed. */
  files: Map<string, string>;
  /** What each file held when read: how many objects, and how many of them flatnet generated. */
  held: Map<string, FileHolding>;
  subpackages: PackageTree[];
}

export interface FileHolding {
  items: number;
  /** Objects carrying flatnet's `generated-by` annotation: a file of only those is flatnet's own. */
  generated: number;
}

const YAML_FILE = /\.ya?ml$/;

export function readPackage(dir: string, rootDir = dir): PackageTree {
  if (!existsSync(join(dir, 'Kptfile'))) {
    throw new KrmInputError('not-resource-list', `"${relative(process.cwd(), dir) || '.'}" is not a kpt package: it has no Kptfile`);
  }
  const ignored = readKrmignore(join(dir, '.krmignore'), rootDir);
  const tree: PackageTree = { dir, rel: toPosix(relative(rootDir, dir)), items: [], files: new Map(), held: new Map(), subpackages: [] };
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const abs = join(d, name);
      const relToPkg = toPosix(relative(dir, abs));
      const st = statSync(abs);
      if (st.isDirectory()) {
        if (name.startsWith('.') || name === 'node_modules' || ignored(relToPkg, true)) continue;
        if (existsSync(join(abs, 'Kptfile'))) tree.subpackages.push(readPackage(abs, rootDir));
        else walk(abs);
      } else if ((YAML_FILE.test(name) || name === 'Kptfile') && !ignored(relToPkg, false)) {
        const relToRoot = toPosix(relative(rootDir, abs));
        const text = readText(abs, relToRoot);
        tree.files.set(relToRoot, text);
        const items = readFileItems(relToRoot, text);
        tree.held.set(relToRoot, { items: items.length, generated: items.filter((i) => i.annotation(ANNOTATIONS.generatedBy) !== undefined).length });
        tree.items.push(...items);
      }
    }
  };
  walk(dir);
  return tree;
}

/**
 * The package's `.krmignore` matcher, its errors naming the file from the root package. A
 * directory of that name is no ignore file, as for kpt (reading it fails, so no rule is read).
 */
function readKrmignore(abs: string, rootDir: string): IgnoreMatcher {
  const st = existsSync(abs) ? statSync(abs) : undefined;
  if (!st?.isFile()) return () => false;
  const rel = toPosix(relative(rootDir, abs));
  checkKrmignoreSize(st.size, rel); // before reading: memory stays bounded
  return parseKrmignore(decodeText(readFileSync(abs), rel), rel);
}

function readText(abs: string, rel: string): string {
  checkInputSize(statSync(abs).size, rel); // before reading: memory stays bounded
  return decodeText(readFileSync(abs), rel);
}

/** Every item of the tree, subpackages first (kpt's order: a parent sees its children's output). */
export function allItems(tree: PackageTree): KubeObject[] {
  return [...tree.subpackages.flatMap(allItems), ...tree.items];
}

export function allFiles(tree: PackageTree): Map<string, string> {
  const out = new Map<string, string>();
  for (const sub of tree.subpackages) for (const [k, v] of allFiles(sub)) out.set(k, v);
  for (const [k, v] of tree.files) out.set(k, v);
  return out;
}

/** What every file of the tree held when read (see `changedFiles`: which files may be removed). */
export function allHoldings(tree: PackageTree): Map<string, FileHolding> {
  const out = new Map<string, FileHolding>();
  for (const sub of tree.subpackages) for (const [k, v] of allHoldings(sub)) out.set(k, v);
  for (const [k, v] of tree.held) out.set(k, v);
  return out;
}

export const toPosix = (p: string): string => p.split(sep).join('/');
