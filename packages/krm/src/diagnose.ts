/**
 * Naming the real cause when a file is not the manifests it looks like (issue 15): an unrendered
 * template (Helm and Jinja `{{ }}` `{% %}`, Terraform `${ }` `%{ }`, envsubst `$VAR`, a shell
 * heredoc, docs placeholders `<Machine 1 IP>` and `UPPER_CASE`), or a docs snippet's elision line
 * `...`. The parser's own words ("Implicit keys need to be on a single line") and one schema error
 * per placeholder say neither.
 *
 * Placeholders are judged by where they stand, so a real manifest is not taken for a template:
 * template syntax counts only in plain text (not in comments, quoted strings or block scalars,
 * where scripts and alert templates legitimately hold `${HOME}` and `{{ $labels }}`), and
 * placeholder-shaped values count only where they cannot be a value at all (see `valueHits`).
 *
 * Every scan is one pass over the text or the value, character by character: no regular
 * expression, so nothing backtracks on untrusted input.
 */
import type { JsonObject, PathSegment } from './kube-object';

/** A placeholder or non-YAML line seen, with its 1-based line. */
export interface Sighting {
  readonly line: number;
  readonly text: string;
}

/** At most this many sightings are kept (and named in a message); the rest are counted. */
export const SHOWN = 5;
/** A sighting's text is cut to this many characters. */
const MAX_TEXT = 40;

/** A bounded list: the first `SHOWN` entries, and how many there were. */
export class Sightings<T> {
  readonly first: T[] = [];
  count = 0;
  add(entry: T): void {
    if (this.first.length < SHOWN) this.first.push(entry);
    this.count++;
  }
}

export interface TextScan {
  /** Template syntax in plain text (`{{ }}`, `{% %}`, `{# #}`, `${ }`, `%{ }`, `<% %>`) and shell heredoc lines. */
  readonly syntax: Sightings<Sighting>;
  /** Placeholder-shaped plain values: `$VAR`, `<…>`, `UPPER_CASE`; evidence only beside a parse error. */
  readonly shaped: Sightings<Sighting>;
  /** Lines holding only `...` (or `…`) where YAML cannot read it as a document's end: indented, or followed by more of the document. */
  readonly elisions: Sightings<number>;
}

const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const HASH = 0x23;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const BACKSLASH = 0x5c;
const DOLLAR = 0x24;
const PERCENT = 0x25;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LT = 0x3c;
const GT = 0x3e;
const COLON = 0x3a;
const DASH = 0x2d;
const COMMA = 0x2c;
const LBRACKET = 0x5b;
const UNDERSCORE = 0x5f;

const isBlank = (c: number): boolean => c === SPACE || c === TAB;
const isUpper = (c: number): boolean => c >= 0x41 && c <= 0x5a;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isIdentStart = (c: number): boolean => isUpper(c) || (c >= 0x61 && c <= 0x7a) || c === UNDERSCORE;
const isIdent = (c: number): boolean => isIdentStart(c) || isDigit(c);

/** `text` cut for a message. */
const cut = (text: string): string => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text);

/** The closer of each template opener: `{{` `}}`, `{%` `%}`, `{#` `#}`, `${` `}`, `%{` `}`, `<%` `%>`. */
function closerOf(text: string, at: number): string | undefined {
  const a = text.charCodeAt(at);
  const b = text.charCodeAt(at + 1);
  if (a === LBRACE) return b === LBRACE ? '}}' : b === PERCENT ? '%}' : b === HASH ? '#}' : undefined;
  if (a === DOLLAR || a === PERCENT) return b === LBRACE ? '}' : undefined;
  if (a === LT) return b === PERCENT ? '%>' : undefined;
  return undefined;
}

/**
 * True for a whole value that is a placeholder by its shape: `$VAR`, `<anything>` (with a
 * suffix, as in `<Machine 1 IP>/32`), or `UPPER_CASE` (see `upperPlaceholder`).
 */
export function shapedPlaceholder(value: string): boolean {
  return sigilPlaceholder(value) || upperPlaceholder(value);
}

