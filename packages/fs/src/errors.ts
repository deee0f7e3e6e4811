/**
 * Worded I/O errors: the file, the operation, the cause in words, what to do. An `FsError` is a
 * `KrmInputError` with code `io`, so every entry point already turns it into its documented exit
 * code and one line on stderr, never "internal error".
 */
import { KrmInputError } from '@flatnet/krm';

export class FsError extends KrmInputError {
  constructor(message: string) {
    super('io', message);
    this.name = 'FsError';
  }
}

const CAUSES: Record<string, [string, string]> = {
  ENOENT: ['it does not exist', 'check the path'],
  EACCES: ['permission denied', "check the file's permissions and owner"],
  EPERM: ['the operation is not permitted', "check the file's permissions, attributes and owner"],
  ELOOP: ['it is a loop of symbolic links', 'replace the links with files'],
  EISDIR: ['it is a directory', 'name a file'],
  ENOTDIR: ['a part of the path is not a directory', 'check the path'],
  ENOSPC: ['the disk is full', 'free some space and run again'],
  EDQUOT: ['the disk quota is exhausted', 'free some space and run again'],
  EROFS: ['the file system is read-only', 'write to a writable directory'],
  EMFILE: ['too many files are open', 'raise the limit of open files (ulimit -n)'],
  ENFILE: ['too many files are open on this machine', 'try again later'],
  EIO: ['the device reported an I/O error', 'check the disk'],
  EBUSY: ['it is busy', 'try again later'],
  EEXIST: ['it already exists', 'remove it'],
  EXDEV: ['it is on another file system', 'keep the package on one file system'],
  ENAMETOOLONG: ['the name is too long', 'use a shorter path'],
};

/** An `FsError` for a failed system call: `cannot <op> "<path>": <cause> (<CODE>): <what to do>`. */
export function ioError(op: string, path: string, e: unknown): FsError {
  if (e instanceof FsError) return e;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const known = code ? CAUSES[code] : undefined;
  if (known) return new FsError(`cannot ${op} ${quote(path)}: ${known[0]} (${code}): ${known[1]}`);
  const detail = e instanceof Error ? e.message : String(e);
  return new FsError(`cannot ${op} ${quote(path)}: ${code ? `${code}: ` : ''}${detail}`);
}

/**
 * A path for a message, in double quotes, with control characters escaped: a file name can hold a
 * newline, and one message must stay one line (CI logs parse lines).
 */
export function quote(path: string): string {
  return `"${escapeControls(path)}"`;
}

// One pass, linear: each control character (C0, DEL, C1) becomes \n, \t, \r or \u{XX}.
export function escapeControls(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c !== 0x7f && !(c >= 0x80 && c <= 0x9f) && c !== 0x2028 && c !== 0x2029) continue;
    out += text.slice(from, i) + (c === 10 ? '\\n' : c === 9 ? '\\t' : c === 13 ? '\\r' : `\\u{${c.toString(16).toUpperCase()}}`);
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

const SYSCALL_WORDS: Record<string, string> = {
  open: 'open',
  read: 'read',
  write: 'write',
  rename: 'replace',
  unlink: 'remove',
  mkdir: 'create the directory',
  rmdir: 'remove the directory',
  scandir: 'list the directory',
  stat: 'read the status of',
  lstat: 'read the status of',
  realpath: 'resolve',
  readlink: 'read the link',
  fsync: 'sync',
  copyfile: 'copy',
};

/**
 * A system error that escaped to a command's edge, worded (the file, the operation, the cause,
 * what to do); undefined for anything that is not one (a bug stays a bug).
 */
export function worded(e: unknown): FsError | undefined {
  if (e instanceof FsError) return e;
  const err = e as NodeJS.ErrnoException | undefined;
  if (!(e instanceof Error) || typeof err?.code !== 'string' || typeof err.syscall !== 'string') return undefined;
  return ioError(SYSCALL_WORDS[err.syscall] ?? err.syscall, err.path ?? '(unnamed)', e);
}
