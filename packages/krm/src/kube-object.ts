/**
 * KubeObject: one KRM item of a ResourceList.
 *
 * Contract (see packages/krm/README.md):
 * - An item read from a block-style ResourceList keeps its exact source text. Until something
 *   edits it, that text is what goes out: comments, key order, quoting, spacing, anchors and
 *   block scalars are untouched byte for byte.
 * - Reads go through a plain JS value; edits go through a `yaml` Document node, so comments and
 *   key order survive an edit too. An edited item is re-rendered the way kpt itself writes items.
 */
import { Document, isMap, isScalar, isSeq, Scalar, YAMLMap, type Node, type ScalarTag, type Tags, type ToStringOptions } from 'yaml';
import { KrmInputError } from './errors';
import { startsWithMarker } from './fast';
import { orderShape, syncOrder, type OrderShape } from './order-sync';
import { parseYaml } from './parse';
import type { ResourceRef, ResultFile } from './result';
import { YAML11_COMPAT } from './yaml11';

export const ANNOTATIONS = {
  path: 'internal.config.kubernetes.io/path',
  index: 'internal.config.kubernetes.io/index',
  legacyPath: 'config.kubernetes.io/path',
  legacyIndex: 'config.kubernetes.io/index',
  id: 'internal.config.kubernetes.io/id',
  seqIndent: 'internal.config.kubernetes.io/seqindent',
  localConfig: 'config.kubernetes.io/local-config',
  /** Set by flatnet's generator on what it creates (`FlatNetwork/<name>`): the only items it may prune. */
  generatedBy: 'flatnet.dev/generated-by',
  /**
   * On a local-config copy of a Cluster or NodePool left in the package: it is removed on purpose
   * (the value says why), so FLAT-REV-004 lets it go.
   */
  tombstone: 'flatnet.dev/tombstone',
} as const;

/** The prefix of every annotation and label flatnet itself reads or writes. */
export const FLATNET_PREFIX = 'flatnet.dev/';

export type PathSegment = string | number;
export type JsonObject = { [key: string]: unknown };

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface SetOptions {
  /** When the key is new, insert it right after this sibling key (if present) instead of last. */
  after?: string;
  /** When the key is new, insert it first (e.g. `metadata.name`). */
  first?: boolean;
}

/** Where an item read straight from a file came from (`readFileItems`); lines are 1-based. */
export interface Origin {
  readonly path: string;
  readonly index: number;
  /** Line and column (1-based) of a character offset of the document's text. */
  readonly positionAt: (offset: number) => Position;
  /** The document's exact text in the file (what leads it included), for byte-exact write-back. */
  readonly text: string;
  /** Documents with no object (comments only, empty) just before this one, as written: kept with it. */
  readonly lead?: string;
  /** The same after the file's last object. */
  readonly trail?: string;
}

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** An untagged plain scalar of an item as its text has it: a key, or a value. */
export interface PlainScalar {
  /** Where it stands: a value's path, or for a key the path of the value it names. */
  readonly path: readonly PathSegment[];
  /** Its text, as YAML reads it (a scalar over several lines folded). */
  readonly text: string;
  readonly isKey: boolean;
}

export class KubeObject {
  /** Set for items read from files rather than from a ResourceList. */
  origin: Origin | undefined;
  /** Original text (whole lines, with the `- ` of the list entry) or undefined for new items. */
  private sourceText: string | undefined;
  /** The document holding `node`: aliases inside the item resolve against it. */
  private parsedDoc: Document | undefined;
  private parsedNode: YAMLMap | undefined;
  /**
   * For an item read fast (plain value first), how to parse its YAML node when first needed:
   * the text is a list entry (`- …`) or a whole document.
   */
  private lazy: { text: string; as: 'entry' | 'document' } | undefined;
  private plain: JsonObject;
  private dirty = false;
  private edits = 0;
  /**
   * kpt's order sync (order-sync.ts): `open` once a step began and nothing was edited yet; the
   * key order before the step's first edit once something was; undefined outside a step.
   */
  private stepOrder: 'open' | { shape: OrderShape } | undefined;

