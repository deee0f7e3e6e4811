/**
 * Writing a set of files below a `Root`, all or nothing.
 *
 * Contract:
 * - Plan first, touching nothing: every path is confined (no `..`, no directory link on the way,
 *   a link to a file only when its target is a regular file inside the root), no target is a
 *   directory or a special file, no two changes name the same real file. The old bytes, mode,
 *   owner and link count of every existing target are read, to restore them.
 * - Stage: each new text goes to a temporary file beside its real target, opened with
 *   O_CREAT|O_EXCL|O_NOFOLLOW, given the old file's mode (and owner where permitted), fsynced.
 * - Commit: renames into place (a symbolic link stays a link: its target is replaced; a file
 *   with hard links is rewritten in place so the links stay one file, as kpt does), then removals.
 * - Any failure: the files already replaced or removed are restored from the bytes in memory,
 *   every staged file and created directory is removed, and the error says nothing was changed
 *   (or, if a restore failed too, exactly which files could not be restored).
 * - Temporary files are named `.<name>.flatnet-<pid>-<random>.tmp`; `isStaleTemp` recognises the
 *   ones a killed run left, so the next run removes them first (`sweep`).
 *
 * The system calls go through `FsOps`, injectable, so tests can fail any one of them.
 */
import * as fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { LIMITS, checkInputSize } from '@flatnet/krm';
import { FsError, escapeControls, ioError, quote } from './errors';
import { checkRel, parentOf, type Root } from './root';

export type FsOps = Pick<
  typeof fs,
  'openSync' | 'writeSync' | 'fsyncSync' | 'fchmodSync' | 'fchownSync' | 'closeSync' | 'renameSync' | 'unlinkSync' | 'mkdirSync' | 'rmdirSync' | 'symlinkSync'
>;

export const NODE_OPS: FsOps = fs;

export interface Change {
  /** Path relative to the root. */
  rel: string;
  /** The new text; undefined removes the file. */
  text: string | undefined;
  /** The file must not exist yet (a file a function created must not land on one nobody read). */
  create?: boolean;
}

export interface CommitOptions {
  ops?: FsOps;
}

/**
 * Removes stale temporary files of ours (relative paths that `isStaleTemp` recognised while
 * listing), before a run writes: a killed run's leftovers must not linger to be committed by
 * `git add -A`. A file another run removed first is fine.
 */
export function sweep(root: Root, rels: readonly string[], ops: FsOps = NODE_OPS): void {
  for (const rel of rels) {
    try {
      ops.unlinkSync(root.path(rel));
    } catch {
      // Gone already: what matters is that it is gone.
    }
  }
}

interface Old {
  bytes: Buffer;
  mode: number;
  uid: number;
  gid: number;
  nlink: number;
}

interface Planned {
  rel: string;
  /** The real file written (a link's target) or removed (the link itself). */
  path: string;
  text: string | undefined;
  old: Old | undefined;
  /** A symbolic link being removed: where it pointed, to put it back. */
  link?: string;
  tmp?: string;
}

const TEMP_MARK = '.flatnet-';
/** A temporary file a dead run left is stale; one older than this is too (its pid was reused). */
const STALE_AFTER_MS = 60 * 60 * 1000;

