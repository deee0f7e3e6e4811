/**
 * Cutting texts for the fast read path: a file into its documents, a ResourceList into its
 * `items` entries, by lines. Each piece is then read by the block-YAML reader (block-yaml.ts) when
 * it is in its subset, else by the `yaml` package; a `yaml` Document is built later only for items
 * that are edited, re-rendered or located (see KubeObject.fromText).
 */

export interface TextChunk {
  offset: number;
  text: string;
}

/**
 * A multi-document file cut at its `---` lines (at column 0 a `---` is always a document marker,
 * even inside a scalar). Text before the first marker that holds only blank lines, comments and
 * directives (`%YAML 1.2`, `%TAG …`) joins the first document, as the CST path does (a directive
 * belongs to the document its `---` starts), so that the chunks joined are the file byte for byte.
 */
export function splitDocuments(source: string): TextChunk[] {
  const marks: number[] = [];
  const re = /^---(?=[ \t\r\n]|$)/gm;
  for (let m = re.exec(source); m; m = re.exec(source)) marks.push(m.index);
  const cuts = marks.filter((m) => m > 0);
  const starts = [0, ...cuts];
  const chunks = starts.map((start, i) => ({ offset: start, text: source.slice(start, starts[i + 1] ?? source.length) }));
  if (chunks.length > 1 && !chunks[0]!.text.startsWith('---') && onlyPreamble(chunks[0]!.text)) {
    const [head, next] = chunks;
    chunks.splice(0, 2, { offset: 0, text: head!.text + next!.text });
  }
  return chunks;
}

/**
 * How many documents of a stream the `yaml` package gives contents (a document that a `---` starts
 * has some, a null scalar when nothing follows; one that only blank lines, comments, directives
 * and `...` make up has none), found without parsing. Linear: a ResourceList reader refuses a
 * stream of 125,000 documents with it before any parse.
 */
export function documentsWithContent(source: string): number {
  let n = 0;
  let open = false; // the current document is counted
  let pos = 0;
  while (pos < source.length) {
    const nl = source.indexOf('\n', pos);
    const end = nl < 0 ? source.length : nl;
    let i = pos;
    const c = source.charCodeAt(pos + 3);
    const marker = (source.startsWith('---', pos) || source.startsWith('...', pos)) && (pos + 3 >= end || c === 0x20 || c === 0x09 || c === 0x0d);
    if (marker && source.charCodeAt(pos) === 0x2d /* --- starts one */) {
      n++;
      open = true;
    } else {
      if (marker) {
        open = false; // `...` ends one
        i = pos + 3;
      }
      while (i < end && isSpace(source.charCodeAt(i))) i++;
      const content = i < end && source.charCodeAt(i) !== 0x23 /* # */ && !(i === pos && !open && source.charCodeAt(i) === 0x25) /* a directive */;
      if (content && !open) {
        n++;
        open = true;
      }
    }
    pos = end + 1;
  }
  return n;
}

/**
 * True when every line is blank, a comment, or a directive (`%` at column 0). Line by line with
 * `indexOf`: linear whatever the text (a regular expression with nested quantifiers here once
 * took minutes on a licence header).
 */
export function onlyPreamble(text: string): boolean {
  let pos = 0;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl;
    let i = pos;
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    if (i < end && text.charCodeAt(i) !== 0x23 /* # */ && !(i === pos && text.charCodeAt(i) === 0x25) /* % */) return false;
    pos = end + 1;
  }
  return true;
}

/**
 * True when the first line that is neither blank nor a comment starts with a `---` marker (at
 * column 0). Line by line: the expression this replaces, `/^(?:\s*#[^\n]*\n|\s*\n)*---/`, doubled
 * its time with every blank line (32 blank lines before a document took 30 s to write back).
 */
export function startsWithMarker(text: string): boolean {
  let pos = 0;
  while (pos < text.length) {
    if (text.startsWith('---', pos)) return true;
    const nl = text.indexOf('\n', pos);
    if (nl < 0) return false; // a last line without its newline is never passed over
    let i = pos;
    while (i < nl && isSpace(text.charCodeAt(i))) i++;
    if (i < nl && text.charCodeAt(i) !== 0x23 /* # */) return false;
    pos = nl + 1;
  }
  return false;
}

/**
 * True when `text.slice(from, to)` holds a block scalar header that keeps its trailing blank
 * lines: `|+` or `>+` (with an indentation digit either side), after a space, `:` or `-`, and
 * followed only by spaces and a comment. One pass over the characters; the expression it
 * replaces, `/^[^\n]*[\s:-][|>](?:[1-9]?\+|\+[1-9])[ \t]*(?:#[^\n]*)?$/m`, restarted at every
 * carriage return (100,000 of them took 9 s).
 */
