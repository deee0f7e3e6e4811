/**
 * Reading files from git: a previous revision for the `revisions` policies (`--base REV`), and
 * git's index for `--staged` (staged.ts). Both list entries, pick files as the working-tree walk
 * does (selectFiles) and read the blobs through one reader (readBlobs), so a fleet of thousands of
 * files costs a few processes, not one per file.
 * git runs with an argument vector (no shell), pathspecs literal and after `--`; only read commands
 * are used.
 */
import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, posix, relative, sep } from 'node:path';
import { KrmInputError, checkInputSize, decodeText } from '@flatnet/krm';
import { UsageError } from './args';
import { escapeControls, quote } from '@flatnet/fs';

export interface BaseFile {
  /** Path relative to `cwd`, like the current files' paths in reports. */
  path: string;
  /** Its text, or why it cannot be read as text (over the size limit, not UTF-8): a finding of that file. */
  text: string | KrmInputError;
}

/** An entry of a tree or of the index, its path relative to the repository's top. */
export interface GitEntry {
  mode: string;
  oid: string;
  path: string;
}

/** Modes git records for what is not a file's content: a symbolic link, a submodule. */
export const SYMLINK_MODE = '120000';
export const GITLINK_MODE = '160000';

interface GitFailure {
  code?: string;
  stderr?: Buffer | string;
}

/** git's own reason, one line, for messages ("fatal: " left out). */
export function gitReason(e: unknown): string {
  const f = e as GitFailure;
  if (f.code === 'ENOENT') return 'git is not installed or not on PATH';
  const lines = String(f.stderr ?? '').trim().split('\n');
  return (lines[lines.length - 1] ?? '').replace(/^(fatal|error): /, '') || String(e);
}

// Literal pathspecs: a file named `*.yaml` or `:(exclude)x` names itself, not a pattern.
const GIT_OPTIONS = ['--literal-pathspecs'];

