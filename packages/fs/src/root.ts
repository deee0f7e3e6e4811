/**
 * A confined directory: the package (or `-o DIR`) and nothing outside it.
 *
 * Contract:
 * - A `Root` is opened on a directory and holds its real path. Every path given to it is
 *   relative, with `/` separators, no `..`, no empty segment and no NUL; anything else is an
 *   `FsError` before the file system is asked.
 * - Listing never enters a directory reached through a symbolic link (kpt does not follow them
 *   either): it reports it as `dir-link`. A symbolic link to a file is resolved; it is `file`
 *   when its target is a regular file inside the root, else `outside`, `dangling` or `special`.
 * - Only regular files are read: opened by real path with O_NOFOLLOW|O_NONBLOCK (a FIFO cannot
 *   block the open), checked with fstat on the open descriptor, read in chunks up to a byte cap
 *   that does not trust the size fstat reports (a device or procfs file says 0).
 * - Errors from the system come out worded (see errors.ts).
 *
 * The threat is content others wrote (a pull request, a synced repository), not a process racing
 * flatnet on the same machine: the checks are made on what is there when flatnet looks.
 */
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readlinkSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join, sep } from 'node:path';
import { FsError, ioError, quote } from './errors';

export type EntryKind = 'file' | 'dir' | 'dir-link' | 'outside' | 'dangling' | 'special';

export interface Entry {
  name: string;
  /** Path relative to the root. */
  rel: string;
  kind: EntryKind;
  /** For a symbolic link: where it points (as read), for messages. */
  linkTo?: string;
  /** Modification time of the entry itself (not followed), for stale temporary files. */
  mtimeMs: number;
}

export interface FileRead {
  bytes: Buffer;
  /** The file's status at the time it was read (mode, owner, links), from the open descriptor. */
  stat: Stats;
  /** Its real path (a symbolic link's target). */
  real: string;
}

export class Root {
  /** The real path of the directory. */
  readonly abs: string;

  private constructor(abs: string) {
    this.abs = abs;
  }

  /** Opens `dir` (absolute); `shown` is how messages name it. */
  static open(dir: string, shown: string = dir): Root {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch (e) {
      throw ioError('open the directory', shown, e);
    }
    let st: Stats;
    try {
      st = statSync(real);
    } catch (e) {
      throw ioError('open the directory', shown, e);
    }
    if (!st.isDirectory()) throw new FsError(`${quote(shown)} is not a directory`);
    return new Root(real);
  }

  /** The absolute path of `rel` below the root (no link resolved). */
  path(rel: string): string {
    checkRel(rel);
    return rel === '' ? this.abs : join(this.abs, ...rel.split('/'));
  }

  /** True when the absolute real path `real` is the root or inside it. */
  holds(real: string): boolean {
    return real === this.abs || real.startsWith(this.abs.endsWith(sep) ? this.abs : this.abs + sep);
  }

  /**
   * The entries of directory `rel` (a real directory reached without links), sorted by name.
   * Symbolic links are classified, never entered.
   */
  list(rel: string): Entry[] {
    const dir = this.path(rel);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (e) {
      throw ioError('list the directory', rel || '.', e);
    }
    names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const out: Entry[] = [];
    for (const name of names) {
      const childRel = rel ? `${rel}/${name}` : name;
      const abs = join(dir, name);
      let st: Stats;
      try {
        st = lstatSync(abs);
      } catch (e) {
        throw ioError('read the status of', childRel, e);
      }
      const base = { name, rel: childRel, mtimeMs: st.mtimeMs };
      if (st.isDirectory()) out.push({ ...base, kind: 'dir' });
      else if (st.isFile()) out.push({ ...base, kind: 'file' });
      else if (st.isSymbolicLink()) out.push({ ...base, ...this.classifyLink(abs) });
      else out.push({ ...base, kind: 'special' });
    }
    return out;
  }

  private classifyLink(abs: string): { kind: EntryKind; linkTo: string } {
    let linkTo = '';
    try {
      linkTo = readlinkText(abs);
      const real = realpathSync(abs);
      const st = statSync(real);
      if (st.isDirectory()) return { kind: 'dir-link', linkTo };
      if (!this.holds(real)) return { kind: 'outside', linkTo };
      return { kind: st.isFile() ? 'file' : 'special', linkTo };
    } catch {
      // ENOENT (nothing at the end), ELOOP (a loop), EACCES on the way: unreadable, as a link.
      return { kind: 'dangling', linkTo };
    }
  }

