/**
 * `.krmignore`, exactly as kpt reads it. kpt reads packages with kyaml, which hands the file to
 * the go-gitignore library (205db1a, the one kpt 1.0.0-beta.56 is built with), which matches with
 * Go's `filepath.Match` (on Unix). Checked against both, outside the repository. That is not git:
 *
 * - Lines: split at `\n`, one trailing `\r` dropped, then spaces (U+0020 only, not tabs) trimmed
 *   at both ends (git keeps leading spaces and `\ `-escaped trailing ones). Blank lines and lines
 *   starting with `#` are skipped; a leading `\#` loses its backslash. No other escape exists at
 *   this level: `\!x` is a rule with a backslash in it (git: a rule for `!x`).
 * - `!` makes an accept rule, and order does not matter: a path is ignored when no accept rule
 *   matches it and some ignore rule does (git: the last matching line wins, so `!a.yaml` then
 *   `*.yaml` ignores a.yaml in git, not in kpt).
 * - Anchoring: leading and trailing slashes are cut off, and what is left has d segments (one plus
 *   its inner slashes). With a leading `/` it matches a path of exactly d segments; without, the
 *   last d segments of any path, however deep: an inner `/` does not anchor (git: it does).
 *   A trailing `/` limits the rule to directories.
 * - Wildcards, only when the rule holds `*`, `?` or `[` (otherwise it is compared literally,
 *   backslashes and all): `*` is any run of non-`/` bytes, `?` one non-`/` character, `[a-z]`
 *   and `[^a-z]` a character class with `\` escapes, `\c` the character c. `**` is two `*`: it
 *   never crosses a `/` (git: it spans directories): with `**` between `docs/` and `/*.yaml`,
 *   a rule matches docs/x/y.yaml, never docs/x/y/z.yaml. A malformed rule (`[` unclosed, `[]`,
 *   a trailing `\`) matches nothing.
 * - An ignored directory is skipped whole by the walker (package.ts), so no accept rule can bring
 *   back a file below it, as in git; an accept rule matching the directory itself keeps it.
 * - Quirks kept, for kpt parity: a class matches `/` too; a rooted rule of d segments is also
 *   tried, as a file, on a longer path's first d segments plus their `/` (so `/a[^x]` ignores
 *   everything below `a/`); Go's `*` is greedy, each run after it taken at its leftmost fit and
 *   never reconsidered (`*[a/]*b` misses `a/b`); and `*` steps bytes, so what follows may start
 *   inside a multi-byte character, read as U+FFFD (`*??` matches `€`): matching is on UTF-8 bytes.
 * - Errors (`KrmInputError`) where kpt panics (a rule that is `/`, `!` or `!/` alone) and past
 *   KRMIGNORE_LIMITS (kpt silently stops reading at a 64 KiB line).
 *
 * Cost: each rule is tried on one slice of a path per set (ignore, accept), chosen by its d, and
 * no RegExp is built: a literal rule is a byte comparison, a wildcard rule Go's algorithm, which
 * tries each run after a `*` at each offset up to the next `/`: O(rule × segment) per rule, so
 * O(file × segment) per path at worst, with the file bounded by KRMIGNORE_LIMITS.
 */
import { KrmInputError } from '@flatnet/krm';

/** Whether a path relative to the package (`/`-separated, no leading or trailing `/`) is ignored. */
export type IgnoreMatcher = (relPath: string, isDir: boolean) => boolean;

/** Bounds on a `.krmignore`, so a hostile package cannot make reading it or matching costly. */
export const KRMIGNORE_LIMITS = {
  /**
   * Bytes of the file: real ones are a few hundred; checked before reading it. 8 KiB bounds the
   * worst file's cost to a few milliseconds per path (at 64 KiB it was 40–60 ms: minutes on a
   * large repository).
   */
  maxBytes: 8 * 1024,
  maxRules: 1_000,
  /** Characters of one rule, after trimming. */
  maxRuleLength: 1024,
};

/** Refuses a `.krmignore` of more than KRMIGNORE_LIMITS.maxBytes (`file`: its path, for the message). */
export function checkKrmignoreSize(bytes: number, file = '.krmignore'): void {
  if (bytes > KRMIGNORE_LIMITS.maxBytes) {
    throw new KrmInputError('too-large', `${file} is ${bytes} bytes: flatnet reads a .krmignore of at most ${KRMIGNORE_LIMITS.maxBytes} bytes (8 KiB); shorten it`);
  }
}