/** `$VAR` or `<anything>`: no name, address, number or label value has these characters. */
export function sigilPlaceholder(value: string): boolean {
  const n = value.length;
  if (n < 2) return false;
  const first = value.charCodeAt(0);
  if (first === DOLLAR) {
    if (!isIdentStart(value.charCodeAt(1))) return false;
    for (let i = 2; i < n; i++) if (!isIdent(value.charCodeAt(i))) return false;
    return true;
  }
  return first === LT && n >= 3 && value.indexOf('>', 2) > 0; // `<Machine 1 IP>`, `<Machine 1 IP>/32`
}

/**
 * `UPPER_CASE` with at least one underscore (`CLUSTER_NAME`, `PEER_IP_2`): a single capitalised
 * word may be a real value, so it is not one. A real label value or argument may be written so
 * too (`RACK_A`, `TLS_AES_128_GCM_SHA256`): see `valueHits` for where it counts.
 */
export function upperPlaceholder(value: string, from = 0, to = value.length): boolean {
  if (to - from < 2 || !isUpper(value.charCodeAt(from))) return false;
  let underscore = false;
  for (let i = from + 1; i < to; i++) {
    const c = value.charCodeAt(i);
    if (c === UNDERSCORE) {
      if (value.charCodeAt(i - 1) === UNDERSCORE || i === to - 1) return false;
      underscore = true;
    } else if (!isUpper(c) && !isDigit(c)) return false;
  }
  return underscore;
}

/** True when some run of `[A-Z0-9_]` in `value` is an UPPER_CASE placeholder (`cluster-CLUSTER_NAME`). */
function holdsUpperPlaceholder(value: string): boolean {
  let start = -1;
  for (let i = 0; i <= value.length; i++) {
    const c = i < value.length ? value.charCodeAt(i) : -1;
    const inRun = isUpper(c) || isDigit(c) || c === UNDERSCORE;
    if (inRun && start < 0) start = i;
    else if (!inRun && start >= 0) {
      if (upperPlaceholder(value, start, i)) return true;
      start = -1;
    }
  }
  return false;
}

/** True when a string holds template syntax anywhere (`cluster-${var.name}`). */
export function holdsTemplateSyntax(value: string): boolean {
  for (let i = value.indexOf('{'); i >= 0; i = value.indexOf('{', i + 1)) {
    if (value.charCodeAt(i + 1) === LBRACE || value.charCodeAt(i + 1) === PERCENT || (i > 0 && (value.charCodeAt(i - 1) === DOLLAR || value.charCodeAt(i - 1) === PERCENT))) return true;
  }
  return value.includes('<%');
}

/**
 * One pass over a file's lines. Tracks, across lines, a block scalar (its content lines are
 * passed over), a quoted scalar that goes on past its line, an open shell heredoc, and a
 * column-0 `...` whose meaning depends on the next line.
 */
export function scanText(text: string): TextScan {
  const scan: TextScan = { syntax: new Sightings(), shaped: new Sightings(), elisions: new Sightings() };
  let lineNo = 0;
  let pos = 0;
  let block = -1; // indentation of the line that opened a block scalar; -1: outside one
  let quote = 0; // the quote of a quoted scalar still open from an earlier line; 0: none
  let heredoc: string | undefined; // the word that ends an open shell heredoc
  let dots = 0; // line of a column-0 `...` not yet known to be a document end
  while (pos <= text.length) {
    const nl = text.indexOf('\n', pos);
    let end = nl < 0 ? text.length : nl;
    const next = end + 1;
    if (end > pos && text.charCodeAt(end - 1) === CR) end--;
    lineNo++;
    let i = pos;
    while (i < end && text.charCodeAt(i) === SPACE) i++;
    const indent = i - pos;
    const blank = i === end || (text.charCodeAt(i) === TAB && text.slice(i, end).trim() === '');
    if (quote) {
      i = closeQuote(text, i, end, quote);
      if (i < 0) {
        pos = next;
        continue;
      }
      quote = 0;
    } else {
      if (block >= 0) {
        if (blank || indent > block) {
          pos = next;
          continue;
        }
        block = -1;
      }
      if (blank || text.charCodeAt(i) === HASH) {
        pos = next;
        continue;
      }
      if (dots) {
        // A `...` at column 0 ends its document when the next thing is a `---` (or nothing).
        if (!(indent === 0 && text.startsWith('---', i) && (i + 3 === end || isBlank(text.charCodeAt(i + 3))))) scan.elisions.add(dots);
        dots = 0;
      }
      const content = text.slice(i, end).trimEnd();
      if (heredoc !== undefined && content === heredoc) {
        scan.syntax.add({ line: lineNo, text: cut(content) });
        heredoc = undefined;
        pos = next;
        continue;
      }
      if (content === '...' || content === '\u2026' || content.startsWith('... #') || content.startsWith('\u2026 #')) {
        if (indent > 0 || content.charCodeAt(0) === 0x2026) scan.elisions.add(lineNo);
        else dots = lineNo;
        pos = next;
        continue;
      }
    }
    const line = scanLine(text, i, end, lineNo, scan);
    if (line.heredoc !== undefined) heredoc = line.heredoc;
    if (line.quote) quote = line.quote;
    else if (line.block) block = indent;
    pos = next;
  }
  // A column-0 `...` still pending when the file ends is a document end marker, as YAML reads it.
  return scan;
}