export function tempName(file: string): string {
  return `.${file}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
}

/**
 * True for a temporary file of ours (`.<name>.flatnet-<pid>[-<hex>].tmp`) whose run is over:
 * its process is gone, or it is older than an hour. No regular expression: names are input.
 */
export function isStaleTemp(name: string, mtimeMs: number, now = Date.now(), alive: (pid: number) => boolean = processAlive): boolean {
  if (!name.startsWith('.') || !name.endsWith('.tmp')) return false;
  const at = name.lastIndexOf(TEMP_MARK);
  if (at <= 1) return false;
  const tail = name.slice(at + TEMP_MARK.length, -'.tmp'.length);
  const dash = tail.indexOf('-');
  const pidText = dash < 0 ? tail : tail.slice(0, dash);
  const rand = dash < 0 ? '' : tail.slice(dash + 1);
  if (!/^[0-9]{1,10}$/.test(pidText) || !/^[0-9a-f]{0,16}$/.test(rand)) return false;
  const pid = Number(pidText);
  if (pid === process.pid) return false;
  return now - mtimeMs > STALE_AFTER_MS || !alive(pid);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Applies `changes` below `root`, all or nothing (see the contract above). */
export function commit(root: Root, changes: readonly Change[], options: CommitOptions = {}): void {
  const ops = options.ops ?? NODE_OPS;
  const plan = planChanges(root, changes);
  const createdDirs: string[] = [];
  const staged: Planned[] = [];
  const done: Planned[] = [];
  let current = '';
  try {
    for (const p of plan) {
      current = p.rel;
      if (p.text === undefined) continue;
      for (const dir of missingDirs(root, parentOf(p.rel))) {
        ops.mkdirSync(dir, 0o777);
        createdDirs.push(dir);
      }
      p.tmp = join(dirname(p.path), tempName(basename(p.path)));
      staged.push(p); // before the write: a write that fails half-way leaves a file to remove
      writeFileAt(ops, p.tmp, Buffer.from(p.text, 'utf8'), p.old, true);
    }
    for (const p of plan) {
      current = p.rel;
      if (p.text === undefined) {
        ops.unlinkSync(p.path);
        done.push(p);
      } else if (p.old && p.old.nlink > 1) {
        // Hard links stay one file: rewrite in place (the staged copy proved the space is there).
        // Counted as done before it starts: a write that fails half-way is restored too.
        done.push(p);
        writeInPlace(ops, p.path, Buffer.from(p.text, 'utf8'));
        ops.unlinkSync(p.tmp!);
        p.tmp = undefined;
      } else {
        ops.renameSync(p.tmp!, p.path);
        p.tmp = undefined;
        done.push(p);
      }
    }
  } catch (e) {
    const cause = ioError(`write`, current, e);
    const lost = rollback(ops, done, staged, createdDirs);
    if (lost.length) {
      throw new FsError(`${cause.message}; restoring the files already written failed for ${lost.map(quote).join(', ')}: restore ${lost.length > 1 ? 'them' : 'it'} from version control`);
    }
    throw new FsError(`${cause.message}; nothing was changed`);
  }
  syncDirs(ops, new Set(plan.map((p) => dirname(p.path))));
}

function planChanges(root: Root, changes: readonly Change[]): Planned[] {
  const plan: Planned[] = [];
  const byReal = new Map<string, string>();
  for (const c of [...changes].sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0))) {
    checkRel(c.rel);
    checkParents(root, c.rel);
    const abs = root.path(c.rel);
    let st: fs.Stats | undefined;
    try {
      st = fs.lstatSync(abs);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw ioError('read the status of', c.rel, e);
    }
    if (st?.isDirectory()) throw new FsError(`cannot write ${quote(c.rel)}: it is a directory: nothing was changed`);
    if (st && !st.isFile() && !st.isSymbolicLink()) throw new FsError(`cannot write ${quote(c.rel)}: it is not a regular file: nothing was changed`);
    if (!st && c.text === undefined) continue;
    if (st && c.create) throw new FsError(`cannot write ${quote(c.rel)}: a function created an object for it, but the file exists and was not read as part of the package (ignored, or not YAML): nothing was changed`);
    // A removal takes away the name (a link itself, never what it points to).
    const path = st?.isSymbolicLink() && c.text !== undefined ? root.realFile(c.rel) : abs;
    const seen = byReal.get(path);
    if (seen !== undefined) throw new FsError(`${quote(seen)} and ${quote(c.rel)} are the same file (through a symbolic link): keep one of them: nothing was changed`);
    byReal.set(path, c.rel);
    let old: Old | undefined;
    if (st && (c.text !== undefined || st.isFile())) {
      const read = root.read(c.rel, LIMITS.maxInputBytes, (size) => {
        checkInputSize(size, c.rel);
        return new FsError(`${quote(c.rel)} is too large`);
      });
      old = { bytes: read.bytes, mode: read.stat.mode & 0o7777, uid: read.stat.uid, gid: read.stat.gid, nlink: read.stat.nlink };
    }
    plan.push({ rel: c.rel, path, text: c.text, old, ...(st?.isSymbolicLink() && c.text === undefined ? { link: fs.readlinkSync(abs) } : {}) });
  }
  return plan;
}

/** Every existing directory on the way must be a real directory (no link, no file). */
function checkParents(root: Root, rel: string): void {
  const parts = parentOf(rel).split('/').filter(Boolean);
  for (let i = 1; i <= parts.length; i++) {
    const sub = parts.slice(0, i).join('/');
    let st: fs.Stats;
    try {
      st = fs.lstatSync(root.path(sub));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw ioError('read the status of', sub, e);
    }
    if (st.isSymbolicLink()) throw new FsError(`cannot write ${quote(rel)}: ${quote(sub)} is a symbolic link to a directory, and flatnet does not write through directory links (kpt does not follow them): nothing was changed`);
    if (!st.isDirectory()) throw new FsError(`cannot write ${quote(rel)}: ${quote(sub)} is not a directory: nothing was changed`);
  }
}

function missingDirs(root: Root, relDir: string): string[] {
  const out: string[] = [];
  const parts = relDir.split('/').filter(Boolean);
  for (let i = 1; i <= parts.length; i++) {
    const abs = root.path(parts.slice(0, i).join('/'));
    if (!fs.existsSync(abs)) out.push(abs);
  }
  return out;
}

/** A new file with `bytes`, the old file's mode and owner (where permitted), fsynced. */
function writeFileAt(ops: FsOps, path: string, bytes: Buffer, old: Old | undefined, exclusive: boolean): void {
  const flags = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW | (exclusive ? fs.constants.O_EXCL : fs.constants.O_TRUNC);
  // A new file gets 0666 less the umask, as any editor would make it; a replacement its old mode.
  const fd = ops.openSync(path, flags, old ? 0o600 : 0o666);
  try {
    writeAll(ops, fd, bytes);
    if (old) {
      ops.fchmodSync(fd, old.mode);
      if (old.uid !== process.getuid?.() || old.gid !== process.getgid?.()) {
        try {
          ops.fchownSync(fd, old.uid, old.gid);
        } catch {
          // Only root may give a file away: the new file is the writer's, as with any editor.
        }
      }
    }
    ops.fsyncSync(fd);
  } finally {
    ops.closeSync(fd);
  }
}

function writeInPlace(ops: FsOps, path: string, bytes: Buffer): void {
  const fd = ops.openSync(path, fs.constants.O_WRONLY | fs.constants.O_TRUNC | fs.constants.O_NOFOLLOW);
  try {
    writeAll(ops, fd, bytes);
    ops.fsyncSync(fd);
  } finally {
    ops.closeSync(fd);
  }
}

function writeAll(ops: FsOps, fd: number, bytes: Buffer): void {
  let at = 0;
  while (at < bytes.length) at += ops.writeSync(fd, bytes, at, bytes.length - at);
}

/** Undoes `done` (newest first) and removes what was staged; returns the files it could not restore. */
function rollback(ops: FsOps, done: readonly Planned[], staged: readonly Planned[], createdDirs: readonly string[]): string[] {
  const lost: string[] = [];
  for (const p of [...done].reverse()) {
    try {
      if (p.link !== undefined) ops.symlinkSync(p.link, p.path);
      else if (!p.old) ops.unlinkSync(p.path);
      else if (p.text !== undefined && p.old.nlink > 1) writeInPlace(ops, p.path, p.old.bytes);
      else {
        const tmp = join(dirname(p.path), tempName(basename(p.path)));
        try {
          writeFileAt(ops, tmp, p.old.bytes, p.old, true);
          ops.renameSync(tmp, p.path);
        } catch (e) {
          try {
            ops.unlinkSync(tmp);
          } catch {
            // It was never made.
          }
          throw e;
        }
      }
    } catch {
      lost.push(escapeControls(p.rel));
    }
  }
  for (const p of staged) {
    if (p.tmp === undefined) continue;
    try {
      ops.unlinkSync(p.tmp);
    } catch {
      // Never made, or already renamed.
    }
  }
  for (const dir of [...createdDirs].reverse()) {
    try {
      ops.rmdirSync(dir);
    } catch {
      // Not empty (someone else's file) or gone: leave it.
    }
  }
  return lost;
}

/** The renames are durable once their directories are synced; a file system without it is fine. */
function syncDirs(ops: FsOps, dirs: ReadonlySet<string>): void {
  for (const dir of dirs) {
    let fd: number | undefined;
    try {
      fd = ops.openSync(dir, fs.constants.O_RDONLY);
      ops.fsyncSync(fd);
      ops.closeSync(fd);
    } catch {
      // Some file systems refuse fsync on a directory; the data itself is synced.
      try {
        if (fd !== undefined) ops.closeSync(fd);
      } catch {
        // Closed already.
      }
    }
  }
}
