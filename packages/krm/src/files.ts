import { isMap, isScalar } from 'yaml';
import { readBlockYaml } from './block-yaml';
import { SHOWN, Sightings, listed, mayHoldPlaceholders, scanText, valueHits, type Sighting } from './diagnose';
import { splitDocuments } from './fast';
import { KubeObject, type JsonObject } from './kube-object';
import { parseYaml } from './parse';
import { KrmInputError, LIMITS, asInputError, checkDocumentSize, checkInputSize, krmObjectProblem, nestingWords } from './resource-list';

/** The next free `index` in `path` among `items`, for a new item written to that file. */
export function nextFileIndex(items: readonly KubeObject[], path: string): number {
  let next = 0;
  for (const item of items) {
    if (item.filePath() !== path) continue;
    const index = item.fileIndex();
    if (index !== undefined && index >= next) next = index + 1;
  }
  return next;
}

/**
 * The KRM objects of one YAML file, as they are: no annotations added (a validator must not
 * modify items), with an `origin` for file references and line numbers. Documents that are empty
 * are skipped; a document that is not a KRM object, or bad YAML, is a `KrmInputError` naming the
 * file and line. Local-config objects are returned too: callers decide.
 */
export interface ReadFileOptions {
  /** Skip documents that are not KRM objects (other YAML in a repository) instead of failing. */
  skipNonKrm?: boolean;
  /** Counts skipped documents when `skipNonKrm` is set. */
  onSkip?: (line: number, why: string) => void;
  /**
   * API groups whose objects the caller reads field by field (for flatnet: GDC's and its own).
   * In their objects a placeholder, a `...` elision or a missing `metadata` is an input error
   * naming it, once per file, rather than values for policies to judge one by one. Objects of
   * other groups pass as they are, placeholders and all: they are not the caller's to judge.
   */
  readGroups?: ReadonlySet<string>;
  /**
   * Keys whose values, in the objects of `readGroups`, are names, addresses, ranges or numbers,
   * never free text (`peerIP`, `localASN`): there an `UPPER_CASE` value is a docs placeholder.
   */
  typedFields?: ReadonlySet<string>;
  /** How a user leaves a file out of this caller's input, for messages ("hide it with `.krmignore`"). */
  exclude?: string;
  /**
   * Told of a first document that is bmctl's key-path header (`gcrKeyPath: …`, not a KRM
   * object): it is kept as it is, with the next object (byte for byte on write-back), not refused.
   */
  onNote?: (line: number, message: string) => void;
}

/**
 * The KRM objects of one YAML file, as they are: no annotations added (a validator must not
 * modify items), with an `origin` for file references, line numbers and byte-exact write-back.
 * The file is cut into one chunk per document (the CST's document tokens, with the comments
 * before and the `...` after them); the chunks joined are the file, byte for byte. Empty
 * documents are skipped; bad YAML or a document that is not a KRM object is a `KrmInputError`
 * naming the file and line. Local-config objects are returned too: callers decide.
 */
export function readFileItems(path: string, text: string, opts: ReadFileOptions = {}): KubeObject[] {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const seen: Seen = { placeholders: new Sightings(), elisions: new Sightings() };
  let items: KubeObject[];
  try {
    items = readItems(path, source, opts, seen);
  } catch (e) {
    const asInput = asInputError(e);
    const err = asInput instanceof KrmInputError && asInput !== e ? new KrmInputError('yaml', `${path}: ${asInput.message}`, { path }) : asInput;
    // A file that does not read as KRM objects: say why when the text shows it.
    if (err instanceof KrmInputError && (err.code === 'yaml' || err.code === 'not-krm-object')) throw diagnose(path, source, err, seen, opts) ?? err;
    throw err;
  }
  if (seen.placeholders.count > 0) throw templateError(path, seen.placeholders, opts);
  if (seen.elisions.count > 0) throw elisionError(path, seen.elisions);
  return items;
}

/** Placeholders and elisions seen in the values of objects of `readGroups`, file-wide. */
interface Seen {
  placeholders: Sightings<Sighting>;
  elisions: Sightings<number>;
}

/**
 * The cause a file's text shows for its read error: an unrendered template when it holds
 * template syntax in plain text (or a placeholder where the parser stopped, or in a value read
 * before), else a docs elision line; undefined when it shows neither (the parser's words stand).
 */
