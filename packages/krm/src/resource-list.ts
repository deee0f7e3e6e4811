/**
 * Reading and writing `config.kubernetes.io/v1` ResourceLists.
 *
 * Block-style input (what kpt sends) takes the fast path: the CST gives each list entry's exact
 * source span, each entry is parsed on its own, and an entry that no function edits is written
 * back as the very same text. Anything else (JSON, flow style, odd layouts) takes the full path:
 * one `yaml` Document, items re-rendered on output. Either path reports bad input as a
 * `KrmInputError` naming the item and line.
 */
import { CST, Document, isMap, isSeq, Parser, type YAMLMap, type YAMLSeq } from 'yaml';
import { KrmInputError } from './errors';
import { readBlockYaml } from './block-yaml';
import { documentsWithContent, scanItems } from './fast';
import { DOC_OPTIONS, KubeObject, indentAsListEntry, renderOptions, type JsonObject } from './kube-object';
import { parseAllYaml, parseYaml } from './parse';
import { orderedResult, type Result } from './result';

export const RESOURCE_LIST_API_VERSION = 'config.kubernetes.io/v1';
const ACCEPTED_API_VERSIONS = new Set(['config.kubernetes.io/v1', 'config.kubernetes.io/v1alpha1', 'config.kubernetes.io/v1beta1']);

/** Bounds that keep hostile input from costing unbounded time or memory (see docs/reliability). */
export const LIMITS = {
  /** Alias expansions per item, as the `yaml` package counts them (a "billion laughs" guard). */
  maxAliasCount: 100,
  /**
   * How deeply an item may nest maps and lists. Kubernetes objects stay far below (a CRD's schema
   * is a few dozen levels); thousands of levels would overflow the stack of any code walking it.
   */
  maxDepth: 200,
  /**
   * The largest input (a ResourceList on stdin, or one file) flatnet reads: time and memory grow
   * linearly with the input, and this bounds both (a 10,000-cluster fleet is about 40 MiB).
   */
  maxInputBytes: 256 * 1024 * 1024,
  /** The largest single document or item. Kubernetes stores objects of at most about 1.5 MiB. */
  maxDocumentBytes: 16 * 1024 * 1024,
} as const;

const mib = (n: number): string => `${(n / 1024 / 1024).toFixed(n < 1024 * 1024 ? 2 : 0)} MiB`;

/** Refuses input larger than LIMITS.maxInputBytes, naming it (`what`: "input", a file's path). */
export function checkInputSize(length: number, what: string): void {
  if (length > LIMITS.maxInputBytes) throw new KrmInputError('too-large', `${what} is ${mib(length)}: flatnet reads at most ${mib(LIMITS.maxInputBytes)} at once; split it`);
}

/** One decoder for every file: `decode` without `stream` keeps no state between calls. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Text of stdin or a file (`what`: "input", or its path), strictly: over the size limit or invalid
 * UTF-8 is an input error, not mojibake passed along.
 */
export function decodeText(bytes: Uint8Array, what: string, size = bytes.length): string {
  checkInputSize(size, what);
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    throw new KrmInputError('yaml', `${what} is not valid UTF-8`);
  }
  checkPrintable(text, what);
  return text;
}

// YAML streams hold printable characters only (YAML 1.2 §5.1; go-yaml, which kubectl, Argo CD and
// Config Sync use, refuses the rest): no C0 control but tab, LF and CR, no DEL, no C1 but NEL.
// One character class, no quantifier: a linear scan.
const NOT_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F]/;

/** Refuses text holding a character YAML does not allow, naming the line and the character. */
export function checkPrintable(text: string, what: string): void {
  const at = text.search(NOT_PRINTABLE);
  if (at < 0) return;
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++;
  const code = text.charCodeAt(at).toString(16).toUpperCase().padStart(4, '0');
  throw new KrmInputError('yaml', `${what}:${line}: holds the control character U+${code}, which YAML does not allow (kubectl and Argo CD refuse it): remove it, or write it as an escape ("\\u${code}") in a double-quoted string`);
}