  private constructor(doc: Document | undefined, node: YAMLMap | undefined, plain: JsonObject, sourceText: string | undefined) {
    this.parsedDoc = doc;
    this.parsedNode = node;
    this.plain = plain;
    this.sourceText = sourceText;
  }

  /** @internal Used by the readers: an item whose YAML node is already parsed. */
  static fromParsed(doc: Document, node: YAMLMap, plain: JsonObject, sourceText: string | undefined): KubeObject {
    return new KubeObject(doc, node, plain, sourceText);
  }

  /**
   * @internal Used by the readers: an item known by its plain value, whose YAML node (comments,
   * order, styles) is parsed from `text` only when something edits, renders or locates it. Most
   * items of a large package are never edited: they cost a fast plain parse and nothing more.
   */
  static fromText(text: string, as: 'entry' | 'document', plain: JsonObject, sourceText: string | undefined): KubeObject {
    const obj = new KubeObject(undefined, undefined, plain, sourceText);
    obj.lazy = { text, as };
    return obj;
  }

  private get doc(): Document {
    this.materialize();
    return this.parsedDoc!;
  }

  private get node(): YAMLMap {
    this.materialize();
    return this.parsedNode!;
  }

  private materialize(): void {
    if (this.parsedNode || !this.lazy) return;
    const doc = parseYaml(this.lazy.text);
    const contents = doc.contents;
    const node = this.lazy.as === 'entry' ? (isSeq(contents) ? contents.items[0] : undefined) : contents;
    // The fast reader accepted this text; when the full parser does not, the text is at fault.
    if (doc.errors.length || !isMap(node)) {
      const where = this.origin ? `${this.origin.path}: ` : '';
      throw new KrmInputError('yaml', `${where}${this.describe()} is not valid YAML: ${doc.errors[0]?.message.split('\n')[0] ?? 'not a mapping'}`);
    }
    this.parsedDoc = doc;
    this.parsedNode = node;
    this.lazy = undefined;
  }

  /** A new item made by a function. `file` sets kpt's path/index annotations (current and legacy). */
  static create(value: JsonObject, file?: { path: string; index: number }): KubeObject {
    const doc = new Document(value, DOC_OPTIONS);
    const node = doc.contents as YAMLMap;
    const obj = new KubeObject(doc, node, structuredClone(value), undefined);
    if (file) obj.setFile(file.path, file.index);
    obj.dirty = true;
    return obj;
  }

  /** Identity fields, read once: checks ask for them thousands of times. Reset by every edit. */
  private ident: { apiVersion: string; kind: string; group: string; name: string; namespace: string } | undefined;
  private identity(): NonNullable<KubeObject['ident']> {
    if (this.ident) return this.ident;
    const apiVersion = typeof this.plain.apiVersion === 'string' ? this.plain.apiVersion : '';
    const md = this.plain.metadata as JsonObject | undefined;
    const slash = apiVersion.indexOf('/');
    this.ident = {
      apiVersion,
      kind: typeof this.plain.kind === 'string' ? this.plain.kind : '',
      group: slash < 0 ? '' : apiVersion.slice(0, slash),
      name: md && typeof md.name === 'string' ? md.name : '',
      namespace: md && typeof md.namespace === 'string' ? md.namespace : '',
    };
    return this.ident;
  }

  get apiVersion(): string {
    return this.identity().apiVersion;
  }
  get kind(): string {
    return this.identity().kind;
  }
  /** The API group: `networking.gke.io` for `networking.gke.io/v1`, `''` for core `v1`. */
  get group(): string {
    return this.identity().group;
  }
  get name(): string {
    return this.identity().name;
  }
  get namespace(): string {
    return this.identity().namespace;
  }
  /** True once the item was changed (or created) by a function. */
  get modified(): boolean {
    return this.dirty;
  }
  /** How many edits the item has had: compare before and after a step to see if it changed. */
  get revision(): number {
    return this.edits;
  }