/** Where a quoted scalar opened before `from` closes on this line (the index after it), or -1. */
function closeQuote(text: string, from: number, end: number, q: number): number {
  for (let j = from; j < end; j++) {
    const c = text.charCodeAt(j);
    if (q === DQUOTE && c === BACKSLASH) j++;
    else if (c === q) {
      if (q === SQUOTE && text.charCodeAt(j + 1) === SQUOTE) j++;
      else return j + 1;
    }
  }
  return -1;
}

interface LineEnd {
  /** A quoted scalar left open at the line's end. */
  quote: number;
  /** The line opens a block scalar (`key: |`, `- >-`). */
  block: boolean;
  /** The line starts a shell heredoc ending at this word. */
  heredoc?: string;
}

/**
 * One line from `from` (its first non-space character) to `end`: template syntax and heredocs
 * into `syntax`, a placeholder-shaped plain value into `shaped`.
 */
function scanLine(text: string, from: number, end: number, lineNo: number, scan: TextScan): LineEnd {
  let tokenStart = true; // where a quoted scalar may start: line start, after `- `, `: `, `[`, `{`, `,`
  let valueStart = from; // where the line's value starts (after its key's `: `, or its dashes)
  let plainValue = true; // the value is a plain scalar (not quoted, not flow)
  let commentAt = end;
  let heredoc: string | undefined;
  for (let j = from; j < end; j++) {
    const c = text.charCodeAt(j);
    if ((c === DQUOTE || c === SQUOTE) && tokenStart) {
      if (j === valueStart) plainValue = false;
      const closed = closeQuote(text, j + 1, end, c);
      if (closed < 0) return { quote: c, block: false };
      j = closed - 1;
      tokenStart = false;
      continue;
    }
    if (c === HASH && (j === from || isBlank(text.charCodeAt(j - 1)))) {
      commentAt = j;
      break;
    }
    const closer = closerOf(text, j);
    if (closer) {
      const close = indexWithin(text, closer, j + 2, end);
      const stop = close >= 0 ? close + closer.length : end;
      scan.syntax.add({ line: lineNo, text: cut(text.slice(j, stop)) });
      j = stop - 1;
      tokenStart = false;
      continue;
    }
    if (c === LT && text.charCodeAt(j + 1) === LT && heredoc === undefined) {
      const word = heredocWord(text, j + 2, end);
      if (word) {
        heredoc = word;
        scan.syntax.add({ line: lineNo, text: cut(text.slice(from, end).trimEnd()) });
        return { quote: 0, block: false, heredoc };
      }
    }
    if (c === DOLLAR && isIdentStart(text.charCodeAt(j + 1))) {
      let k = j + 2;
      while (k < end && isIdent(text.charCodeAt(k))) k++;
      scan.shaped.add({ line: lineNo, text: text.slice(j, k) });
      j = k - 1;
      tokenStart = false;
      continue;
    }
    if (c === COLON && (j + 1 === end || isBlank(text.charCodeAt(j + 1)))) {
      let k = j + 1;
      while (k < end && isBlank(text.charCodeAt(k))) k++;
      valueStart = k;
      plainValue = true;
      tokenStart = true;
      j = k - 1;
      continue;
    }
    if (c === DASH && tokenStart && (j + 1 === end || isBlank(text.charCodeAt(j + 1)))) {
      let k = j + 1;
      while (k < end && isBlank(text.charCodeAt(k))) k++;
      valueStart = k;
      j = k - 1;
      continue;
    }
    if (c === LBRACKET || c === LBRACE || c === COMMA) {
      if (j === valueStart) plainValue = false;
      tokenStart = true;
      continue;
    }
    if (!isBlank(c)) tokenStart = false;
  }
  const value = text.slice(valueStart, commentAt).trimEnd();
  if (isBlockIndicator(value)) return { quote: 0, block: true };
  // `$VAR` was seen above, wherever it stands; `<…>` and UPPER_CASE only as a whole plain value.
  if (plainValue && value.length > 0 && value.charCodeAt(0) !== DOLLAR && shapedPlaceholder(value)) scan.shaped.add({ line: lineNo, text: cut(value) });
  return { quote: 0, block: false };
}