/** Refuses a document or item larger than LIMITS.maxDocumentBytes. */
export function checkDocumentSize(length: number, what: string): void {
  if (length > LIMITS.maxDocumentBytes) {
    throw new KrmInputError('too-large', `${what} is ${mib(length)}: flatnet reads documents of at most ${mib(LIMITS.maxDocumentBytes)} (Kubernetes stores objects of at most about 1.5 MiB)`);
  }
}

export { KrmInputError, type InputErrorCode } from './errors';

export interface ResourceList {
  items: KubeObject[];
  functionConfig?: KubeObject | undefined;
  results: Result[];
}

/** How the input was laid out, so output can match it. */
export interface Layout {
  /** Column of the `-` of `items` entries (0 for kpt's compact style). */
  seqIndent: number;
  /** The `functionConfig:` key and value exactly as they came, when they came in block style. */
  functionConfigText?: string;
}

export interface ParsedResourceList {
  list: ResourceList;
  layout: Layout;
}

type Token = CST.Token;
type SourceToken = CST.SourceToken;

export function parseResourceList(input: string): ParsedResourceList {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  if (text.trim() === '') throw new KrmInputError('empty', 'input is empty: expected a ResourceList on stdin');
  checkInputSize(text.length, 'input');
  // A stream of documents is refused before any parse: counting them is linear, parsing them all
  // (the full path does, to count them) took 18 s for 125,000.
  if (text.indexOf('\n---') >= 0) {
    const documents = documentsWithContent(text);
    if (documents > 1) throw tooManyDocuments(documents);
  }
  try {
    return quickParse(text) ?? fastParse(text) ?? fullParse(text);
  } catch (e) {
    throw asInputError(e);
  }
}

/**
 * Whatever a parser throws while reading is the input's doing: an input error, worded (stack
 * overflows come from pathological nesting; the rest from text the parsers' internals reject).
 */
