import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBase, readBlobs, selectFiles } from '../src/git';

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** A repository with `files` committed. */
function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'flatnet-git-'));
  git(dir, 'init', '-q', '-b', 'main');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'first');
  return dir;
}

describe('the git blob reader', () => {
  it('reads every blob of a fleet in one pair of processes, each content once', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`c${i}/bm.yaml`] = `k: ${i % 7}\n`;
    const dir = repo(files);
    // The module object itself (what git.ts calls through), not an import namespace.
    const spy = jest.spyOn(require('node:child_process') as typeof import('node:child_process'), 'execFileSync');
    let base: ReturnType<typeof readBase>;
    let made: Array<{ args: string[]; input?: string }>;
    try {
      base = readBase('HEAD', ['.'], dir);
    } finally {
      // mockRestore forgets the calls.
      made = spy.mock.calls.map((c) => ({ args: (c[1] as string[]).filter((a) => !a.startsWith('--literal')), input: (c[2] as { input?: string }).input }));
      spy.mockRestore();
    }
    expect(made.map((c) => c.args[0])).toEqual(['rev-parse', 'rev-parse', 'ls-tree', 'cat-file', 'cat-file']);
    expect(made.filter((c) => c.args[0] === 'cat-file').map((c) => c.args.join(' '))).toEqual(['cat-file --batch-check', 'cat-file --batch']);
    // Seven contents: seven objects asked for, each once.
    expect(made.at(-1)!.input!.trim().split('\n')).toHaveLength(7);
    expect(base).toHaveLength(300);
    expect(base[0]).toEqual({ path: 'c0/bm.yaml', text: 'k: 0\n' });
    expect(base.find((f) => f.path === 'c299/bm.yaml')?.text).toBe(`k: ${299 % 7}\n`);
  });

  it('gives blobs in order, with empty and binary-safe content', () => {
    const dir = repo({ 'a.yaml': 'a: 1\n', 'e.yaml': '', 'n.yaml': 'x: "\\n"\n\n\n' });
    const oids = git(dir, 'ls-files', '-s').trim().split('\n').map((l) => l.split(/\s+/)[1]!);
    expect(readBlobs(oids.map((oid, i) => ({ oid, path: `f${i}` })).reverse(), dir, 'test')).toEqual(['x: "\\n"\n\n\n', '', 'a: 1\n']);
  });

  it('selects as the walk: named files whatever their name, hidden and node_modules folders skipped below', () => {
    const e = (...paths: string[]) => paths.map((path) => ({ path }));
    const all = e('a/x.yaml', 'a/.h/y.yaml', 'a/node_modules/z.yaml', 'a/.x.yaml', 'a/t.txt', '.h/k.yaml', 'Kptfile', 'b/Kptfile', 'b/notKptfile', 'ab/x.yaml');
    expect(selectFiles(all, ['.']).map((f) => f.path)).toEqual(['Kptfile', 'a/.x.yaml', 'a/x.yaml', 'ab/x.yaml', 'b/Kptfile']);
    expect(selectFiles(all, ['a', 'a/t.txt', '.h']).map((f) => f.path)).toEqual(['.h/k.yaml', 'a/.x.yaml', 'a/t.txt', 'a/x.yaml']);
  });
});

describe('readBase', () => {
  it('reads names that are patterns to git as plain names, and refuses revisions that are options', () => {
    const dir = repo({ '*.yaml': 'a: 1\n', 'b.yaml': 'b: 1\n', 'l/x.yaml': 'x: 1\n' });
    expect(readBase('HEAD', ['*.yaml'], dir)).toEqual([{ path: '*.yaml', text: 'a: 1\n' }]);
    // A symbolic link's blob is its target's name, not a manifest.
    symlinkSync('b.yaml', join(dir, 'link.yaml'));
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'link');
    expect(readBase('HEAD', ['.'], dir).map((f) => f.path)).toEqual(['*.yaml', 'b.yaml', 'l/x.yaml']);
    expect(readBase('HEAD', ['.'], join(dir, 'l'))).toEqual([{ path: 'x.yaml', text: 'x: 1\n' }]);
    expect(() => readBase('--output=/tmp/x', ['.'], dir)).toThrow('--base "--output=/tmp/x" is not a commit of this repository');
    expect(() => readBase('HEAD', ['..'], dir)).toThrow(/"\.\." is outside the git repository/);
  });
});