  is(group: string, kind: string): boolean {
    return this.kind === kind && this.group === group;
  }

  /** A deep read; undefined when any step is missing or of the wrong type. */
  get(path: readonly PathSegment[]): unknown {
    let cur: unknown = this.plain;
    for (const seg of path) {
      if (typeof seg === 'number') {
        if (!Array.isArray(cur)) return undefined;
        cur = cur[seg];
      } else {
        if (!isObject(cur) || !Object.prototype.hasOwnProperty.call(cur, seg)) return undefined;
        cur = cur[seg];
      }
    }
    return cur;
  }

  /** The item as plain data. Do not mutate it: use `set`/`delete`, which keep comments. */
  get value(): Readonly<JsonObject> {
    return this.plain;
  }

  /** The string annotations, read once per revision (every item is asked for its path, index and waivers); frozen: do not edit. */
  annotations(): Readonly<Record<string, string>> {
    this.annotationCache ??= Object.freeze(stringMap(this.get(['metadata', 'annotations'])));
    return this.annotationCache;
  }
  private annotationCache: Readonly<Record<string, string>> | undefined;
  /** The string labels, read once per revision (selectors ask thousands of times); frozen: do not edit. */
  labels(): Readonly<Record<string, string>> {
    this.labelCache ??= Object.freeze(stringMap(this.get(['metadata', 'labels'])));
    return this.labelCache;
  }
  private labelCache: Readonly<Record<string, string>> | undefined;
  annotation(key: string): string | undefined {
    const annotations = this.annotations();
    return Object.prototype.hasOwnProperty.call(annotations, key) ? annotations[key] : undefined;
  }

  /** `config.kubernetes.io/local-config` set to anything but "false" means "never applied". */
  isLocalConfig(): boolean {
    const v = this.get(['metadata', 'annotations', ANNOTATIONS.localConfig]);
    return v !== undefined && v !== null && String(v) !== 'false';
  }

  /**
   * The file this item belongs to: for an item read from a file, that file (a stored path
   * annotation does not move it: kpt, too, sets the annotations from the real file on read);
   * else kpt's path annotations (current first, then legacy).
   */
  filePath(): string | undefined {
    if (this.origin) return this.origin.path;
    return this.annotation(ANNOTATIONS.path) ?? this.annotation(ANNOTATIONS.legacyPath);
  }
  fileIndex(): number | undefined {
    if (this.origin) return this.origin.index;
    const raw = this.annotation(ANNOTATIONS.index) ?? this.annotation(ANNOTATIONS.legacyIndex);
    if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
    return Number(raw);
  }

