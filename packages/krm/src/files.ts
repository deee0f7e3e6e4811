import { isMap, isScalar } from 'yaml';
import { readBlockYaml } from './block-yaml';
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
  try {
    return readItems(path, text, opts);
  } catch (e) {
    const err = asInputError(e);
    throw err instanceof KrmInputError && err !== e ? new KrmInputError('yaml', `${path}: ${err.message}`) : err;
  }
}

function readItems(path: string, text: string, opts: ReadFileOptions): KubeObject[] {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
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
        if (opts.skipNonKrm) {
          opts.onSkip?.(line(), 'it is not a mapping');
          continue;
        }
        throw new KrmInputError('not-krm-object', `${path}:${line()}: document ${index + 1} is not a KRM object: it is not a mapping`);
      }
      plain = fast.value as JsonObject;
      obj = KubeObject.fromText(chunk.text, 'document', plain, undefined);
    } else {
      const doc = parseYaml(chunk.text);
      const e = doc.errors[0];
      if (e) {
        const at = chunk.offset + Math.min(e.pos[0], chunk.text.trimEnd().length);
        throw new KrmInputError('yaml', `${path}:${lineAt(at)}: not valid YAML: ${nestingWords(e.message.split('\n')[0]!)}`);
      }
      if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
        skipped += chunk.text;
        continue;
      }
      const start = chunk.offset + (doc.contents.range?.[0] ?? 0);
      line = () => lineAt(start);
      if (!isMap(doc.contents)) {
        if (opts.skipNonKrm) {
          opts.onSkip?.(line(), 'it is not a mapping');
          continue;
        }
        throw new KrmInputError('not-krm-object', `${path}:${line()}: document ${index + 1} is not a KRM object: it is not a mapping`);
      }
      try {
        plain = doc.contents.toJS(doc, { maxAliasCount: LIMITS.maxAliasCount }) as JsonObject;
      } catch (err) {
        throw new KrmInputError('yaml', `${path}:${line()}: document ${index + 1} cannot be read: ${nestingWords(err instanceof Error ? err.message : String(err))}`);
      }
      obj = KubeObject.fromParsed(doc, doc.contents, plain, undefined);
    }
    const why = krmObjectProblem(plain, fast?.bounded);
    if (why && opts.skipNonKrm && (typeof plain.apiVersion !== 'string' || typeof plain.kind !== 'string')) {
      opts.onSkip?.(line(), why);
      continue;
    }
    if (why) throw new KrmInputError('not-krm-object', `${path}:${line()}: document ${index + 1} is not a KRM object: ${why}`);
    const base = chunk.offset;
    obj.origin = { path, index, positionAt: (offset) => positionAt(base + offset), text: chunk.text, ...(skipped ? { lead: skipped } : {}) };
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

/** Offset of the first line that is neither blank, a comment nor a `---` marker. */
function firstContent(text: string): number {
  const m = /^(?!\s*(#|$)|---\s*$)/m.exec(text);
  return m ? m.index : 0;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