export function hasKeepIndicator(text: string, from: number, to: number): boolean {
  for (let p = from + 1; p < to; p++) {
    const c = text.charCodeAt(p);
    if (c !== 0x7c /* | */ && c !== 0x3e /* > */) continue;
    const before = text.charCodeAt(p - 1);
    if (!(before === 0x0a || before === 0x3a /* : */ || before === 0x2d /* - */ || isSpace(before))) continue;
    let i = p + 1;
    const digit = (at: number): boolean => at < to && text.charCodeAt(at) >= 0x31 && text.charCodeAt(at) <= 0x39;
    if (digit(i) && text.charCodeAt(i + 1) === 0x2b /* + */ && i + 1 < to) i += 2;
    else if (i < to && text.charCodeAt(i) === 0x2b) i += digit(i + 1) ? 2 : 1;
    else continue;
    while (i < to && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09)) i++;
    const next = text.charCodeAt(i);
    if (i >= to || next === 0x23 || next === 0x0a || next === 0x0d || next === 0x2028 || next === 0x2029) return true;
  }
  return false;
}

// What `\s` matched in the expressions these replace, but the line feed.
const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0b || c === 0x0c || c === 0xa0 || c === 0xfeff || c === 0x2028 || c === 0x2029 || (c >= 0x2000 && c <= 0x200a) || c === 0x1680 || c === 0x202f || c === 0x205f || c === 0x3000;

export interface ListScan {
  /** Column of the entries' dashes. */
  seqIndent: number;
  /** Each entry's exact text (comments before the first entry join it). */
  entries: string[];
  /** 1-based line of each entry's first line. */
  lines: number[];
  /** The input without the entries (`items:` kept), for the small rest to be parsed. */
  rest: string;
}

/**
 * Finds the block list under a top-level `items:` key and cuts it into entries at the lines whose
 * dash stands at the list's column. Returns undefined for anything but that plain layout.
 */
export function scanItems(text: string): ListScan | undefined {
  const key = /^items:[ \t]*(#[^\n]*)?\n/m.exec(text);
  if (!key) return undefined;
  const blockStart = key.index + key[0].length;
  let pos = blockStart;
  let seqIndent = -1;
  const entryStarts: number[] = [];
  let end = text.length;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const lineEnd = nl < 0 ? text.length : nl + 1;
    const line = text.slice(pos, nl < 0 ? text.length : nl);
    const indent = line.length - line.trimStart().length;
    const body = line.slice(indent);
    if (body === '' || body.startsWith('#')) {
      pos = lineEnd;
      continue;
    }
    const dash = body === '-' || body.startsWith('- ');
    if (seqIndent < 0) {
      if (!dash) return undefined;
      seqIndent = indent;
    }
    if (dash && indent === seqIndent) entryStarts.push(pos);
    else if (indent <= seqIndent && !(indent === seqIndent && !dash && seqIndent > 0)) {
      if (indent === 0) {
        end = pos;
        break;
      }
      return undefined; // something at the list's level that is not an entry
    }
    pos = lineEnd;
  }
  if (entryStarts.length === 0) return undefined;
  // Blank lines and column-0 comments after the last entry belong to what follows the list.
  let cut = end;
  const last = entryStarts[entryStarts.length - 1]!;
  while (cut > last) {
    const lineStart = text.lastIndexOf('\n', cut - 2) + 1;
    if (lineStart <= last) break;
    const line = text.slice(lineStart, cut);
    if (line.trim() !== '' && !line.startsWith('#')) break;
    cut = lineStart;
  }
  // ...unless the entry ends in a block scalar that keeps its trailing blank lines (`|+`, `>+`):
  // those lines are its value. The CST path knows where such a scalar ends.
  if (cut < end && hasKeepIndicator(text, last, cut)) return undefined;
  const entries: string[] = [];
  const lines: number[] = [];
  let lineNo = text.slice(0, blockStart).split('\n').length;
  for (let i = 0; i < entryStarts.length; i++) {
    const from = i === 0 ? blockStart : entryStarts[i]!;
    const to = i + 1 < entryStarts.length ? entryStarts[i + 1]! : cut;
    const entry = text.slice(from, to);
    entries.push(entry.endsWith('\n') ? entry : `${entry}\n`);
    lines.push(lineNo);
    lineNo += entry.split('\n').length - 1;
  }
  return { seqIndent, entries, lines, rest: text.slice(0, blockStart) + text.slice(cut) };
}