  /**
   * Where a field stands in its file, or the nearest part of its path that exists (items read
   * from files only; undefined otherwise).
   */
  positionOf(path: readonly PathSegment[] = []): Position | undefined {
    if (!this.origin) return undefined;
    let node: unknown = this.node;
    let best = this.node.range?.[0];
    for (const seg of path) {
      let next: unknown;
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === seg);
        if (pair && isScalar(pair.key) && pair.key.range) best = pair.key.range[0];
        next = pair?.value;
      } else if (isSeq(node) && typeof seg === 'number') next = node.items[seg];
      if (next === undefined || next === null) break;
      const range = (next as { range?: [number, number, number] }).range;
      if (range && !isMap(next) && !isSeq(next)) best = range[0];
      else if (range && typeof seg === 'number') best = range[0];
      node = next;
    }
    return best === undefined ? undefined : this.origin.positionAt(best);
  }
  fileRef(): ResultFile | undefined {
    const path = this.filePath();
    if (!path) return undefined;
    const index = this.fileIndex();
    return index === undefined ? { path } : { path, index };
  }
  resourceRef(): ResourceRef | undefined {
    if (!this.name) return undefined;
    const ref: ResourceRef = { apiVersion: this.apiVersion, kind: this.kind, name: this.name };
    if (this.namespace) ref.namespace = this.namespace;
    return ref;
  }
  /** `Kind "name"` (or `Kind in file.yaml` when unnamed), for messages. */
  describe(): string {
    if (this.name) return `${this.kind} "${this.name}"`;
    const file = this.filePath();
    return file ? `unnamed ${this.kind} in "${file}"` : `unnamed ${this.kind}`;
  }

  /**
   * The item's untagged plain scalars, keys and values, in document order: for readers that
   * resolve plain text by other rules (YAML 1.1, see yaml11.ts). `mayHold` is asked first with
   * the item's text, and when it says no nothing is parsed. An item that a function edited or
   * made has none: it is written anew, every value in the writer's own spelling.
   */
  plainScalars(mayHold?: (text: string) => boolean): PlainScalar[] {
    if (this.dirty || (!this.parsedNode && !this.lazy)) return [];
    const text = this.lazy?.text ?? this.origin?.text ?? this.sourceText;
    if (mayHold && text !== undefined && !mayHold(text)) return [];
    const out: PlainScalar[] = [];
    collectPlain(this.node, [], out);
    return out;
  }

  /** Sets kpt's path and index annotations, current and legacy, as kpt expects on new items. */
  setFile(path: string, index: number): void {
    this.setAnnotation(ANNOTATIONS.path, path);
    this.setAnnotation(ANNOTATIONS.index, String(index));
    this.setAnnotation(ANNOTATIONS.legacyPath, path);
    this.setAnnotation(ANNOTATIONS.legacyIndex, String(index));
  }

  setAnnotation(key: string, value: string): void {
    this.set(['metadata', 'annotations', key], value);
  }
  setLabel(key: string, value: string): void {
    this.set(['metadata', 'labels', key], value);
  }

  /**
   * Sets a value through the YAML node, creating maps on the way. No-op when the value is already
   * equal, so a mutator that sets what is there stays byte-identical (idempotence).
   */
  set(path: readonly PathSegment[], value: unknown, opts: SetOptions = {}): void {
    if (path.length === 0) throw new Error('KubeObject.set: empty path');
    if (deepEqual(this.get(path), value)) return;
    this.beforeEdit();
    let parent: Node = this.node;
    for (let i = 0; i < path.length - 1; i++) {
      const seg = path[i]!;
      let child = getChild(parent, seg);
      if (!isMap(child) && !isSeq(child)) {
        const created = new YAMLMap();
        setChild(parent, seg, created, seg === 'metadata' ? 'kind' : undefined);
        child = created;
      }
      parent = child as Node;
    }
    const last = path[path.length - 1]!;
    const existing = getChild(parent, last);
    if (isScalar(existing) && (value === null || typeof value !== 'object')) {
      // Keep the scalar node (and so its comment); YAML quoting follows the new value's needs.
      existing.value = value;
      if (typeof value !== 'string') existing.type = undefined;
    } else {
      // Plain data becomes nodes now, so later edits and comments attach to real nodes.
      const where = opts.first ? FIRST : (opts.after ?? (last === 'metadata' ? 'kind' : undefined));
      setChild(parent, last, this.doc.createNode(value), where);
    }
    this.touch();
  }

  /** Removes a key or list entry; no-op when absent. */
  delete(path: readonly PathSegment[]): void {
    if (this.get(path) === undefined) return;
    this.beforeEdit();
    let parent: unknown = this.node;
    for (let i = 0; i < path.length - 1; i++) parent = getChild(parent as Node, path[i]!);
    const last = path[path.length - 1]!;
    if (isMap(parent) || isSeq(parent)) parent.delete(last);
    this.touch();
  }

  /** A pipeline step begins: the next edit first records the key order, for `endStep`. */
  beginStep(): void {
    this.stepOrder = 'open';
  }

  /** The step is over: the key order of before it is put back, as kpt does after a function. */
  endStep(): void {
    const step = this.stepOrder;
    this.stepOrder = undefined;
    if (step && step !== 'open' && this.parsedNode && syncOrder(step.shape, this.parsedNode)) this.touch();
  }

  /** Called before every edit: the first one of a step records the order it starts from. */
  private beforeEdit(): void {
    if (this.stepOrder === 'open') this.stepOrder = { shape: orderShape(this.node) };
  }

  private touch(): void {
    this.dirty = true;
    this.edits++;
    this.ident = undefined;
    this.labelCache = undefined;
    this.annotationCache = undefined;
    this.plain = this.node.toJS(this.doc) as JsonObject;
  }

  /**
   * The item as a document of a multi-document file: its original text when untouched (for items
   * read from files), else rendered from its document with comments, and `---` first when
   * `separated` (any document but a file's first).
   */
  renderDocument(separated: boolean): string {
    let text: string;
    if (!this.dirty && this.origin) text = this.origin.text;
    else {
      const wide = this.annotation(ANNOTATIONS.seqIndent) === 'wide';
      text = this.doc.contents === this.node ? this.doc.toString(renderOptions(wide)) : standalone(this.node, wide);
    }
    if (!text.endsWith('\n')) text += '\n';
    const marked = startsWithMarker(text);
    if (separated && !marked) return `---\n${text}`;
    if (!separated && /^---[ \t]*\n/.test(text) && !this.origin) return text.replace(/^---[ \t]*\n/, '');
    return text;
  }

  /**
   * The item as text for a block list whose `-` stands at column `seqIndent`: its original text
   * when untouched, else rendered from the node with the head comment kept after the dash, the
   * way kpt writes it (moving it above the dash makes kpt double it on the next render).
   */
  render(seqIndent: number): string {
    if (!this.dirty && this.sourceText !== undefined) return this.sourceText;
    const doc = new Document(undefined, DOC_OPTIONS);
    doc.contents = this.node;
    const wide = this.annotation(ANNOTATIONS.seqIndent) === 'wide';
    const text = doc.toString(renderOptions(wide));
    return indentAsListEntry(text, seqIndent);
  }
}