function git(args: readonly string[], cwd: string): string {
  return execFileSync('git', [...GIT_OPTIONS, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
}

/** The commit `rev` names in the repository holding `cwd`, or undefined. */
function resolveCommit(rev: string, cwd: string): string | undefined {
  // A revision that git would read as an option names no commit.
  if (rev.startsWith('-')) return undefined;
  try {
    return git(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], cwd).trim();
  } catch {
    return undefined;
  }
}

/** True when `rev` names a commit of the repository holding `cwd`. */
export function revisionExists(rev: string, cwd: string): boolean {
  return resolveCommit(rev, cwd) !== undefined;
}

/** Where a directory is in its repository. */
export interface RepoPlace {
  /** The top of the work tree, as git gives it. */
  top: string;
  /** `cwd` relative to `top`, '' at the top, without a trailing slash. */
  prefix: string;
}

/**
 * Where `cwd` is in its repository. Outside one, `reason` ends a message: empty when it is simply
 * not in one, else git's reason in parentheses (git missing, a repository git deems unsafe).
 */
export function repoPlace(cwd: string): RepoPlace | { reason: string } {
  let out: string;
  try {
    // The prefix comes from git, not from path.relative(top, cwd): cwd may be reached through a
    // symbolic link while git gives the real path of the top.
    out = git(['rev-parse', '--show-toplevel', '--show-prefix'], cwd);
  } catch (e) {
    const reason = gitReason(e);
    return { reason: /^not a git repository/.test(reason) ? '' : ` (${escapeControls(reason)})` };
  }
  const [top = '', prefix = ''] = out.split('\n');
  return { top, prefix: prefix.replace(/\/$/, '') };
}

// git gives the top's real path, so an absolute path's folder is made real too (not its last
// name: that may be a symbolic link the index records). A folder gone from the working tree
// (staged for deletion) is taken as written.
function realOrSelf(p: string): string {
  try {
    return join(realpathSync(dirname(p)), basename(p));
  } catch {
    return p;
  }
}

/** A path (relative to cwd, or absolute) relative to the repository's top; undefined outside it. */
export function repoPath(p: string, place: RepoPlace): string | undefined {
  const rel = isAbsolute(p) ? relative(place.top, realOrSelf(p)).split(sep).join('/') : posix.join(place.prefix || '.', p.split(sep).join('/'));
  const norm = posix.normalize(rel || '.').replace(/\/$/, '');
  return norm === '..' || norm.startsWith('../') || isAbsolute(norm) ? undefined : norm;
}

/** The named paths relative to the repository's top; a path outside it is a usage error. */
export function repoPaths(paths: readonly string[], place: RepoPlace): string[] {
  return paths.map((p) => {
    const rel = repoPath(p, place);
    if (rel === undefined) throw new UsageError(`${quote(p)} is outside the git repository ${quote(place.top)}: name paths inside it`);
    return rel;
  });
}

/** A repository path as reports show it: relative to cwd, like the working-tree walk's paths. */
export function displayPath(path: string, place: RepoPlace): string {
  const rel = place.prefix ? posix.relative(`/${place.prefix}`, `/${path}`) : path;
  return rel.startsWith('..') ? posix.join(place.top, path) : rel;
}

const isYamlName = (name: string): boolean => /\.ya?ml$/.test(name) || name === 'Kptfile';
const isSkippedDir = (name: string): boolean => name.startsWith('.') || name === 'node_modules';

/** True when `path` is `named` or below it ('.' is the top). */
export function isUnder(path: string, named: string): boolean {
  return named === '.' || path === named || path.startsWith(`${named}/`);
}

/**
 * The entries the working-tree walk (check.ts collectFiles) would pick: a named file whatever its
 * name; below a named directory, *.yaml, *.yml and Kptfile, skipping hidden folders and
 * node_modules below it (a named hidden folder is searched, as the walk does). Sorted, each once.
 */
export function selectFiles<T extends { path: string }>(entries: readonly T[], named: readonly string[]): T[] {
  const picked = entries.filter((e) =>
    named.some((n) => {
      if (e.path === n) return true;
      if (!isUnder(e.path, n)) return false;
      const below = (n === '.' ? e.path : e.path.slice(n.length + 1)).split('/');
      return isYamlName(below[below.length - 1]!) && !below.slice(0, -1).some(isSkippedDir);
    }),
  );
  return picked.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

// The empty blob of SHA-1 and SHA-256 repositories: `git add -N` records it in the index without
// writing the object, so cat-file would call it missing.
const EMPTY_BLOBS = new Set(['e69de29bb2d1d6434b8b29ae775ad8c2e48c5391', '473a0f4c3be8a93681a267e3b1e9a7dcda1185436fe141f7749120a303721813']);

/** A blob to read, and the path that names it in messages and reports. */
export interface BlobRef {
  oid: string;
  path: string;
}

/**
 * The text of each blob, in order: sizes first from one `git cat-file --batch-check` (so a blob
 * over LIMITS.maxInputBytes is refused before it is read), then every content from one
 * `git cat-file --batch`, each blob once, decoded strictly (decodeText). A blob too large or not
 * UTF-8 gives its `KrmInputError` in its place, so one bad file leaves the others readable.
 */
export function readBlobs(blobs: readonly BlobRef[], cwd: string, what: string): Array<string | KrmInputError> {
  const firstPath = new Map<string, string>();
  for (const b of blobs) if (!EMPTY_BLOBS.has(b.oid) && !firstPath.has(b.oid)) firstPath.set(b.oid, b.path);
  let oids = [...firstPath.keys()];
  const texts = new Map<string, string | KrmInputError>();
  let total = 0;
  const failed = (e: unknown): KrmInputError => {
    if (e instanceof KrmInputError) return e;
    throw e;
  };
  if (oids.length) {
    const input = oids.join('\n') + '\n';
    const run = (args: string[], maxBuffer: number): Buffer => {
      try {
        return execFileSync('git', args, { cwd, input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer });
      } catch (e) {
        throw new UsageError(`cannot read ${what}: git: ${escapeControls(gitReason(e))}`);
      }
    };
    const checked = run(['cat-file', '--batch-check'], 1 << 30).toString('latin1').split('\n');
    oids.forEach((oid, i) => {
      const [, type, size] = (checked[i] ?? '').split(' ');
      if (type !== 'blob') throw new UsageError(`cannot read ${quote(firstPath.get(oid)!)} from ${what}: git has no blob ${oid} (${type ?? 'no answer'}): run \`git fsck\``);
      try {
        checkInputSize(Number(size), escapeControls(firstPath.get(oid)!));
        total += Number(size);
      } catch (e) {
        texts.set(oid, failed(e)); // not read at all
      }
    });
    oids = oids.filter((oid) => !texts.has(oid));
  }
  if (oids.length) {
    const input = oids.join('\n') + '\n';
    // Each answer is "<oid> blob <size>\n<content>\n": the buffer holds exactly that, with room.
    let out: Buffer;
    try {
      out = execFileSync('git', ['cat-file', '--batch'], { cwd, input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: total + oids.length * 160 + 4096 });
    } catch (e) {
      throw new UsageError(`cannot read ${what}: git: ${escapeControls(gitReason(e))}`);
    }
    let pos = 0;
    for (const oid of oids) {
      const nl = out.indexOf(10, pos);
      const size = Number(out.toString('latin1', pos, nl).split(' ')[2]);
      const start = nl + 1;
      if (nl < 0 || !Number.isSafeInteger(size) || out[start + size] !== 10) throw new Error(`git cat-file --batch gave an answer flatnet cannot read for ${quote(firstPath.get(oid)!)}`);
      try {
        texts.set(oid, decodeText(out.subarray(start, start + size), escapeControls(firstPath.get(oid)!)));
      } catch (e) {
        texts.set(oid, failed(e));
      }
      pos = start + size + 1;
    }
  }
  return blobs.map((b) => texts.get(b.oid) ?? '');
}

/** Entries of `git ls-tree -r -z` output (`<mode> <type> <oid>\t<path>`). */
function parseLsTree(out: string): GitEntry[] {
  return out
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const tab = line.indexOf('\t');
      const [mode = '', , oid = ''] = line.slice(0, tab).split(' ');
      return { mode, oid, path: line.slice(tab + 1) };
    });
}

