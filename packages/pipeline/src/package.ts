/**
 * Reading a kpt package from disk, as `kpt fn render` sees it: every `*.yaml`, `*.yml` and the
 * `Kptfile` below the package directory, minus `.krmignore` matches and hidden folders; a folder
 * with its own Kptfile is a subpackage, rendered on its own first. Items are read as they are
 * (no annotations added): their origin carries the file path relative to the package, the index
 * in the file and the exact text for write-back.
 */
import { relative } from 'node:path';
import { READ_GROUPS, TYPED_FIELDS } from '@flatnet/api';
import { FsError, Root, escapeControls, isStaleTemp, quote, type Entry } from '@flatnet/fs';
import { ANNOTATIONS, KrmInputError, LIMITS, checkInputSize, decodeText, readFileItems, type KubeObject, type ReadFileOptions } from '@flatnet/krm';
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

/** At most this many bad files are listed in the error of a package that has them; the rest are counted. */
export const LISTED_PROBLEMS = 5;

/**
 * Reads the package at `dir` (absolute) through a confined `Root`: nothing outside it is read,
 * directory links are not followed (noted), a file link is read only when it stays inside.
 * Every file is read before anything fails: a package with bad files is one `KrmInputError`
 * listing them all (the first few, and how many), not the first one found.
 */
export function readPackage(dir: string): PackageTree {
  const root = Root.open(dir, relative(process.cwd(), dir) || '.');
  const problems: KrmInputError[] = [];
  const tree = readTree(root, '', problems);
  if (problems.length === 1) throw problems[0]!;
  if (problems.length > 1) {
    const more = problems.length > LISTED_PROBLEMS ? ` (the first ${LISTED_PROBLEMS} listed, ${problems.length - LISTED_PROBLEMS} more)` : '';
    throw new KrmInputError(problems[0]!.code, `${problems.length} files of the package cannot be read${more}: fix them, or hide them with \`.krmignore\``, undefined, problems.slice(0, LISTED_PROBLEMS));
  }
  return tree;
}

/** How a file is read: GDC's and flatnet's objects judged as such; a bmctl header noted, kept. */
const readOptions = (rel: string, notes: string[]): ReadFileOptions => ({
  readGroups: READ_GROUPS,
  typedFields: TYPED_FIELDS,
  exclude: 'hide it with `.krmignore`',
  onNote: (line, message) => notes.push(`${escapeControls(rel)}:${line}: ${escapeControls(message)}`),
});

function readTree(root: Root, rel: string, problems: KrmInputError[]): PackageTree {
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
        if (inner.some((e) => e.name === 'Kptfile' && e.kind === 'file')) tree.subpackages.push(readTree(root, entry.rel, problems));
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
      // an object silently missing from the stream is one a pruning applier deletes. Refused
      // after the walk, with every other file that cannot be read.
      let text: string;
      let items: KubeObject[];
      try {
        text = readText(root, entry.rel, LIMITS.maxInputBytes);
        items = readFileItems(entry.rel, text, readOptions(entry.rel, tree.notes));
      } catch (e) {
        if (!(e instanceof KrmInputError)) throw e;
        problems.push(e);
        continue;
      }
      tree.files.set(entry.rel, text);
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

