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

// What must not reach a line of text as it is: C0 and C1 controls and DEL (a newline forges a
// line, ESC drives the terminal), line and paragraph separators, the bidirectional overrides and
// isolates (they reorder what a reader sees), the BOM, lone surrogates. Backslashes stay: messages
// already quote values JSON-style (`"a\u0000"`), and doubling them would garble those.
// A high surrogate without its low half, or a low one without its high half: no character.
export const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const UNSAFE = new RegExp(`[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069\\ufeff]|${LONE_SURROGATE.source}`, 'g');
const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `\u{…}`, the code in hexadecimal. */
export const codeEscape = (c: string): string => `\\u{${c.charCodeAt(0).toString(16).toUpperCase()}}`;

/**
 * `s` as plain text on one line: controls and invisible characters as escapes (`\n`, `\t`,
 * `\u{1B}`, `\u{202E}`). For the user's strings in every line flatnet prints: file names, and
 * messages, which quote names and values from the manifests. Linear: one character class.
 */
export function escapeControls(s: string): string {
  return s.replace(UNSAFE, (c) => NAMED_ESCAPES[c] ?? codeEscape(c));
}

/**
 * escapeControls for what starts a line: a leading `::` (GitHub Actions) or `##` (Azure Pipelines,
 * GitHub's `##[`) would be read by CI as a workflow command; its first character is escaped.
 * A runner may trim the line first, so spaces before it count too.
 */
export function escapeLineStart(s: string): string {
  return escapeControls(s).replace(/^(\s*)([:#])(?=\2)/, (_m, space: string, c: string) => space + codeEscape(c));
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