/** An entry of git's index: `stage` is 0 unless the path has unresolved merge conflicts. */
export interface IndexEntry extends GitEntry {
  stage: string;
}

/** The index entries under `named` (paths relative to the top), from `git ls-files -s -z`. */
export function listIndex(named: readonly string[], place: RepoPlace): IndexEntry[] {
  let out: string;
  try {
    out = git(['ls-files', '-s', '-z', '--full-name', '--', ...named], place.top);
  } catch (e) {
    throw new UsageError(`cannot list git's index: ${escapeControls(gitReason(e))}`);
  }
  // `<mode> <oid> <stage>\t<path>`; with -z the path is as it is, newlines and all.
  return out
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const tab = line.indexOf('\t');
      const [mode = '', oid = '', stage = ''] = line.slice(0, tab).split(' ');
      return { mode, oid, stage, path: line.slice(tab + 1) };
    });
}

/**
 * The YAML files (and Kptfiles) under `paths` as they were at `rev`, picked like the current side
 * (selectFiles). Symbolic links and submodules are left out: their blobs are not manifests.
 */
export function readBase(rev: string, paths: readonly string[], cwd: string): BaseFile[] {
  const place = repoPlace(cwd);
  if ('reason' in place) throw new UsageError(`a base revision needs the git history, and ${quote(cwd)} is not in a git repository${place.reason}`);
  const commit = resolveCommit(rev, cwd);
  if (commit === undefined) throw new UsageError(`--base ${quote(rev)} is not a commit of this repository`);
  const named = repoPaths(paths, place);
  let listed: GitEntry[];
  try {
    listed = parseLsTree(git(['ls-tree', '-r', '-z', '--full-tree', commit, '--', ...named], place.top));
  } catch (e) {
    throw new UsageError(`cannot list --base ${quote(rev)}: git: ${escapeControls(gitReason(e))}`);
  }
  const files = selectFiles(
    listed.filter((e) => e.mode !== SYMLINK_MODE && e.mode !== GITLINK_MODE),
    named,
  ).map((e) => ({ oid: e.oid, path: displayPath(e.path, place) }));
  const texts = readBlobs(files, place.top, `--base ${quote(rev)}`);
  return files.map((f, i) => ({ path: f.path, text: texts[i]! }));
}
