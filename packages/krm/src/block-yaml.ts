/**
 * A reader for the plain block YAML that almost every manifest is written in: block mappings and
 * sequences, plain and simple quoted scalars, comments. About 2× faster than js-yaml and 8× faster
 * than `yaml` on such text, which keeps reading a large fleet near the cost of a bare parse.
 *
 * It gives exactly what the `yaml` package gives (YAML 1.2 core schema), or nothing: on anything
 * outside the subset (non-ASCII or control characters, tabs, CR, anchors, aliases, tags, block scalars, non-empty flow
 * collections, escapes, multi-line scalars, complex or non-string keys, duplicate or `__proto__`
 * keys, a second document, deep nesting, anything odd) it returns undefined and the caller takes
 * the general parsers. A differential test holds it to `yaml` on the corpus and on fuzzed text.
 */
import { resolvePlainScalar } from './core-scalars';

/**
 * Deeper nesting is rare in manifests; the general path has the depth limit and its wording.
 * Below LIMITS.maxDepth, so values read here need no depth check (`bounded`).
 */
const MAX_DEPTH = 64;

/** Only printable ASCII and line feeds: everything else (tabs, CR, BOM, Unicode) takes the general path. */
const OUTSIDE_SUBSET = /[^\n\x20-\x7e]/;

const KEY = /^[A-Za-z_][A-Za-z0-9_.\/-]*$/;

/** First characters of `,[]{}#&*!|>%@\`` flow, anchor, tag, block-scalar and reserved indicators. */
const NOT_PLAIN_START: boolean[] = [];
for (const ch of ',[]{}#&*!|>%@`') NOT_PLAIN_START[ch.charCodeAt(0)] = true;

class Bail extends Error {}
const BAIL = new Bail();

const SPACE = 0x20;
const HASH = 0x23;
const DASH = 0x2d;
const COLON = 0x3a;
const DQUOTE = 0x22;
const SQUOTE = 0x27;

/** The current significant line: its first non-space column and the bounds of its text. */
interface Cursor {
  /** Column of the content (after `- ` once a sequence entry is entered); -1 at the end. */
  indent: number;
  /** Index where the content starts. */
  start: number;
  /** Index of the line's end (its `\n` or the text's end). */
  end: number;
  /** Index where the next line starts. */
  next: number;
  /** Index where this line starts. */
  lineStart: number;
}

export function readBlockYaml(text: string): { value: unknown; bounded: true } | undefined {
  if (OUTSIDE_SUBSET.test(text)) return undefined;
  try {
    return new BlockReader(text).document();
  } catch (e) {
    if (e === BAIL) return undefined;
    throw e;
  }
}

class BlockReader {
  private readonly cur: Cursor = { indent: -1, start: 0, end: 0, next: 0, lineStart: 0 };
  constructor(private readonly text: string) {}