  /**
   * Makes the directory `rel` below the root (and those on the way), refusing any part that
   * exists and is not a real directory (a link, a file): returns its absolute path.
   */
  ensureDir(rel: string): string {
    checkRel(rel);
    let at = '';
    for (const part of rel.split('/').filter(Boolean)) {
      at = at ? `${at}/${part}` : part;
      const abs = this.path(at);
      let st: Stats | undefined;
      try {
        st = lstatSync(abs);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw ioError('read the status of', at, e);
      }
      if (st && !st.isDirectory()) throw new FsError(`cannot write into ${quote(at)}: it is ${st.isSymbolicLink() ? 'a symbolic link' : 'not a directory'}, and flatnet writes only into real directories`);
      if (!st) {
        try {
          mkdirSync(abs, 0o777);
        } catch (e) {
          throw ioError('create the directory', at, e);
        }
      }
    }
    return this.path(rel);
  }

  /**
   * The bytes of the regular file `rel`, at most `cap` of them (more is an FsError from `tooLarge`).
   * A symbolic link is followed only to a regular file inside the root.
   */
  read(rel: string, cap: number, tooLarge: (size: number) => Error): FileRead {
    const real = this.realFile(rel);
    let fd: number | undefined;
    try {
      fd = openSync(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
      const stat = fstatSync(fd);
      if (!stat.isFile()) throw new FsError(`cannot read ${quote(rel)}: it is not a regular file (a device, a pipe or a socket): flatnet reads only regular files`);
      if (stat.size > cap) throw tooLarge(stat.size);
      return { bytes: readCapped(fd, stat.size, cap, tooLarge), stat, real };
    } catch (e) {
      if (e instanceof FsError || !(e as NodeJS.ErrnoException).code) throw e;
      throw ioError('read', rel, e);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  /**
   * The real path of the regular file `rel`, refusing what leaves the root: a link out of it, a
   * directory reached through a link, a link to nothing.
   */
  realFile(rel: string): string {
    const abs = this.path(rel);
    let real: string;
    try {
      real = realpathSync(abs);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' && isLink(abs)) throw new FsError(`cannot read ${quote(rel)}: it is a symbolic link to nothing (${quote(readlinkText(abs))}): fix or remove the link`);
      throw ioError('read', rel, e);
    }
    if (!this.holds(real)) throw new FsError(`cannot read ${quote(rel)}: it is a symbolic link to ${quote(real)}, outside ${quote(this.abs)}: flatnet reads only inside the package; copy the file in instead`);
    // Directories on the way must be real ones below the root: the real path of the parent, as
    // reached by name, must be the lexical parent (no directory link on the way).
    const lexicalParent = this.path(parentOf(rel));
    let realParent: string;
    try {
      realParent = realpathSync(lexicalParent);
    } catch (e) {
      throw ioError('read', rel, e);
    }
    if (realParent !== lexicalParent) throw new FsError(`cannot read ${quote(rel)}: a directory on its path is a symbolic link: flatnet does not follow directory links (kpt does not either)`);
    return real;
  }
}

function readCapped(fd: number, hint: number, cap: number, tooLarge: (size: number) => Error): Buffer {
  // One read of the announced size is the usual case; the loop only runs on when the file grew
  // or lied (procfs), and stops past the cap.
  let buf = Buffer.allocUnsafe(Math.min(cap + 1, Math.max(hint + 1, 64 * 1024)));
  let len = 0;
  for (;;) {
    if (len === buf.length) {
      if (len > cap) throw tooLarge(len);
      const bigger = Buffer.allocUnsafe(Math.min(cap + 1, buf.length * 2));
      buf.copy(bigger, 0, 0, len);
      buf = bigger;
    }
    const n = readSync(fd, buf, len, buf.length - len, null);
    if (n === 0) break;
    len += n;
    if (len > cap) throw tooLarge(len);
  }
  return buf.subarray(0, len);
}

export function checkRel(rel: string): void {
  if (rel === '') return;
  if (rel.includes('\0') || rel.startsWith('/') || rel.includes('\\') || rel.split('/').some((s) => s === '' || s === '.' || s === '..')) {
    throw new FsError(`${quote(rel)} is outside the package: a path in it must be relative, with no "..", "." or empty part`);
  }
}

export function parentOf(rel: string): string {
  const i = rel.lastIndexOf('/');
  return i < 0 ? '' : rel.slice(0, i);
}

function isLink(abs: string): boolean {
  try {
    return lstatSync(abs).isSymbolicLink();
  } catch {
    return false;
  }
}

function readlinkText(abs: string): string {
  try {
    return readlinkSync(abs);
  } catch {
    return '?';
  }
}