function diagnose(path: string, source: string, err: KrmInputError, seen: Seen, opts: ReadFileOptions): KrmInputError | undefined {
  const scan = scanText(source);
  const at = err.where?.line;
  if (scan.syntax.count > 0 || (at !== undefined && scanText(lineOf(source, at)).shaped.count > 0)) {
    // The first few of both kinds, by line: each list holds its first few, so these are the file's.
    const all = new Sightings<Sighting>();
    for (const s of [...scan.syntax.first, ...scan.shaped.first].sort((a, b) => a.line - b.line).slice(0, SHOWN)) all.add(s);
    all.count = scan.syntax.count + scan.shaped.count;
    return templateError(path, all, opts);
  }
  if (seen.placeholders.count > 0) return templateError(path, seen.placeholders, opts);
  if (scan.elisions.count > 0) return elisionError(path, scan.elisions);
  if (seen.elisions.count > 0) return elisionError(path, seen.elisions);
  return undefined;
}

function templateError(path: string, found: Sightings<Sighting>, opts: ReadFileOptions): KrmInputError {
  const line = found.first[0]?.line ?? 1;
  const names = found.first.map((s) => `${JSON.stringify(s.text)} (line ${s.line})`);
  return new KrmInputError(
    'template',
    `${path}:${line}: an unrendered template (Helm, Jinja, Terraform, a shell script or a docs sample), not manifests: it holds ${listed(names, found.count)}${found.count - found.first.length === 1 ? ' placeholder' : found.count > found.first.length ? ' placeholders' : ''}; render or fill it in first and give flatnet the result, or ${opts.exclude ?? 'leave it out'}`,
    { path, line },
  );
}

function elisionError(path: string, lines: Sightings<number>): KrmInputError {
  const line = lines.first[0]!;
  const one = lines.count === 1;
  const which = one ? `line ${line} is` : `lines ${listed(lines.first.map(String), lines.count)} are`;
  return new KrmInputError(
    'elision',
    `${path}:${line}: ${which} "...", a docs snippet's mark for omitted fields, which YAML reads as the end of a document or as a value: replace ${one ? 'it' : 'each'} with the fields it stands for, or remove ${one ? 'it' : 'them'}`,
    { path, line },
  );
}

function readItems(path: string, source: string, opts: ReadFileOptions, seen: Seen): KubeObject[] {
  let lines: number[] | undefined; // line starts, found only when a position is asked for
  const positionAt = (offset: number): { line: number; column: number } => {
    const starts = (lines ??= lineStarts(source));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  };
  const lineAt = (offset: number): number => positionAt(offset).line;
  const out: KubeObject[] = [];
  let index = 0;
  checkInputSize(source.length, path);
  let skipped = ''; // documents holding no object, kept with the next object (or the last)
  let first = true; // no document with content read yet: a bmctl header may come
  const fail = (code: 'yaml' | 'not-krm-object', line: number, message: string): KrmInputError => new KrmInputError(code, `${path}:${line}: ${message}`, { path, line });
  for (const chunk of splitDocuments(source)) {
    // Working out the line is not free: only for a document over the limit.
    if (chunk.text.length > LIMITS.maxDocumentBytes) checkDocumentSize(chunk.text.length, `${path}:${lineAt(chunk.offset + firstContent(chunk.text))}: document ${index + 1}`);
    const fast = readBlockYaml(chunk.text);
    let plain: JsonObject;
    let line: () => number; // for messages only: working it out is not free
    let obj: KubeObject;
    if (fast) {
      if (fast.value === null || fast.value === undefined) {
        skipped += chunk.text;
        continue;
      }
      line = () => lineAt(chunk.offset + firstContent(chunk.text));
      if (typeof fast.value !== 'object' || Array.isArray(fast.value)) {
        first = false;
        if (opts.skipNonKrm) {
          opts.onSkip?.(line(), 'it is not a mapping');
          continue;
        }
        throw fail('not-krm-object', line(), `document ${index + 1} is not a KRM object: it is not a mapping`);
      }
      plain = fast.value as JsonObject;
      obj = KubeObject.fromText(chunk.text, 'document', plain, undefined);
    } else {
      const doc = parseYaml(chunk.text);
      const e = doc.errors[0];
      if (e) {
        const at = chunk.offset + Math.min(e.pos[0], chunk.text.trimEnd().length);
        throw fail('yaml', lineAt(at), `not valid YAML: ${nestingWords(e.message.split('\n')[0]!)}`);
      }
      if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
        skipped += chunk.text;
        continue;
      }
      const start = chunk.offset + (doc.contents.range?.[0] ?? 0);
      line = () => lineAt(start);
      if (!isMap(doc.contents)) {
        first = false;
        if (opts.skipNonKrm) {
          opts.onSkip?.(line(), 'it is not a mapping');
          continue;
        }
        throw fail('not-krm-object', line(), `document ${index + 1} is not a KRM object: it is not a mapping`);
      }
      try {
        plain = doc.contents.toJS(doc, { maxAliasCount: LIMITS.maxAliasCount }) as JsonObject;
      } catch (err) {
        throw fail('yaml', line(), `document ${index + 1} cannot be read: ${nestingWords(err instanceof Error ? err.message : String(err))}`);
      }
      obj = KubeObject.fromParsed(doc, doc.contents, plain, undefined);
    }
    const header = first ? bmctlHeaderKeys(plain) : undefined;
    first = false;
    if (header) {
      // bmctl reads it when it creates a cluster; it is no object, and nothing else applies it.
      const names = header.slice(0, 2).map((k) => `\`${k}\``);
      opts.onNote?.(line(), `the first document is bmctl's header of key paths (${listed(names, header.length)}), not a KRM object: left as it is and not checked (bmctl reads it; kubectl and Config Sync would refuse it)`);
      skipped += chunk.text;
      continue;
    }
    let why = krmObjectProblem(plain, fast?.bounded);
    if (why && opts.skipNonKrm && (typeof plain.apiVersion !== 'string' || typeof plain.kind !== 'string')) {
      opts.onSkip?.(line(), why);
      continue;
    }
    const read = !why && opts.readGroups?.has(apiGroup(plain.apiVersion as string)) === true;
    // Without `metadata` nothing says which object it is: one error here, not one per policy.
    if (read && plain.metadata === undefined) why = 'it has no `metadata`: add `metadata.name` (and `metadata.namespace`, its Cluster\'s namespace, for the kinds that live there)';
    if (why) throw fail('not-krm-object', line(), `document ${index + 1}${plain.kind ? ` (${String(plain.kind)})` : ''} is not a KRM object: ${why}`);
    const base = chunk.offset;
    obj.origin = { path, index, positionAt: (offset) => positionAt(base + offset), text: chunk.text, ...(skipped ? { lead: skipped } : {}) };
    if (read && mayHoldPlaceholders(chunk.text)) {
      valueHits(plain, (hit) => {
        const list = hit.elision ? seen.elisions : seen.placeholders;
        // Locating parses the document: only for what a message shows.
        const at = list.first.length < SHOWN ? (obj.positionOf(hit.path())?.line ?? line()) : 0;
        if (hit.elision) seen.elisions.add(at);
        else seen.placeholders.add({ line: at, text: hit.text });
      }, opts.typedFields);
    }
    skipped = '';
    out.push(obj);
    index++;
  }
  const last = out[out.length - 1];
  if (skipped && last?.origin) last.origin = { ...last.origin, trail: skipped };
  return out;
}