export function asInputError(e: unknown): unknown {
  if (e instanceof KrmInputError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new KrmInputError('yaml', `input is not readable YAML: ${nestingWords(message.split('\n')[0]!)}`);
}

// ---------------------------------------------------------------------------------------------
// Quickest path: the `items` list cut by lines, each entry read with js-yaml; only the small rest
// of the input (header, functionConfig) goes through `yaml`. Gives up (undefined) on anything
// unusual, and the CST path below takes over.

function quickParse(text: string): ParsedResourceList | undefined {
  const scan = scanItems(text);
  if (!scan) return undefined;
  // The rest (header, functionConfig) by the block reader when it has no functionConfig: the
  // `yaml` package is then not needed at all, which is most of a small input's cold start.
  const plainRest = readBlockYaml(scan.rest)?.value as JsonObject | undefined;
  const bare = plainRest !== undefined && typeof plainRest === 'object' && plainRest !== null && !Array.isArray(plainRest) && (plainRest.functionConfig ?? null) === null;
  const rest = bare ? undefined : parseYaml(scan.rest);
  if (rest && (rest.errors.length || !isMap(rest.contents))) return undefined;
  const root = rest?.contents as YAMLMap | undefined;
  const apiVersion = root ? plainScalar(root.get('apiVersion', true)) : plainRest?.apiVersion;
  const kind = root ? plainScalar(root.get('kind', true)) : plainRest?.kind;
  if (kind !== 'ResourceList' || typeof apiVersion !== 'string' || !ACCEPTED_API_VERSIONS.has(apiVersion)) return undefined;
  const items: KubeObject[] = [];
  for (let i = 0; i < scan.entries.length; i++) {
    const entry = scan.entries[i]!;
    checkDocumentSize(entry.length, `item ${i + 1} (line ${scan.lines[i]})`);
    const fast = readBlockYaml(entry);
    const value = fast?.value;
    if (!fast || !Array.isArray(value) || value.length !== 1 || typeof value[0] !== 'object' || value[0] === null || Array.isArray(value[0])) {
      items.push(itemFromSource(entry, i, scan.lines[i]!)); // the full path for this one: it also words the error
      continue;
    }
    const plain = value[0] as JsonObject;
    checkKrmObject(plain, i, scan.lines[i]!, fast.bounded);
    items.push(KubeObject.fromText(entry, 'entry', plain, entry));
  }
  let functionConfig: KubeObject | undefined;
  let functionConfigText: string | undefined;
  const pair = root?.items.find((p) => isScalarNode(p.key) && p.key.value === 'functionConfig');
  if (pair && pair.value !== null && pair.value !== undefined) {
    const keyRange = (pair.key as { range?: [number, number, number] }).range;
    const valueRange = (pair.value as { range?: [number, number, number] }).range;
    if (!keyRange || !valueRange) return undefined;
    const start = lineStart(scan.rest, keyRange[0]);
    functionConfigText = scan.rest.slice(start, valueRange[2]);
    if (!functionConfigText.endsWith('\n')) functionConfigText += '\n';
    functionConfig = functionConfigFromSource(functionConfigText, lineOf(scan.rest, start));
  }
  const layout: Layout = { seqIndent: scan.seqIndent };
  if (functionConfigText !== undefined && functionConfig) layout.functionConfigText = functionConfigText;
  return { list: { items, functionConfig, results: [] }, layout };
}

// ---------------------------------------------------------------------------------------------
// Fast path

function fastParse(text: string): ParsedResourceList | undefined {
  const tokens = Array.from(new Parser().parse(text));
  const docs = tokens.filter((t) => t.type === 'document') as CST.Document[];
  if (docs.length !== 1 || tokens.some((t) => t.type === 'error')) return undefined;
  const doc = docs[0]!;
  if (hasError(doc.start) || (doc.end && hasError(doc.end))) return undefined;
  const root = doc.value;
  if (!root || root.type !== 'block-map') return undefined;

  let apiVersion: unknown;
  let kind: unknown;
  let itemsToken: Token | undefined;
  let fnConfig: { keyStart: number; value: Token } | undefined;
  for (const pair of root.items) {
    if (hasError(pair.start) || (pair.sep && hasError(pair.sep))) return undefined;
    if (!pair.key || !isScalarToken(pair.key)) return undefined;
    const key = CST.resolveAsScalar(pair.key)?.value;
    if (key === 'apiVersion') apiVersion = scalarValue(pair.value);
    else if (key === 'kind') kind = scalarValue(pair.value);
    else if (key === 'items') {
      itemsToken = pair.value;
    } else if (key === 'functionConfig' && pair.value) {
      fnConfig = { keyStart: lineStart(text, pair.key.offset), value: pair.value };
    }
  }
  // The fast path only accepts; anything it would reject, the full path judges and explains.
  if (kind !== 'ResourceList' || typeof apiVersion !== 'string' || !ACCEPTED_API_VERSIONS.has(apiVersion)) return undefined;
  if (itemsToken === undefined) return undefined;

  const items: KubeObject[] = [];
  let seqIndent = 0;
  if (itemsToken.type === 'block-seq') {
    let prevEnd = -1;
    let line = 0; // counted along the entries: lineOf() per entry would be quadratic
    for (let i = 0; i < itemsToken.items.length; i++) {
      const entry = itemsToken.items[i]!;
      const dash = entry.start.find((t) => t.type === 'seq-item-ind');
      if (!dash || !entry.value || hasError(entry.start)) return undefined;
      const first = entry.start[0]!;
      const start = lineStart(text, first.offset);
      const end = entry.value.offset + CST.stringify(entry.value).length;
      // Entries must tile the text: anything between them we would not copy, so do not guess.
      if (prevEnd >= 0 && start !== prevEnd) return undefined;
      prevEnd = end;
      if (i === 0) seqIndent = dash.offset - lineStart(text, dash.offset);
      let source = text.slice(start, end);
      line = line === 0 ? lineOf(text, start) : line;
      const itemLine = line;
      line += countLines(source);
      if (!source.endsWith('\n')) source += '\n';
      checkDocumentSize(source.length, `item ${i + 1} (line ${itemLine})`);
      items.push(itemFromSource(source, i, itemLine));
    }
  } else if (itemsToken.type === 'flow-collection' && itemsToken.items.length === 0 && itemsToken.start.source === '[') {
    // `items: []`
  } else if (isScalarToken(itemsToken) && ['', '~', 'null'].includes(String(scalarValue(itemsToken) ?? ''))) {
    // `items: null`: an empty list, as kpt's Go SDK reads it.
  } else {
    return undefined;
  }

  let functionConfig: KubeObject | undefined;
  let functionConfigText: string | undefined;
  if (fnConfig) {
    const end = fnConfig.value.offset + CST.stringify(fnConfig.value).length;
    functionConfigText = text.slice(fnConfig.keyStart, end);
    if (!functionConfigText.endsWith('\n')) functionConfigText += '\n';
    functionConfig = functionConfigFromSource(functionConfigText, lineOf(text, fnConfig.keyStart));
  }
  const layout: Layout = { seqIndent };
  if (functionConfigText !== undefined && functionConfig) layout.functionConfigText = functionConfigText;
  return { list: { items, functionConfig, results: [] }, layout };
}

function itemFromSource(source: string, index: number, line: number): KubeObject {
  const doc = parseYaml(source);
  throwOnYamlErrors(doc, source, `item ${index + 1}`, line);
  const seq = doc.contents;
  if (!isSeq(seq) || seq.items.length !== 1) throw notKrm(index, line, 'it is not a mapping');
  const node = seq.items[0];
  if (!isMap(node)) throw notKrm(index, line, 'it is not a mapping');
  const plain = toPlain(doc, node, `item ${index + 1}`, line);
  checkKrmObject(plain, index, line);
  return KubeObject.fromParsed(doc, node, plain, source);
}

function functionConfigFromSource(source: string, line: number): KubeObject | undefined {
  const doc = parseYaml(source);
  throwOnYamlErrors(doc, source, '`functionConfig`', line);
  const node = isMap(doc.contents) ? doc.contents.get('functionConfig', true) : undefined;
  if (node === undefined || node === null) return undefined;
  if (!isMap(node)) throw new KrmInputError('not-resource-list', `\`functionConfig\` at line ${line} must be a mapping (a KRM object)`);
  const plain = toPlain(doc, node, '`functionConfig`', line);
  return KubeObject.fromParsed(doc, node, plain, undefined);
}

// ---------------------------------------------------------------------------------------------
// Full path

function fullParse(text: string): ParsedResourceList {
  const docs = parseAllYaml(text);
  const list = Array.isArray(docs) ? docs : [docs];
  const nonEmpty = list.filter((d) => d.contents !== null || d.errors.length > 0);
  for (const d of nonEmpty) throwOnYamlErrors(d, text, 'input', 1);
  if (nonEmpty.length !== 1) throw tooManyDocuments(nonEmpty.length);
  const doc = nonEmpty[0]!;
  const root = doc.contents;
  if (!isMap(root)) throw new KrmInputError('not-resource-list', 'input is not a ResourceList: it is not a mapping');
  checkHeader(plainScalar(root.get('apiVersion')), plainScalar(root.get('kind')));
  const itemsNode = root.get('items', true);
  if (!root.has('items')) throw new KrmInputError('not-resource-list', 'input is not a ResourceList: it has no `items`');
  const items: KubeObject[] = [];
  if (itemsNode !== null && itemsNode !== undefined && !(isScalarNode(itemsNode) && itemsNode.value === null)) {
    if (!isSeq(itemsNode)) throw new KrmInputError('not-resource-list', 'input is not a ResourceList: `items` must be a list');
    const lineAt = lineCursor(text); // nodeLine() per item would be quadratic (10,000 JSON items: 10 s)
    (itemsNode as YAMLSeq).items.forEach((node, i) => {
      const range = (node as { range?: [number, number, number] } | null)?.range;
      const line = range ? lineAt(range[0]) : 1;
      if (range) checkDocumentSize(range[1] - range[0], `item ${i + 1} (line ${line})`);
      if (!isMap(node)) throw notKrm(i, line, 'it is not a mapping');
      const plain = toPlain(doc, node, `item ${i + 1}`, line);
      checkKrmObject(plain, i, line);
      if (node.flow) {
        // JSON or flow-style input: write it out in block style, as kpt does.
        const fresh = new Document(plain, DOC_OPTIONS);
        items.push(KubeObject.fromParsed(fresh, fresh.contents as YAMLMap, plain, undefined));
      } else {
        items.push(KubeObject.fromParsed(doc, node, plain, undefined));
      }
    });
  }
  let functionConfig: KubeObject | undefined;
  const fc = root.get('functionConfig', true);
  if (fc !== undefined && fc !== null && !(isScalarNode(fc) && fc.value === null)) {
    if (!isMap(fc)) throw new KrmInputError('not-resource-list', '`functionConfig` must be a mapping (a KRM object)');
    functionConfig = KubeObject.fromParsed(doc, fc, toPlain(doc, fc, '`functionConfig`', nodeLine(text, fc)), undefined);
  }
  return { list: { items, functionConfig, results: [] }, layout: { seqIndent: 0 } };
}

// ---------------------------------------------------------------------------------------------
// Writing

export function serializeResourceList(list: ResourceList, layout: Layout = { seqIndent: 0 }): string {
  let out = `apiVersion: ${RESOURCE_LIST_API_VERSION}\nkind: ResourceList\n`;
  if (list.items.length === 0) out += 'items: []\n';
  else {
    out += 'items:\n';
    for (const item of list.items) out += item.render(layout.seqIndent);
  }
  if (list.functionConfig) {
    if (layout.functionConfigText !== undefined && !list.functionConfig.modified) out += layout.functionConfigText;
    else out += 'functionConfig:\n' + indentBlock(list.functionConfig.render(0).replace(/^- /, '  '), 0);
  }
  if (list.results.length > 0) {
    const doc = new Document(list.results.map(orderedResult), { ...DOC_OPTIONS, aliasDuplicateObjects: false });
    out += 'results:\n' + doc.toString(renderOptions());
  }
  return out;
}

function indentBlock(text: string, extra: number): string {
  if (extra === 0) return text;
  const pad = ' '.repeat(extra);
  return text
    .split('\n')
    .map((l) => (l === '' ? l : pad + l))
    .join('\n');
}

// ---------------------------------------------------------------------------------------------
// Helpers

function checkHeader(apiVersion: unknown, kind: unknown): void {
  if (kind !== 'ResourceList') {
    const what = typeof kind === 'string' && kind ? `a ${kind}` : 'an object without `kind: ResourceList`';
    throw new KrmInputError('not-resource-list', `input is not a ResourceList: it is ${what}`);
  }
  if (typeof apiVersion !== 'string' || !ACCEPTED_API_VERSIONS.has(apiVersion)) {
    throw new KrmInputError(
      'not-resource-list',
      `ResourceList \`apiVersion\` ${JSON.stringify(apiVersion ?? null)} must be "${RESOURCE_LIST_API_VERSION}"`,
    );
  }
}

function checkKrmObject(plain: JsonObject, index: number, line: number, bounded = false): void {
  const why = krmObjectProblem(plain, bounded);
  if (why) throw notKrm(index, line, why);
}

/** Why a parsed value is not a KRM object, or undefined when it is one (`bounded`: its depth is known to be fine). */
export function krmObjectProblem(plain: JsonObject, bounded = false): string | undefined {
  if (!bounded && nestedDeeperThan(plain, LIMITS.maxDepth)) return `it nests maps and lists more than ${LIMITS.maxDepth} levels deep`;
  if (typeof plain.apiVersion !== 'string' || plain.apiVersion === '') return 'it has no `apiVersion`';
  if (typeof plain.kind !== 'string' || plain.kind === '') return 'it has no `kind`';
  const md = plain.metadata;
  if (md !== undefined && (typeof md !== 'object' || md === null || Array.isArray(md))) return '`metadata` must be a mapping';
  const mdo = md as JsonObject | undefined;
  for (const key of ['name', 'namespace'] as const) {
    const v = mdo?.[key];
    if (v !== undefined && typeof v !== 'string') return `\`metadata.${key}\` must be a string`;
  }
  for (const key of ['labels', 'annotations'] as const) {
    const v = mdo?.[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'object' || Array.isArray(v)) return `\`metadata.${key}\` must be a mapping of strings`;
    for (const [k, val] of Object.entries(v as JsonObject)) {
      if (typeof val !== 'string') return `\`metadata.${key}\` value of ${JSON.stringify(k)} must be a string (quote it)`;
    }
  }
  return undefined;
}

function tooManyDocuments(n: number): KrmInputError {
  return new KrmInputError('not-resource-list', `input has ${n} YAML documents: expected exactly one ResourceList`);
}

function notKrm(index: number, line: number, why: string): KrmInputError {
  return new KrmInputError('not-krm-object', `item ${index + 1} (line ${line}) is not a KRM object: ${why}`);
}

function toPlain(doc: Document, node: YAMLMap, what: string, line: number): JsonObject {
  try {
    return node.toJS(doc, { maxAliasCount: LIMITS.maxAliasCount }) as JsonObject;
  } catch (e) {
    const msg = nestingWords(e instanceof Error ? e.message : String(e));
    throw new KrmInputError('yaml', `${what} (line ${line}) cannot be read: ${msg}`);
  }
}

function throwOnYamlErrors(doc: Document.Parsed | Document, source: string, what: string, firstLine: number): void {
  const errors = 'errors' in doc ? doc.errors : [];
  const e = errors[0];
  if (!e) return;
  // An unterminated construct is reported at the end of input: point at the last real line.
  const at = Math.min(e.pos[0], source.trimEnd().length); // trimEnd: `\s+$` is quadratic on spaces
  const line = lineOf(source, at) + firstLine - 1;
  const msg = nestingWords(e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''));
  throw new KrmInputError('yaml', `input is not valid YAML: ${what}, line ${line}: ${msg}`);
}

