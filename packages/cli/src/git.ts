/**
 * Reading files of a previous revision from git, for the `revisions` policies (`--base REV`).
 * git runs with an argument vector (no shell); only read commands are used.
 */
import { execFileSync } from 'node:child_process';
import { relative, resolve, sep } from 'node:path';
import { UsageError } from './args';

export interface BaseFile {
  /** Path relative to `cwd`, like the current files' paths in reports. */
  path: string;
  text: string;
}

function git(args: string[], cwd: string): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
}

/** True when `rev` names a commit of the repository holding `cwd`. */
export function revisionExists(rev: string, cwd: string): boolean {
  try {
    git(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], cwd);
    return true;
  } catch {
    return false;
  }
}

/**
 * The YAML files (and Kptfiles) under `paths` as they were at `rev`, skipping hidden folders and
 * node_modules like the current side does.
 */
export function readBase(rev: string, paths: readonly string[], cwd: string): BaseFile[] {
  let top: string;
  try {
    top = git(['rev-parse', '--show-toplevel'], cwd).trim();
  } catch {
    throw new UsageError(`a base revision needs the git history, and "${cwd}" is not in a git repository`);
  }
  if (!revisionExists(rev, cwd)) throw new UsageError(`--base "${rev}" is not a commit of this repository`);
  const rels = paths.map((p) => relative(top, resolve(cwd, p)).split(sep).join('/') || '.');
  const listed = git(['ls-tree', '-r', '-z', '--name-only', rev, '--', ...rels], top).split('\0').filter(Boolean);
  const wanted = listed.filter((f) => (/\.ya?ml$/.test(f) || f.endsWith('/Kptfile') || f === 'Kptfile') && !f.split('/').some((seg, i, all) => (i < all.length - 1 && seg.startsWith('.')) || seg === 'node_modules'));
  return wanted.sort().map((f) => ({
    path: relative(cwd, resolve(top, f)).split(sep).join('/'),
    text: git(['show', `${rev}:${f}`], top),
  }));
}
