/**
 * `flatnet check --staged`: the files of the commit being made, read from git's index instead of
 * the working tree. Untracked, ignored and unstaged files then neither block a good commit nor
 * hide a bad one, and a staged deletion counts. For `git commit -a` and `git commit PATH`, git
 * runs the hook with GIT_INDEX_FILE naming a temporary index; the git we start inherits it.
 */
import { quote } from '@flatnet/fs';
import type { Result } from '@flatnet/krm';
import { UsageError } from './args';
import { GITLINK_MODE, SYMLINK_MODE, displayPath, isUnder, listIndex, readBlobs, repoPath, repoPaths, repoPlace, selectFiles, type BaseFile, type RepoPlace } from './git';

export interface Staged {
  /** The staged files picked as the working-tree walk picks files, paths relative to cwd. */
  files: BaseFile[];
  /** Info results for the report: the symbolic links that were not followed. */
  notes: Result[];
}

function placeOf(cwd: string): RepoPlace {
  const place = repoPlace(cwd);
  if ('reason' in place) {
    throw new UsageError(`--staged reads git's index, and ${quote(cwd)} is not in a git repository${place.reason}: run it in the repository, or leave out --staged to check the working tree`);
  }
  return place;
}

export function readStaged(paths: readonly string[], cwd: string): Staged {
  const place = placeOf(cwd);
  const named = repoPaths(paths, place);
  const entries = listIndex(named, place);
  named.forEach((n, i) => {
    // As the walk refuses a path that does not exist; the current folder always does.
    if (n !== '.' && n !== place.prefix && !entries.some((e) => isUnder(e.path, n))) {
      throw new UsageError(`${quote(paths[i]!)} is not in git's index: stage it with \`git add\`, or name a staged path`);
    }
  });
  const picked = selectFiles(entries, named);
  const conflict = picked.find((e) => e.stage !== '0');
  if (conflict) throw new UsageError(`${quote(displayPath(conflict.path, place))} has unresolved merge conflicts: resolve them and \`git add\` it`);
  const notes: Result[] = [];
  const files: Array<{ oid: string; path: string }> = [];
  for (const e of picked) {
    // A submodule is another repository's commit, not a file of this one.
    if (e.mode === GITLINK_MODE) continue;
    // The index holds a link's target path, not a manifest. Following it inside the index would
    // check the target twice under two names (or not at all when it points outside): the target
    // is checked under its own path when it is staged there.
    if (e.mode === SYMLINK_MODE) {
      // A report message: each format escapes it as it needs.
      notes.push({ severity: 'info', message: `symbolic link "${displayPath(e.path, place)}" is not checked: the commit records the link, not a manifest; its target is checked where it is staged` });
      continue;
    }
    files.push({ oid: e.oid, path: displayPath(e.path, place) });
  }
  const texts = readBlobs(files, place.top, "git's index");
  return { files: files.map((f, i) => ({ path: f.path, text: texts[i]! })), notes };
}

/**
 * `--config FILE` with --staged: the staged file when FILE is inside the repository (the commit's
 * config judges the commit, not an unstaged edit of it); undefined outside, to read from disk.
 */
export function readStagedConfig(file: string, cwd: string): { path: string; text: string } | undefined {
  const place = placeOf(cwd);
  const rel = repoPath(file, place);
  if (rel === undefined) return undefined;
  const entry = listIndex([rel], place).find((e) => e.path === rel);
  if (!entry || entry.stage !== '0' || entry.mode === SYMLINK_MODE || entry.mode === GITLINK_MODE) {
    throw new UsageError(`--config ${quote(file)} must be a file staged in git's index with --staged: stage it with \`git add\`, or name a config outside the repository`);
  }
  const path = displayPath(rel, place);
  const text = readBlobs([{ oid: entry.oid, path }], place.top, "git's index")[0]!;
  if (typeof text !== 'string') throw text; // the operator's config: a usage error, not a finding
  return { path, text };
}
