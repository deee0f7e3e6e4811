/**
 * Writing rendered items back as files. An item read from disk goes back to the file it came
 * from, whatever path annotation it carries (kpt sets those from the real file on read and
 * ignores stored ones); only an item a function created goes where its kpt path annotation says,
 * and only to a `*.yaml` / `*.yml` inside the package, outside hidden directories, that is new or
 * was read. Documents keep their order by index. A file none of whose documents changed is not
 * written at all; a changed file keeps the exact text of its untouched documents. The writes
 * themselves are @flatnet/fs's: confined, all or nothing, modes kept.
 */
import { commit, quote, Root, type FsOps } from '@flatnet/fs';
import { ANNOTATIONS, KubeObject, KrmInputError, listSome, renderFileText } from '@flatnet/krm';
import type { FileHolding } from './package';

const KPT_FILE_ANNOTATIONS = [ANNOTATIONS.path, ANNOTATIONS.index, ANNOTATIONS.legacyPath, ANNOTATIONS.legacyIndex];

export interface FileChange {
  path: string;
  /** The new text; undefined means the file is removed (all its documents were). */
  text: string | undefined;
  /** A file only created objects go to, that was not read: it must not exist yet. */
  create?: boolean;
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
    if (!item.origin) checkCreatedPath(item, path);
    const list = byFile.get(path);
    if (list) list.push(item);
    else byFile.set(path, [item]);
  }
  const changes: FileChange[] = [];
  for (const [path, list] of [...byFile].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const ordered = list
      .map((item, i) => ({ item, i, index: item.fileIndex() ?? Number.MAX_SAFE_INTEGER }))
      .sort((a, b) => a.index - b.index || a.i - b.i)
      .map((e) => e.item);
    const text = renderFileText(ordered.map(stripped));
    if (before.get(path) !== text) changes.push(before.has(path) ? { path, text } : { path, text, create: true });
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
      `the pipeline removed every object of ${listSome(refused.map((p) => `"${p}"`))}, but flatnet did not create ${refused.length > 1 ? 'these files' : 'that file'}, so it will not delete ${refused.length > 1 ? 'them' : 'it'}: nothing was written; delete ${refused.length > 1 ? 'them' : 'it'} yourself if that is what you want`,
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

/**
 * Where a function may put an object it created: a relative `*.yaml` / `*.yml` path, no `..`, no
 * hidden directory or file (`.git/config`), no control character.
 */
function checkCreatedPath(item: KubeObject, path: string): void {
  const parts = path.split('/');
  const bad =
    path.startsWith('/') ||
    path.includes('\\') ||
    parts.some((p) => p === '' || p === '.' || p === '..' || p.startsWith('.')) ||
    !/\.ya?ml$/.test(path) ||
    [...path].some((c) => c < ' ' || c === '\u007f');
  if (bad) {
    throw new KrmInputError(
      'not-krm-object',
      `${item.describe()}: its path annotation ${quote(path)} is not a file flatnet writes: a created object goes to a relative *.yaml or *.yml path inside the package, outside hidden directories; nothing was written`,
    );
  }
}

/** Applies the changes under `root`, all or nothing. */
export function applyChanges(root: Root | string, changes: readonly FileChange[], ops?: FsOps): void {
  commit(
    typeof root === 'string' ? Root.open(root) : root,
    changes.map((c) => ({ rel: c.path, text: c.text, ...(c.create ? { create: true } : {}) })),
    ops ? { ops } : {},
  );
}
