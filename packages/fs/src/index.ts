/**
 * @flatnet/fs — the one module for every path flatnet reads or writes below a package or an
 * output directory: confined, regular files only, bounded, all-or-nothing writes, worded errors.
 */
export { Root, checkRel, type Entry, type EntryKind, type FileRead } from './root';
export { commit, isStaleTemp, sweep, NODE_OPS, type Change, type CommitOptions, type FsOps } from './transaction';
export { FsError, LONE_SURROGATE, codeEscape, escapeControls, escapeLineStart, ioError, quote, worded } from './errors';