/** The matcher of a `.krmignore`'s text; `file` names it in error messages. */
export function parseKrmignore(text: string, file = '.krmignore'): IgnoreMatcher {
  checkKrmignoreSize(Buffer.byteLength(text, 'utf8'), file);
  const ignore = new RuleSet();
  const accept = new RuleSet();
  let rules = 0;
  text.split('\n').forEach((raw, index) => {
    const at = `${file} line ${index + 1}`;
    let line = trimSpaces(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
    if (line === '' || line.startsWith('#')) return;
    if (line.startsWith('\\#')) line = line.slice(1);
    const negated = line.startsWith('!');
    const pattern = negated ? line.slice(1) : line;
    // kpt (go-gitignore) indexes these by their first character after the `/` and panics.
    if (pattern === '' || pattern === '/') {
      throw new KrmInputError('not-resource-list', `${at}: "${line}" is no rule (kpt crashes on it); remove the line`);
    }
    if (pattern.length > KRMIGNORE_LIMITS.maxRuleLength) {
      throw new KrmInputError('too-large', `${at}: the rule is ${pattern.length} characters long; flatnet reads rules of at most ${KRMIGNORE_LIMITS.maxRuleLength}: shorten it`);
    }
    if (++rules > KRMIGNORE_LIMITS.maxRules) {
      throw new KrmInputError('too-large', `${at}: more than ${KRMIGNORE_LIMITS.maxRules} rules; flatnet reads at most ${KRMIGNORE_LIMITS.maxRules}: merge rules with wildcards`);
    }
    (negated ? accept : ignore).add(pattern);
  });
  return (relPath, isDir) => {
    if (relPath === '') return false;
    const path = UTF8.encode(relPath);
    const at: PathShape = { slashes: [], ascii: true };
    for (let i = 0; i < path.length; i++) {
      if (path[i] === SLASH) at.slashes.push(i);
      else if (path[i]! >= 0x80) at.ascii = false;
    }
    return !accept.matches(path, at, isDir) && ignore.matches(path, at, isDir);
  };
}

const UTF8 = new TextEncoder();
const SLASH = 0x2f;

function trimSpaces(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) === 0x20) a++;
  while (b > a && s.charCodeAt(b - 1) === 0x20) b--;
  return s.slice(a, b);
}

/** What matching needs to know of a path beside its bytes, found once per path. */
interface PathShape {
  /** Offsets of `/`: a path of k segments has k - 1. */
  readonly slashes: number[];
  /** No byte of 0x80 or more: every wildcard item then takes exactly one byte. */
  ascii: boolean;
}

interface Rule {
  readonly dirOnly: boolean;
  /** The rule's bytes without leading and trailing `/`, compared as they are: it has no wildcard. */
  readonly literal?: Uint8Array;
  /** The compiled wildcard rule; undefined with `literal` too when it is malformed (never matches). */
  readonly glob?: Chunk[];
}

/** One set of rules (ignore or accept), each kept under its segment count d. */
class RuleSet {
  private readonly rooted = new Map<number, Rule[]>();
  private readonly floating = new Map<number, Rule[]>();
  private maxRooted = 0;
  private maxFloating = 0;