/**
 * Where `needle` (one or two characters) first stands in `text` between `from` and `end`, or -1.
 * Bounded by the line: `indexOf` would search the rest of the file for every opener.
 */
function indexWithin(text: string, needle: string, from: number, end: number): number {
  const a = needle.charCodeAt(0);
  const b = needle.length > 1 ? needle.charCodeAt(1) : -1;
  for (let k = from; k < end; k++) {
    if (text.charCodeAt(k) !== a) continue;
    if (b < 0) return k;
    if (k + 1 < end && text.charCodeAt(k + 1) === b) return k;
  }
  return -1;
}

/** `|`, `>`, with chomping and indentation indicators (`|-`, `>+`, `|2-`): a block scalar's header. */
function isBlockIndicator(value: string): boolean {
  const c = value.charCodeAt(0);
  if (c !== 0x7c && c !== GT) return false;
  for (let i = 1; i < value.length; i++) {
    const d = value.charCodeAt(i);
    if (d !== DASH && d !== 0x2b && !isDigit(d)) return false;
  }
  return value.length <= 3;
}

/** The word after `<<` of a heredoc (`<<EOF`, `<<-EOF`, `<< 'EOF'`, `<<"EOF"`), or undefined. */
function heredocWord(text: string, from: number, end: number): string | undefined {
  let i = from;
  if (text.charCodeAt(i) === DASH) i++;
  while (i < end && isBlank(text.charCodeAt(i))) i++;
  const q = text.charCodeAt(i);
  if (q === DQUOTE || q === SQUOTE) i++;
  const start = i;
  while (i < end && isIdent(text.charCodeAt(i))) i++;
  if (i === start || !isIdentStart(text.charCodeAt(start))) return undefined;
  if ((q === DQUOTE || q === SQUOTE) && text.charCodeAt(i) !== q) return undefined;
  return text.slice(start, i);
}

/** A placeholder (or elision) found in an object's value, by field path. */
export interface ValueHit {
  /** The field's path, worked out when asked (only for what a message shows). */
  readonly path: () => PathSegment[];
  readonly text: string;
  readonly elision: boolean;
}

/**
 * Whether an object's text may hold a placeholder at all: one cheap pass that spares the walk on
 * the almost every object that holds none of `$ { < %`, `...`, `…` or an `X_` pair.
 */
export function mayHoldPlaceholders(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === DOLLAR || c === LT || c === PERCENT || c === 0x2026) return true;
    if (c === LBRACE && text.charCodeAt(i + 1) !== RBRACE) return true;
    if (c === 0x2e && text.charCodeAt(i + 1) === 0x2e && text.charCodeAt(i + 2) === 0x2e) return true;
    if (c === UNDERSCORE && i > 0 && isUpper(text.charCodeAt(i - 1))) return true;
  }
  return false;
}