const isPlain = (n: unknown): n is Scalar & { source: string } => isScalar(n) && n.type === Scalar.PLAIN && !n.tag && typeof n.source === 'string';

/** Plain scalars under `node`, whose path is `path` (a stack: copied for each one found). */
function collectPlain(node: unknown, path: PathSegment[], out: PlainScalar[]): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = pair.key;
      if (!isScalar(key)) continue; // a collection as a key: no path names what is under it
      path.push(typeof key.value === 'string' ? key.value : key.value === null ? '' : String(key.value)); // as toJS names it
      if (isPlain(key)) out.push({ path: [...path], text: key.source, isKey: true });
      collectPlain(pair.value, path, out);
      path.pop();
    }
  } else if (isSeq(node)) {
    for (let i = 0; i < node.items.length; i++) {
      path.push(i);
      collectPlain(node.items[i], path, out);
      path.pop();
    }
  } else if (isPlain(node)) out.push({ path: [...path], text: node.source, isKey: false });
}

function standalone(node: YAMLMap, wide: boolean): string {
  const doc = new Document(undefined, DOC_OPTIONS);
  doc.contents = node;
  return doc.toString(renderOptions(wide));
}

export function renderOptions(wideSeqs = false): ToStringOptions {
  // kyaml's habits: compact lists, no folding, single quotes where quotes are needed.
  return { indentSeq: wideSeqs, lineWidth: 0, minContentWidth: 0, flowCollectionPadding: false, singleQuote: true };
}

/** Turns a column-0 block text into one entry of a block list with its dash at `seqIndent`. */
export function indentAsListEntry(text: string, seqIndent: number): string {
  const pad = ' '.repeat(seqIndent);
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  return (
    lines.map((line, i) => (i === 0 ? `${pad}- ${line}` : line === '' ? '' : `${pad}  ${line}`)).join('\n') + '\n'
  );
}