/**
 * A file's text from its objects, in order: untouched ones as they were read, with the documents
 * that held no object (comments only, empty) where they stood, and no final newline added where
 * the file had none — so a file nothing changed comes back byte for byte.
 */
export function renderFileText(items: readonly KubeObject[]): string {
  let out = '';
  items.forEach((item, i) => {
    const o = item.origin;
    let text = item.renderDocument(i > 0 || o?.lead !== undefined);
    if (i === items.length - 1 && !item.modified && o && o.trail === undefined && !o.text.endsWith('\n') && text.endsWith('\n')) text = text.slice(0, -1);
    out += (o?.lead ?? '') + text + (o?.trail ?? '');
  });
  return out;
}

/** `networking.gke.io` of `networking.gke.io/v1`; `''` for the core group (`v1`). */
const apiGroup = (apiVersion: string): string => {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
};

/**
 * The keys of bmctl's header document — the first document of a config `bmctl create config`
 * writes: `gcrKeyPath`, `sshPrivateKeyPath`, `gkeConnectAgentServiceAccountKeyPath`… before the
 * `---` and the Cluster — or undefined when `plain` is not one: a mapping with no `apiVersion` and
 * no `kind` whose every key names a path (`…Path`) with a string (or empty) value.
 */
function bmctlHeaderKeys(plain: JsonObject): string[] | undefined {
  const keys = Object.keys(plain);
  if (keys.length === 0 || 'apiVersion' in plain || 'kind' in plain) return undefined;
  for (const k of keys) {
    const v = plain[k];
    if (!k.endsWith('Path') || (v !== null && typeof v !== 'string')) return undefined;
  }
  return keys;
}

/** Offset of the first line that is neither blank, a comment nor a `---` marker. */
function firstContent(text: string): number {
  const m = /^(?!\s*(#|$)|---\s*$)/m.exec(text);
  return m ? m.index : 0;
}

/** The text of 1-based line `n`. */
function lineOf(text: string, n: number): string {
  let start = 0;
  for (let i = 1; i < n && start >= 0; i++) start = text.indexOf('\n', start) + 1 || -1;
  if (start < 0) return '';
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? text.length : end);
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