/** Maps of label values and selectors: free strings (`rack: RACK_A`), where UPPER_CASE is a real value. */
const LABEL_MAPS = new Set(['labels', 'matchLabels', 'peerSelector', 'nodeSelector', 'selector']);

/**
 * Placeholders in the value of an object flatnet reads field by field (GDC's kinds, its own),
 * where no real value has their shape: a string with template syntax, a whole `$VAR` or `<…>`
 * value, a `{{ x }}` that YAML read as a flow mapping, `...` standing for omitted values; and
 * an `UPPER_CASE` value where only names, addresses and numbers stand — `metadata.name` and
 * `metadata.namespace` (also within them: `cluster-CLUSTER_NAME`), and the `typedFields` the
 * caller names (`peerIP`, `localASN`…), never in label maps. Annotations are free text and are
 * passed over. Depth-first, in document order.
 */
export function valueHits(plain: JsonObject, onHit: (hit: ValueHit) => void, typedFields: ReadonlySet<string> = new Set()): void {
  // Each entry links to its parent, so a path is built only for a hit, never copied per value.
  interface At {
    readonly parent: At | undefined;
    readonly key: PathSegment | undefined;
    /** The nearest key above (a list entry's is its list's). */
    readonly field: string | undefined;
    /** Inside a label map or selector. */
    readonly labels: boolean;
  }
  const pathOf = (at: At | undefined, last?: PathSegment): PathSegment[] => {
    const out: PathSegment[] = last === undefined ? [] : [last];
    for (let a = at; a && a.key !== undefined; a = a.parent) out.push(a.key);
    return out.reverse();
  };
  const root: At = { parent: undefined, key: undefined, field: undefined, labels: false };
  const child = (at: At, key: PathSegment): At => ({ parent: at, key, field: typeof key === 'string' ? key : at.field, labels: at.labels || (typeof key === 'string' && LABEL_MAPS.has(key)) });
  const isMetadataName = (at: At): boolean => (at.key === 'name' || at.key === 'namespace') && at.parent?.key === 'metadata' && at.parent.parent === root;
  const stack: Array<[unknown, At]> = [[plain, root]];
  while (stack.length > 0) {
    const [value, at] = stack.pop()!;
    if (typeof value === 'string') {
      if (value === '...' || value === '\u2026') onHit({ path: () => pathOf(at), text: value, elision: true });
      else if (
        holdsTemplateSyntax(value) ||
        sigilPlaceholder(value) ||
        (isMetadataName(at) && holdsUpperPlaceholder(value)) ||
        (!at.labels && at.field !== undefined && typedFields.has(at.field) && (at.field === 'clusterName' ? holdsUpperPlaceholder(value) : upperPlaceholder(value)))
      ) {
        onHit({ path: () => pathOf(at), text: cut(value), elision: false });
      }
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (at.key === 'annotations' && at.parent?.key === 'metadata' && at.parent.parent === root) continue;
    const children: Array<[unknown, At]> = [];
    if (Array.isArray(value)) value.forEach((v, i) => children.push([v, child(at, i)]));
    else {
      for (const [k, v] of Object.entries(value as JsonObject)) {
        // `{{ .Values.x }}` in a plain scalar is a flow mapping holding a flow mapping: its key
        // comes out as the text `{ .Values.x }`, with no value.
        if (v === null && k.startsWith('{') && k.endsWith('}')) onHit({ path: () => pathOf(at), text: cut(`{${k}}`), elision: false });
        else if (holdsTemplateSyntax(k) || (k.charCodeAt(0) === DOLLAR && sigilPlaceholder(k))) onHit({ path: () => pathOf(at, k), text: cut(k), elision: false });
        children.push([v, child(at, k)]);
      }
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
}

/** `a`, `a and b`, `a, b and c` — and `and N more` past what is shown. */
export function listed(items: readonly string[], total: number): string {
  const more = total - items.length;
  const all = more > 0 ? [...items, `${more} more`] : [...items];
  if (all.length <= 1) return all.join('');
  return `${all.slice(0, -1).join(', ')} and ${all[all.length - 1]}`;
}