/** Iterative (no recursion of its own): true when `value` nests deeper than `limit`. */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (depth > limit) return true;
    if (typeof v === 'object' && v !== null) for (const child of Object.values(v)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}

/** A stack overflow while reading means pathological nesting: say that, not the engine's words. */
export function nestingWords(message: string): string {
  return /Maximum call stack size exceeded/.test(message) ? 'it is nested too deeply to read (thousands of levels)' : message;
}

function hasError(tokens: readonly SourceToken[] | readonly Token[]): boolean {
  return tokens.some((t) => t.type === 'error');
}

function isScalarToken(t: Token): t is CST.FlowScalar | CST.BlockScalar {
  return t.type === 'scalar' || t.type === 'single-quoted-scalar' || t.type === 'double-quoted-scalar' || t.type === 'block-scalar';
}

function scalarValue(t: Token | undefined): unknown {
  if (!t || !isScalarToken(t)) return undefined;
  return CST.resolveAsScalar(t)?.value;
}

function isScalarNode(n: unknown): n is { value: unknown } {
  return typeof n === 'object' && n !== null && 'value' in n && !isMap(n) && !isSeq(n);
}

function plainScalar(n: unknown): unknown {
  return isScalarNode(n) ? n.value : n;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function countLines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** Line numbers of offsets asked for in increasing order, in one pass over the text. */
function lineCursor(text: string): (offset: number) => number {
  let at = 0;
  let line = 1;
  return (offset) => {
    if (offset < at) {
      at = 0;
      line = 1;
    }
    for (let i = text.indexOf('\n', at); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
    at = offset;
    return line;
  };
}

function nodeLine(text: string, node: unknown): number {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? lineOf(text, range[0]) : 1;
}

export { indentAsListEntry };
