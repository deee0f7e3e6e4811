/** I/O fault injection for the write path's tests: the system calls of @flatnet/fs, one failing. */
import * as fs from 'node:fs';
import type { FsOps } from '@flatnet/fs';

const KEYS: Array<keyof FsOps> = ['openSync', 'writeSync', 'fsyncSync', 'fchmodSync', 'fchownSync', 'closeSync', 'renameSync', 'unlinkSync', 'mkdirSync', 'rmdirSync', 'symlinkSync'];

/** The real operations, with the n-th call (0-based; -1: none) failing with errno `code`; `count()` says how many ran. */
export function failingAt(n: number, code: string): FsOps & { count(): number } {
  let calls = 0;
  const ops = Object.fromEntries(
    KEYS.map((k) => [
      k,
      (...args: unknown[]) => {
        if (calls++ === n) throw Object.assign(new Error(`${code}: injected`), { code, syscall: k });
        return (fs[k] as (...a: unknown[]) => unknown)(...args);
      },
    ]),
  ) as unknown as FsOps;
  return Object.assign(ops, { count: () => calls });
}
