/**
 * Writing rendered items back as files. An item's file is its kpt path annotation (set on items
 * functions create) or the file it was read from; documents keep their order by index. A file
 * none of whose documents changed is not written at all; a changed file keeps the exact text of
 * its untouched documents. Writes go to a temporary file renamed into place, so a file is never
 * half-written; nothing is written outside the output directory.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { ANNOTATIONS, KubeObject, KrmInputError, renderFileText } from '@flatnet/krm';
import type { FileHolding } from './package';

const KPT_FILE_ANNOTATIONS = [ANNOTATIONS.path, ANNOTATIONS.index, ANNOTATIONS.legacyPath, ANNOTATIONS.legacyIndex];

export interface FileChange {
  path: string;
  /** The new text; undefined means the file is removed (all its documents were). */
  text: string | undefined;
}

/**
 * The files whose text differs from `before` (path -> text of the package as read).
 *
 * A file is removed only when it held objects, all of them were removed, and flatnet generated
 * every one of them (`held`): flatnet never deletes a file it did not create. A file that held no
 * object (comments only, empty) is left as it is, as kpt does. When a step removed every object of
 * a file someone else wrote, nothing is written and the render fails, naming the file (kpt would
 * delete it).
 */
export function changedFiles(
  items: readonly KubeObject[],
  before: ReadonlyMap<string, string>,
  held: ReadonlyMap<string, FileHolding> = new Map(),
): FileChange[] {
  const byFile = new Map<string, KubeObject[]>();
  for (const item of items) {
    const path = item.filePath();
    if (!path) throw new KrmInputError('not-krm-object', `${item.describe()} has no file: a function created it without kpt's path annotation`);
    if (path.startsWith('/') || path.split('/').includes('..')) throw new KrmInputError('not-krm-object', `${item.describe()} has the path "${path}", outside the package`);
    byFile.set(path, [...(byFile.get(path) ?? []), item]);
  }
  const changes: FileChange[] = [];
  for (const [path, list] of [...byFile].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const ordered = list
      .map((item, i) => ({ item, i, index: item.fileIndex() ?? Number.MAX_SAFE_INTEGER }))
      .sort((a, b) => a.index - b.index || a.i - b.i)
      .map((e) => e.item);
    const text = renderFileText(ordered.map(stripped));
    if (before.get(path) !== text) changes.push({ path, text });
  }
  const refused: string[] = [];
  for (const path of before.keys()) {
    if (byFile.has(path)) continue;
    const h = held.get(path);
    if (!h || h.items === 0) continue; // nothing of it was read or removed: not ours to touch
    if (h.generated === h.items) changes.push({ path, text: undefined });
    else refused.push(path);
  }
  if (refused.length) {
    throw new KrmInputError(
      'not-krm-object',
      `the pipeline removed every object of ${refused.map((p) => `"${p}"`).join(', ')}, but flatnet did not create ${refused.length > 1 ? 'these files' : 'that file'}, so it will not delete ${refused.length > 1 ? 'them' : 'it'}: nothing was written; delete ${refused.length > 1 ? 'them' : 'it'} yourself if that is what you want`,
    );
  }
  return changes;
}

/** kpt's path and index annotations do not belong in files: remove them (and an emptied map). */
function stripped(item: KubeObject): KubeObject {
  const present = KPT_FILE_ANNOTATIONS.filter((k) => item.annotation(k) !== undefined);
  if (present.length === 0) return item;
  for (const k of present) item.delete(['metadata', 'annotations', k]);
  const rest = item.get(['metadata', 'annotations']);
  if (rest && typeof rest === 'object' && Object.keys(rest).length === 0) item.delete(['metadata', 'annotations']);
  return item;
}

/** Applies the changes under `root`: all temporary files first, then the renames and removals. */
export function applyChanges(root: string, changes: readonly FileChange[]): void {
  const base = resolve(root);
  const staged: Array<[string, string]> = [];
  try {
    for (const c of changes) {
      const target = resolve(base, c.path);
      if (!target.startsWith(base + sep)) throw new Error(`refusing to write outside ${base}: ${c.path}`);
      if (c.text === undefined) continue;
      mkdirSync(dirname(target), { recursive: true });
      const tmp = join(dirname(target), `.${target.slice(dirname(target).length + 1)}.flatnet-${process.pid}.tmp`);
      writeFileSync(tmp, c.text);
      staged.push([tmp, target]);
    }
  } catch (e) {
    for (const [tmp] of staged) rmSync(tmp, { force: true });
    throw e;
  }
  for (const [tmp, target] of staged) renameSync(tmp, target);
  for (const c of changes) if (c.text === undefined && existsSync(resolve(base, c.path))) rmSync(resolve(base, c.path));
}