function getChild(parent: Node | unknown, seg: PathSegment): unknown {
  if (isMap(parent)) return parent.get(seg, true);
  if (isSeq(parent) && typeof seg === 'number') return parent.get(seg, true);
  return undefined;
}

const FIRST = Symbol('first');

function setChild(parent: Node, seg: PathSegment, value: unknown, after: string | typeof FIRST | undefined): void {
  if (isSeq(parent) && typeof seg === 'number') {
    parent.set(seg, value);
    return;
  }
  if (!isMap(parent)) throw new Error(`KubeObject.set: cannot set "${String(seg)}" on a non-map`);
  // `metadata: {}` that gains keys reads better in block style, as kpt writes it.
  if (parent.flow && parent.items.length === 0) parent.flow = false;
  if (after === FIRST && !parent.has(seg)) {
    parent.set(seg, value);
    parent.items.unshift(parent.items.pop()!);
    return;
  }
  if (parent.has(seg) || after === undefined || after === FIRST) {
    parent.set(seg, value);
    return;
  }
  // Keys read from text are Scalar nodes; keys added by code may be plain strings.
  const at = parent.items.findIndex((p) => (isScalar(p.key) ? p.key.value : p.key) === after);
  if (at < 0) {
    parent.set(seg, value);
    return;
  }
  parent.set(seg, value);
  const pair = parent.items.pop()!;
  parent.items.splice(at + 1, 0, pair);
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(v)) return out;
  for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return out;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as JsonObject)[k], (b as JsonObject)[k]));
}

/**
 * YAML options of every document flatnet parses or makes. `compat: YAML11_COMPAT` makes new
 * strings that a YAML 1.1 reader (kubectl, Argo CD, Config Sync: go-yaml v2) would take for
 * something else — `yes`, `on`, `0b11`, `0X1F`, `1_000`, and YAML 1.1's `12:30` — come out
 * quoted, by the same rules FLAT-YML-001 judges with (yaml11.ts); on reading it only adds warnings.
 * `logLevel: 'error'`: the package's warnings (a collection used as a key, say) would reach stderr
 * through process.emitWarning, breaking the one-line stderr contract; errors are ours to word.
 */
export const DOC_OPTIONS = { compat: YAML11_COMPAT, customTags: safeTags, logLevel: 'error' } as const;
export const PARSE_OPTIONS = { prettyErrors: false, uniqueKeys: true, compat: YAML11_COMPAT, customTags: safeTags, logLevel: 'error' } as const;

/**
 * The `yaml` package's `!!binary` writer folds base64 at `lineWidth`, and with our `lineWidth: 0`
 * (never fold) it throws; it also throws when the value is not bytes. Found by the fuzz suite
 * (`binary-tag-in-intent`). Bytes are written folded at the usual 76 columns; anything else as
 * its text.
 */
const BINARY = 'tag:yaml.org,2002:binary';
function safeTags(tags: Tags): Tags {
  // `!!binary` is one of the package's "known tags", used when a value is explicitly tagged; a
  // custom tag of the same name takes precedence.
  knownBinary ??= safeBinary(new Document(null).schema.knownTags[BINARY] as ScalarTag);
  return [...tags.filter((t) => !(typeof t === 'object' && t.tag === BINARY)), knownBinary];
}
let knownBinary: ScalarTag | undefined;

function safeBinary(tag: ScalarTag): ScalarTag {
  const write = tag.stringify;
  if (!write) return tag;
  return {
    ...tag,
    stringify(item, ctx, onComment, onChompKeep) {
      if (!(item.value instanceof Uint8Array)) {
        const text = String(item.value ?? '');
        return /^[A-Za-z0-9+/=]+$/.test(text) ? text : JSON.stringify(text);
      }
      return write.call(tag, item, { ...ctx, options: { ...ctx.options, lineWidth: 76, minContentWidth: 20 } }, onComment, onChompKeep);
    },
  };
}