  document(): { value: unknown; bounded: true } | undefined {
    const t = this.text;
    this.cur.next = 0;
    // An optional `---` first (after comments), alone on its line.
    this.advance(true);
    let marker = false;
    if (this.cur.indent === 0 && t.startsWith('---', this.cur.start)) {
      const after = this.cur.start + 3;
      if (after < this.cur.end && !/^ +(#.*)?$/.test(t.slice(after, this.cur.end))) throw BAIL;
      marker = true;
      this.advance(true);
    }
    if (this.cur.indent < 0) {
      if (!marker) return undefined; // no document at all: the general path says so
      return { value: null, bounded: true };
    }
    const value = this.block(this.cur.indent, 0);
    if (this.cur.indent >= 0) throw BAIL; // something after the root node
    return { value, bounded: true };
  }

  /** Moves to the next line that is not blank or a comment; indent -1 at the end. */
  private advance(atStart = false): void {
    const t = this.text;
    const c = this.cur;
    let pos = c.next;
    while (pos < t.length) {
      let nl = t.indexOf('\n', pos);
      if (nl < 0) nl = t.length;
      let i = pos;
      while (i < nl && t.charCodeAt(i) === SPACE) i++;
      if (i < nl && t.charCodeAt(i) !== HASH) {
        // A document marker at column 0 ends the document: a second one is not ours to read.
        if (i === pos && !atStart && (t.startsWith('---', i) || t.startsWith('...', i))) {
          const ch = t.charCodeAt(i + 3);
          if (i + 3 >= nl || ch === SPACE) throw BAIL;
        }
        c.indent = i - pos;
        c.start = i;
        c.end = nl;
        c.lineStart = pos;
        c.next = nl + 1;
        return;
      }
      pos = nl + 1;
    }
    c.indent = -1;
    c.start = c.end = c.next = c.lineStart = t.length;
  }

  private block(indent: number, depth: number): unknown {
    if (depth > MAX_DEPTH) throw BAIL;
    return this.isEntry() ? this.sequence(indent, depth) : this.mapping(indent, depth);
  }

  /** `-` alone or followed by a space at the cursor. */
  private isEntry(): boolean {
    const t = this.text;
    const c = this.cur;
    return t.charCodeAt(c.start) === DASH && (c.start + 1 === c.end || t.charCodeAt(c.start + 1) === SPACE);
  }

  private sequence(indent: number, depth: number): unknown[] {
    const t = this.text;
    const c = this.cur;
    const out: unknown[] = [];
    while (c.indent === indent && this.isEntry()) {
      let i = c.start + 1;
      while (i < c.end && t.charCodeAt(i) === SPACE) i++;
      if (i === c.end || t.charCodeAt(i) === HASH) {
        if (i < c.end && t.charCodeAt(i - 1) !== SPACE) throw BAIL;
        this.advance();
        out.push(c.indent > indent ? this.block(c.indent, depth + 1) : null);
        continue;
      }
      // Content on the dash line: it is the entry, at its own column.
      c.indent = i - c.lineStart;
      c.start = i;
      if (this.isEntry()) throw BAIL; // `- - x`
      if (this.keyEnd() >= 0) out.push(this.mapping(c.indent, depth + 1));
      else {
        out.push(this.scalar(c.start));
        this.advance();
        if (c.indent > indent) throw BAIL; // a multi-line scalar or a stray line
      }
    }
    return out;
  }

  private mapping(indent: number, depth: number): Record<string, unknown> {
    const t = this.text;
    const c = this.cur;
    const out: Record<string, unknown> = {};
    while (c.indent === indent) {
      if (this.isEntry()) break; // a compact sequence's end is the parent's to judge
      const colon = this.keyEnd();
      if (colon < 0) throw BAIL;
      const key = this.key(c.start, colon);
      if (Object.prototype.hasOwnProperty.call(out, key)) throw BAIL;
      let i = colon + 1;
      while (i < c.end && t.charCodeAt(i) === SPACE) i++;
      let value: unknown;
      if (i === c.end || t.charCodeAt(i) === HASH) {
        if (i < c.end && i === colon + 1) throw BAIL;
        this.advance();
        if (c.indent > indent) value = this.block(c.indent, depth + 1);
        else if (c.indent === indent && this.isEntry()) value = this.sequence(indent, depth + 1);
        else value = null;
      } else {
        value = this.scalar(i);
        this.advance();
        if (c.indent > indent) throw BAIL;
      }
      out[key] = value;
    }
    if (c.indent > indent) throw BAIL;
    return out;
  }

  /**
   * The index of the `:` that ends a key on the cursor's line, or -1 when the line is not
   * `key: ...`. Keys are plain words or simply quoted.
   */
  private keyEnd(): number {
    const t = this.text;
    const c = this.cur;
    const first = t.charCodeAt(c.start);
    let i: number;
    if (first === DQUOTE || first === SQUOTE) {
      i = this.quotedEnd(c.start);
      while (i < c.end && t.charCodeAt(i) === SPACE) i++;
      return i < c.end && t.charCodeAt(i) === COLON && (i + 1 === c.end || t.charCodeAt(i + 1) === SPACE) ? i : -1;
    }
    for (i = c.start; i < c.end; i++) {
      const ch = t.charCodeAt(i);
      if (ch === COLON && (i + 1 === c.end || t.charCodeAt(i + 1) === SPACE)) return i;
      if (ch === HASH && t.charCodeAt(i - 1) === SPACE) return -1;
    }
    return -1;
  }

  private key(from: number, colon: number): string {
    const t = this.text;
    const first = t.charCodeAt(from);
    if (first === DQUOTE || first === SQUOTE) {
      const end = this.quotedEnd(from);
      const key = this.quoted(from, end);
      if (key === '__proto__') throw BAIL;
      return key;
    }
    let to = colon;
    while (to > from && t.charCodeAt(to - 1) === SPACE) to--;
    const key = t.slice(from, to);
    if (!KEY.test(key) || key === '__proto__' || typeof resolvePlainScalar(key) !== 'string') throw BAIL;
    return key;
  }

  /** The index just after the closing quote of the quoted scalar at `from` (same line only). */
  private quotedEnd(from: number): number {
    const t = this.text;
    const end = this.cur.end;
    const q = t.charCodeAt(from);
    for (let i = from + 1; i < end; i++) {
      const ch = t.charCodeAt(i);
      if (q === DQUOTE && ch === 0x5c) throw BAIL; // escapes: the general path
      if (ch === q) {
        if (q === SQUOTE && t.charCodeAt(i + 1) === SQUOTE && i + 1 < end) {
          i++;
          continue;
        }
        return i + 1;
      }
    }
    throw BAIL; // a quoted scalar over several lines
  }

  private quoted(from: number, end: number): string {
    const body = this.text.slice(from + 1, end - 1);
    return this.text.charCodeAt(from) === SQUOTE ? body.replace(/''/g, "'") : body;
  }

  /** A value from `from` to the end of the cursor's line. */
  private scalar(from: number): unknown {
    const t = this.text;
    const end = this.cur.end;
    const first = t.charCodeAt(from);
    if (first === DQUOTE || first === SQUOTE) {
      const close = this.quotedEnd(from);
      const rest = t.slice(close, end);
      if (rest !== '' && !/^ +(#.*)?$/.test(rest)) throw BAIL;
      return this.quoted(from, close);
    }
    let to = end;
    for (let i = from + 1; i < end; i++) {
      if (t.charCodeAt(i) === HASH && t.charCodeAt(i - 1) === SPACE) {
        to = i;
        break;
      }
    }
    while (to > from && t.charCodeAt(to - 1) === SPACE) to--;
    // Indicators that start something other than a plain scalar.
    if (NOT_PLAIN_START[first]) {
      if (to - from === 2 && (first === 0x5b || first === 0x7b) && t.charCodeAt(from + 1) === first + 2) return first === 0x5b ? [] : {};
      throw BAIL;
    }
    if ((first === DASH || first === 0x3f || first === COLON) && (to === from + 1 || t.charCodeAt(from + 1) === SPACE)) throw BAIL;
    // `: ` inside (or `:` at the end) would be a mapping where a value stands.
    for (let i = from; i < to; i++) if (t.charCodeAt(i) === COLON && (i + 1 === to || t.charCodeAt(i + 1) === SPACE)) throw BAIL;
    return resolvePlainScalar(t.slice(from, to));
  }
}
