import type { KubeObject } from './kube-object';

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
