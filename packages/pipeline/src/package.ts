/**
 * Reading a kpt package from disk, as `kpt fn render` sees it: every `*.yaml`, `*.yml` and the
 * `Kptfile` below the package directory, minus `.krmignore` matches and hidden folders; a folder
 * with its own Kptfile is a subpackage, rendered on its own first. Items are read as they are
 * (no annotations added): their origin carries the file path relative to the package, the index
 * in the file and the exact text for write-back.
 */
import { relative } from 'node:path';
import { FsError, Root, isStaleTemp, quote, type Entry } from '@flatnet/fs';
import { ANNOTATIONS, KrmInputError, LIMITS, checkInputSize, decodeText, readFileItems, type KubeObject } from '@flatnet/krm';
import { KRMIGNORE_LIMITS, checkKrmignoreSize, parseKrmignore, type IgnoreMatcher } from './krmignore';

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
  /** What was passed over and why, one line each (directory links, which kpt does not follow). */
  notes: string[];
  /** Temporary files a killed run of flatnet left (relative to the root package): to sweep. */
  stale: string[];
  /** Files and directories (with a final `/`) `.krmignore` hid, relative to the root package: see `hiddenClusterFiles`. */
  ignored: string[];
  /** The confined root package directory every path above is relative to. */
  root: Root;
}

export interface FileHolding {
  items: number;
  /** Objects carrying flatnet's `generated-by` annotation: a file of only those is flatnet's own. */
  generated: number;
}

const YAML_FILE = /\.ya?ml$/;

/**
 * Reads the package at `dir` (absolute) through a confined `Root`: nothing outside it is read,
 * directory links are not followed (noted), a file link is read only when it stays inside.
 */
export function readPackage(dir: string): PackageTree {
  const root = Root.open(dir, relative(process.cwd(), dir) || '.');
  return readTree(root, '');
}

function readTree(root: Root, rel: string): PackageTree {
  const entries = root.list(rel);
  if (!entries.some((e) => e.name === 'Kptfile' && e.kind === 'file')) {
    throw new KrmInputError('not-resource-list', `${quote(rel || relative(process.cwd(), root.abs) || '.')} is not a kpt package: it has no Kptfile`);
  }
  // A directory of that name is no ignore file, as for kpt (reading it fails, so no rule is read).
  const ignoreEntry = entries.find((e) => e.name === '.krmignore' && e.kind === 'file');
  const ignored: IgnoreMatcher = ignoreEntry ? readKrmignore(root, ignoreEntry.rel) : () => false;
  const tree: PackageTree = { dir: root.path(rel), rel, items: [], files: new Map(), held: new Map(), subpackages: [], notes: [], stale: [], ignored: [], root };
  const walk = (list: Entry[]): void => {
    for (const entry of list) {
      const relToPkg = rel ? entry.rel.slice(rel.length + 1) : entry.rel;
      const name = entry.name;
      if (entry.kind === 'dir' || entry.kind === 'dir-link') {
        if (name.startsWith('.') || name === 'node_modules') continue;
        if (ignored(relToPkg, true)) {
          if (entry.kind === 'dir') tree.ignored.push(`${entry.rel}/`);
          continue;
        }
        if (entry.kind === 'dir-link') {
          tree.notes.push(`skipped ${quote(entry.rel)}: it is a symbolic link to a directory (${quote(entry.linkTo ?? '?')}), and kpt does not follow those either`);
          continue;
        }
        const inner = root.list(entry.rel);
        if (inner.some((e) => e.name === 'Kptfile' && e.kind === 'file')) tree.subpackages.push(readTree(root, entry.rel));
        else walk(inner);
        continue;
      }
      if (entry.kind === 'file' && isStaleTemp(name, entry.mtimeMs)) {
        tree.stale.push(entry.rel);
        continue;
      }
      if (!(YAML_FILE.test(name) || name === 'Kptfile')) continue;
      if (ignored(relToPkg, false)) {
        if (entry.kind === 'file') tree.ignored.push(entry.rel);
        continue;
      }
      // A link out of the package, to nothing, or to a device is refused by name, not skipped:
      // an object silently missing from the stream is one a pruning applier deletes.
      const text = readText(root, entry.rel, LIMITS.maxInputBytes);
      tree.files.set(entry.rel, text);
      const items = readFileItems(entry.rel, text);
      let generated = 0;
      for (const i of items) if (i.annotation(ANNOTATIONS.generatedBy) !== undefined) generated++;
      tree.held.set(entry.rel, { items: items.length, generated });
      for (const i of items) tree.items.push(i);
    }
  };
  walk(entries);
  return tree;
}

/**
 * The files `.krmignore` hid that hold a `Cluster` (relative to the root package), looked for
 * only when a result lost every Cluster: the prune guard's evidence. Confined like every read;
 * what cannot be read or parsed is passed over (it is not part of the package either way).
 */
export function hiddenClusterFiles(tree: PackageTree): string[] {
  const out: string[] = [];
  const look = (rel: string, isDir: boolean): void => {
    try {
      if (isDir) {
        for (const e of tree.root.list(rel)) {
          if (e.name.startsWith('.') || e.name === 'node_modules') continue;
          if (e.kind === 'dir') look(e.rel, true);
          else if (e.kind === 'file' && YAML_FILE.test(e.name)) look(e.rel, false);
        }
        return;
      }
      const text = readText(tree.root, rel, LIMITS.maxInputBytes);
      if (readFileItems(rel, text, { skipNonKrm: true }).some((i) => i.kind === 'Cluster' && i.group === 'baremetal.cluster.gke.io')) out.push(rel);
    } catch {
      // Unreadable or not YAML: it holds no Cluster anyone applies.
    }
  };
  const visit = (t: PackageTree): void => {
    for (const sub of t.subpackages) visit(sub);
    for (const rel of t.ignored) look(rel.endsWith('/') ? rel.slice(0, -1) : rel, rel.endsWith('/'));
  };
  visit(tree);
  return out.sort();
}

function readKrmignore(root: Root, rel: string): IgnoreMatcher {
  const { bytes } = root.read(rel, KRMIGNORE_LIMITS.maxBytes, (size) => {
    checkKrmignoreSize(size, rel);
    return new FsError(`${quote(rel)} is too large`);
  });
  return parseKrmignore(decodeText(bytes, rel), rel);
}

function readText(root: Root, rel: string, cap: number): string {
  const { bytes } = root.read(rel, cap, (size) => {
    checkInputSize(size, rel);
    return new FsError(`${quote(rel)} is ${size} bytes: flatnet reads at most ${cap} bytes of it`);
  });
  return decodeText(bytes, rel);
}

/** Every item of the tree, subpackages first (kpt's order: a parent sees its children's output). */
export function allItems(tree: PackageTree): KubeObject[] {
  const out: KubeObject[] = [];
  const add = (t: PackageTree): void => {
    for (const sub of t.subpackages) add(sub);
    for (const i of t.items) out.push(i);
  };
  add(tree);
  return out;
}

/** The notes and stale temporary files of the whole tree. */
export function allNotes(tree: PackageTree): { notes: string[]; stale: string[] } {
  const notes: string[] = [];
  const stale: string[] = [];
  const add = (t: PackageTree): void => {
    for (const sub of t.subpackages) add(sub);
    for (const x of t.notes) notes.push(x);
    for (const x of t.stale) stale.push(x);
  };
  add(tree);
  return { notes, stale };
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