  add(pattern: string): void {
    const bytes = UTF8.encode(pattern);
    let a = 0;
    let b = bytes.length;
    while (a < b && bytes[a] === SLASH) a++;
    while (b > a && bytes[b - 1] === SLASH) b--;
    let depth = 1;
    for (let i = a; i < b; i++) if (bytes[i] === SLASH) depth++;
    const core = bytes.subarray(a, b);
    const wild = /[*?[]/.test(pattern);
    const rule: Rule = { dirOnly: pattern.endsWith('/'), ...(wild ? { glob: compileGlob(core) } : { literal: core }) };
    if (rule.glob === undefined && rule.literal === undefined) return;
    const rooted = pattern.startsWith('/');
    const byDepth = rooted ? this.rooted : this.floating;
    const list = byDepth.get(depth);
    if (list) list.push(rule);
    else byDepth.set(depth, [rule]);
    if (rooted) this.maxRooted = Math.max(this.maxRooted, depth);
    else this.maxFloating = Math.max(this.maxFloating, depth);
  }

  matches(path: Uint8Array, at: PathShape, isDir: boolean): boolean {
    const { slashes } = at;
    const k = slashes.length + 1;
    // A rooted rule of d segments: on the whole path when k = d; when k > d, on its first d
    // segments and their `/`, as a file (go-gitignore's walk down the path, kept for parity).
    for (let d = 1, top = Math.min(k, this.maxRooted); d <= top; d++) {
      const rules = this.rooted.get(d);
      if (!rules) continue;
      const whole = d === k;
      if (anyMatch(rules, path, 0, whole ? path.length : slashes[d - 1]! + 1, whole && isDir, at.ascii)) return true;
    }
    // A floating rule of d segments: on the last d segments of the path.
    for (let d = 1, top = Math.min(k, this.maxFloating); d <= top; d++) {
      const rules = this.floating.get(d);
      if (rules && anyMatch(rules, path, d === k ? 0 : slashes[k - 1 - d]! + 1, path.length, isDir, at.ascii)) return true;
    }
    return false;
  }
}

function anyMatch(rules: readonly Rule[], s: Uint8Array, start: number, end: number, isDir: boolean, ascii: boolean): boolean {
  if (start >= end) return false; // an empty segment: not from package.ts's walk
  for (const r of rules) {
    if (r.dirOnly && !isDir) continue;
    if (r.literal ? bytesEqual(r.literal, s, start, end) : globMatch(r.glob!, s, start, end, ascii)) return true;
  }
  return false;
}

function bytesEqual(lit: Uint8Array, s: Uint8Array, start: number, end: number): boolean {
  if (lit.length !== end - start) return false;
  for (let i = 0; i < lit.length; i++) if (lit[i] !== s[start + i]) return false;
  return true;
}

/**
 * A wildcard rule as Go's `filepath.Match` splits it: runs of single-character items, each after
 * a `*` or not (only the first can be without). An item is a literal byte, ANY (`?`) or a class.
 */
interface Chunk {
  readonly star: boolean;
  readonly items: readonly Item[];
  /** Only literal bytes: the run is items.length bytes long, whatever it meets. */
  readonly bytesOnly: boolean;
}
type Item = number | CharClass;
interface CharClass {
  readonly negated: boolean;
  /** Code point ranges, lo and hi in turn, inclusive. */
  readonly ranges: readonly number[];
}
const ANY = -1;
const RUNE_ERROR = 0xfffd;

/** Chunks of a wildcard rule (its bytes), or undefined if Go would find it malformed. */
function compileGlob(p: Uint8Array): Chunk[] | undefined {
  const chunks: Chunk[] = [];
  let i = 0;
  while (i < p.length) {
    let star = false;
    while (i < p.length && p[i] === 0x2a) {
      i++;
      star = true;
    }
    // A run ends at a `*` outside brackets; a `\` hides the next byte.
    const start = i;
    let inClass = false;
    for (; i < p.length; i++) {
      const c = p[i];
      if (c === 0x5c) {
        if (i + 1 < p.length) i++;
      } else if (c === 0x5b) inClass = true;
      else if (c === 0x5d) inClass = false;
      else if (c === 0x2a && !inClass) break;
    }
    const items = compileRun(p, start, i);
    if (!items) return undefined;
    chunks.push({ star, items, bytesOnly: items.every((it) => typeof it === 'number' && it !== ANY) });
  }
  return chunks;
}

function compileRun(p: Uint8Array, from: number, to: number): Item[] | undefined {
  const items: Item[] = [];
  let i = from;
  while (i < to) {
    const c = p[i]!;
    if (c === 0x5b) {
      i++;
      const negated = p[i] === 0x5e && i < to;
      if (negated) i++;
      const ranges: number[] = [];
      for (;;) {
        if (i < to && p[i] === 0x5d && ranges.length > 0) {
          i++;
          break;
        }
        const lo = classChar(p, i, to);
        if (!lo) return undefined;
        const hi = p[lo.next] === 0x2d ? classChar(p, lo.next + 1, to) : lo;
        if (!hi) return undefined;
        i = hi.next;
        ranges.push(lo.rune, hi.rune);
      }
      items.push({ negated, ranges });
    } else if (c === 0x3f) {
      items.push(ANY);
      i++;
    } else if (c === 0x5c) {
      if (i + 1 >= to) return undefined;
      items.push(p[i + 1]!);
      i += 2;
    } else {
      items.push(c);
      i++;
    }
  }
  return items;
}

/** Go's getEsc: the class character at p[i] and where the class goes on; undefined if malformed. */
function classChar(p: Uint8Array, i: number, to: number): { rune: number; next: number } | undefined {
  if (i >= to || p[i] === 0x2d || p[i] === 0x5d) return undefined;
  if (p[i] === 0x5c && ++i >= to) return undefined;
  const d = decode(p, i, to);
  const next = i + (d & 0x7);
  // Go also wants something after it: at least the class's closing `]`.
  if ((d >> 3 === RUNE_ERROR && (d & 0x7) === 1) || next >= to) return undefined;
  return { rune: d >> 3, next };
}

/**
 * Go's `filepath.Match` of a valid rule on s[start, end): each run is tried where the previous one
 * ended, and, after a `*`, one byte further each time up to the next `/`; the first fit is kept.
 * `ascii`: s[start, end) is, so every item takes one byte.
 */
function globMatch(chunks: readonly Chunk[], s: Uint8Array, start: number, end: number, ascii: boolean): boolean {
  let pos = start;
  for (let c = 0; c < chunks.length; c++) {
    const { star, items, bytesOnly } = chunks[c]!;
    const last = c === chunks.length - 1;
    if (star && items.length === 0) return noSlash(s, pos, end); // a trailing `*`
    if (last && (ascii || bytesOnly)) {
      // The run is as long as its items, so of the offsets Go's scan tries only the one ending it
      // at `end` can finish the name: O(run) instead of O(run × segment) (`*.yaml`, and hostile
      // rules alike).
      const p = end - items.length;
      return p >= pos && (p === pos || (star && noSlash(s, pos, p))) && matchRun(items, s, p, end) === end;
    }
    let t = matchRun(items, s, pos, end);
    if (t >= 0 && (t === end || !last)) {
      pos = t;
      continue;
    }
    if (!star) return false;
    let found = false;
    for (let i = pos; i < end && s[i] !== SLASH; i++) {
      t = matchRun(items, s, i + 1, end);
      if (t >= 0 && (t === end || !last)) {
        pos = t;
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return pos === end;
}

function noSlash(s: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (s[i] === SLASH) return false;
  return true;
}

/** Where a run of items matching at s[pos] ends, or -1. */
function matchRun(items: readonly Item[], s: Uint8Array, pos: number, end: number): number {
  for (const item of items) {
    if (pos >= end) return -1;
    if (item === ANY) {
      if (s[pos] === SLASH) return -1;
      pos += decode(s, pos, end) & 0x7;
    } else if (typeof item === 'number') {
      if (s[pos] !== item) return -1;
      pos++;
    } else {
      const d = decode(s, pos, end);
      const r = d >> 3;
      let inside = false;
      for (let j = 0; j < item.ranges.length && !inside; j += 2) inside = item.ranges[j]! <= r && r <= item.ranges[j + 1]!;
      if (inside === item.negated) return -1;
      pos += d & 0x7;
    }
  }
  return pos;
}

/**
 * Go's utf8.DecodeRune of s[i, end): the code point << 3 | its byte width (packed, so the hot
 * path allocates nothing); an invalid or cut sequence is U+FFFD of width 1.
 */
function decode(s: Uint8Array, i: number, end: number): number {
  const b0 = s[i]!;
  if (b0 < 0x80) return (b0 << 3) | 1;
  const bad = (RUNE_ERROR << 3) | 1;
  const width = b0 >= 0xc2 && b0 <= 0xdf ? 2 : b0 >= 0xe0 && b0 <= 0xef ? 3 : b0 >= 0xf0 && b0 <= 0xf4 ? 4 : 0;
  if (width === 0 || i + width > end) return bad;
  const b1 = s[i + 1]!;
  const lo = b0 === 0xe0 ? 0xa0 : b0 === 0xf0 ? 0x90 : 0x80;
  const hi = b0 === 0xed ? 0x9f : b0 === 0xf4 ? 0x8f : 0xbf;
  if (b1 < lo || b1 > hi) return bad;
  if (width === 2) return ((((b0 & 0x1f) << 6) | (b1 & 0x3f)) << 3) | 2;
  const b2 = s[i + 2]!;
  if (b2 < 0x80 || b2 > 0xbf) return bad;
  if (width === 3) return ((((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f)) << 3) | 3;
  const b3 = s[i + 3]!;
  if (b3 < 0x80 || b3 > 0xbf) return bad;
  return ((((b0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f)) << 3) | 4;
}
