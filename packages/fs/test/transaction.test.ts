import * as fs from 'node:fs';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { FsError, Root, commit, isStaleTemp, type Change } from '@flatnet/fs';
import { failingAt } from '../../../test/fuzz/faults';

const RUNS = Math.max(20, Math.round(Number(process.env.FLATNET_FUZZ_RUNS ?? 150) / 2));
const SEED = Number(process.env.FLATNET_FUZZ_SEED ?? 14);

/** Every entry below `dir`: content and mode for files, the target for links, `dir` for folders. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string, rel: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out.set(r, `link:${readlinkSync(p)}`);
      else if (st.isDirectory()) {
        out.set(r, 'dir');
        walk(p, r);
      } else out.set(r, `${(st.mode & 0o7777).toString(8)}:${readFileSync(p, 'utf8')}`);
    }
  };
  walk(dir, '');
  return out;
}

function area(): { top: string; pkg: string } {
  const top = mkdtempSync(join(tmpdir(), 'flatnet-fs-'));
  const pkg = join(top, 'pkg');
  mkdirSync(pkg);
  return { top, pkg };
}

describe('commit', () => {
  it('replaces, creates (with folders) and removes, keeping modes', () => {
    const { pkg } = area();
    writeFileSync(join(pkg, 'a.yaml'), 'old a\n', { mode: 0o640 });
    writeFileSync(join(pkg, 'gone.yaml'), 'bye\n');
    commit(Root.open(pkg), [
      { rel: 'a.yaml', text: 'new a\n' },
      { rel: 'deep/er/b.yaml', text: 'new b\n' },
      { rel: 'gone.yaml', text: undefined },
    ]);
    const snap = snapshot(pkg);
    expect(snap.get('a.yaml')).toBe('640:new a\n');
    expect(snap.get('deep/er/b.yaml')).toMatch(/:new b\n$/);
    expect(snap.has('gone.yaml')).toBe(false);
  });

  it.each(['EIO', 'ENOSPC', 'EPERM', 'EDQUOT'])('a failure (%s) at any system call leaves every file as it was and no temporary file', (code) => {
    // Count the calls of a clean run, then fail each one in turn.
    const setUp = (): { pkg: string; changes: Change[] } => {
      const { pkg } = area();
      for (const n of ['a', 'b', 'c', 'd']) writeFileSync(join(pkg, `${n}.yaml`), `old ${n}\n`, { mode: n === 'b' ? 0o600 : 0o644 });
      fs.linkSync(join(pkg, 'd.yaml'), join(pkg, 'd-twin.txt'));
      return {
        pkg,
        changes: [
          { rel: 'a.yaml', text: 'new a\n' },
          { rel: 'b.yaml', text: 'new b\n' },
          { rel: 'c.yaml', text: undefined },
          { rel: 'd.yaml', text: 'new d\n' },
          { rel: 'new/e.yaml', text: 'new e\n' },
        ],
      };
    };
    let total = 0;
    {
      const { pkg, changes } = setUp();
      const counting = failingAt(-1, code);
      commit(Root.open(pkg), changes, { ops: counting });
      total = counting.count();
    }
    expect(total).toBeGreaterThan(20);
    for (let n = 0; n < total; n++) {
      const { pkg, changes } = setUp();
      const before = snapshot(pkg);
      let failed: unknown;
      try {
        commit(Root.open(pkg), changes, { ops: failingAt(n, code) });
      } catch (e) {
        failed = e;
      }
      const after = snapshot(pkg);
      if (failed) {
        expect(failed).toBeInstanceOf(FsError);
        expect((failed as Error).message).toMatch(/nothing was changed$/);
        expect(after).toEqual(before);
      } else {
        // Only the directory syncs may fail without failing the commit: the data is in place.
        expect(after.get('a.yaml')).toBe('644:new a\n');
        expect(after.has('c.yaml')).toBe(false);
      }
      expect([...after.keys()].filter((k) => k.endsWith('.tmp'))).toEqual([]);
      expect(readFileSync(join(pkg, 'd-twin.txt'), 'utf8')).toBe(readFileSync(join(pkg, 'd.yaml'), 'utf8'));
    }
  });

  it('refuses paths that leave the root before touching anything', () => {
    const { top, pkg } = area();
    mkdirSync(join(top, 'outside'));
    symlinkSync(join(top, 'outside'), join(pkg, 'link'));
    symlinkSync(join(top, 'outside', 'x.yaml'), join(pkg, 'out.yaml'));
    writeFileSync(join(top, 'outside', 'x.yaml'), 'outside\n');
    writeFileSync(join(pkg, 'a.yaml'), 'a\n');
    const root = Root.open(pkg);
    for (const rel of ['../x.yaml', '/etc/passwd', 'link/x.yaml', 'out.yaml', 'a/./b.yaml', 'a\\b.yaml', 'a\0.yaml']) {
      expect(() => commit(root, [{ rel: 'a.yaml', text: 'changed\n' }, { rel, text: 'evil\n' }])).toThrow(FsError);
    }
    expect(readFileSync(join(pkg, 'a.yaml'), 'utf8')).toBe('a\n');
    expect(readFileSync(join(top, 'outside', 'x.yaml'), 'utf8')).toBe('outside\n');
    expect(readdirSync(join(top, 'outside'))).toEqual(['x.yaml']);
  });

  it('refuses two names of one file', () => {
    const { pkg } = area();
    writeFileSync(join(pkg, 'a.yaml'), 'a\n');
    symlinkSync('a.yaml', join(pkg, 'b.yaml'));
    expect(() => commit(Root.open(pkg), [{ rel: 'a.yaml', text: '1\n' }, { rel: 'b.yaml', text: '2\n' }])).toThrow(/are the same file/);
  });
});

describe('Root.read', () => {
  it('reads at most the cap, whatever the size says', () => {
    const { pkg } = area();
    writeFileSync(join(pkg, 'big.yaml'), 'x'.repeat(1000));
    const root = Root.open(pkg);
    expect(root.read('big.yaml', 1000, () => new Error('too large')).bytes.length).toBe(1000);
    expect(() => root.read('big.yaml', 999, () => new Error('too large'))).toThrow('too large');
  });
});

describe('isStaleTemp', () => {
  const dead = () => false;
  const alive = () => true;
  it.each([
    ['.a.yaml.flatnet-123-0abc.tmp', dead, true],
    ['.a.yaml.flatnet-123.tmp', dead, true],
    ['.a.yaml.flatnet-123-0abc.tmp', alive, false],
    ['a.yaml.flatnet-123.tmp', dead, false],
    ['.a.yaml.flatnet-12x.tmp', dead, false],
    ['.a.yaml.flatnet-123-XYZ.tmp', dead, false],
    ['.flatnet-123.tmp', dead, false],
    [`.a.flatnet-${process.pid}-00.tmp`, dead, false],
  ])('%s', (name, isAlive, stale) => {
    expect(isStaleTemp(name, Date.now(), Date.now(), isAlive)).toBe(stale);
  });
  it('an old one is stale even when its pid lives again', () => {
    expect(isStaleTemp('.a.yaml.flatnet-123-0abc.tmp', 0, 2 * 3600_000, alive)).toBe(true);
  });
  it('is linear on long names', () => {
    const name = `.${'.flatnet-1'.repeat(100_000)}.tmp`;
    const started = Date.now();
    isStaleTemp(name, 0, 0, dead);
    expect(Date.now() - started).toBeLessThan(200);
  });
});

/**
 * The property: a random package (files of random modes, links inside, outside, to nothing, to
 * directories) and a random set of changes (some aimed at links, directories and paths out), with
 * one random system call failing, never changes a byte outside the package, and leaves every file
 * inside either as it was or as asked, with no temporary file.
 */
describe('property: confined and all or nothing', () => {
  const name = fc.constantFrom('a.yaml', 'b.yaml', 'c.yml', 'sub/d.yaml', 'sub/e.yaml', 'new/f.yaml', 'l1.yaml', 'l2.yaml', 'l3.yaml', 'ldir/g.yaml', '../up.yaml', 'sub');
  const change = fc.record({ rel: name, text: fc.option(fc.constantFrom('one\n', 'two\n', ''), { nil: undefined }) });
  const setup = fc.record({
    modes: fc.array(fc.constantFrom(0o600, 0o644, 0o755, 0o400), { minLength: 4, maxLength: 4 }),
    links: fc.array(fc.constantFrom('inside', 'outside', 'dangling', 'dir', 'outdir'), { minLength: 4, maxLength: 4 }),
    changes: fc.uniqueArray(change, { selector: (c) => c.rel, maxLength: 6 }),
    failAt: fc.integer({ min: -1, max: 60 }),
    code: fc.constantFrom('EIO', 'ENOSPC', 'EPERM'),
  });
  it('holds', () => {
    fc.assert(
      fc.property(setup, ({ modes, links, changes, failAt, code }) => {
        const { top, pkg } = area();
        const outside = join(top, 'outside');
        mkdirSync(outside);
        writeFileSync(join(outside, 'x.yaml'), 'outside\n');
        mkdirSync(join(pkg, 'sub'));
        ['a.yaml', 'b.yaml', 'c.yml', 'sub/d.yaml'].forEach((f, i) => writeFileSync(join(pkg, f), `old ${f}\n`, { mode: modes[i]! }));
        const target = { inside: 'a.yaml', outside: join(outside, 'x.yaml'), dangling: 'nothing.yaml', dir: 'sub', outdir: outside };
        ['l1.yaml', 'l2.yaml', 'l3.yaml', 'ldir'].forEach((l, i) => symlinkSync(target[links[i]!], join(pkg, l)));
        const beforeOut = snapshot(outside);
        const before = snapshot(pkg);
        let ok = true;
        try {
          commit(Root.open(pkg), changes, { ops: failingAt(failAt, code) });
        } catch (e) {
          if (!(e instanceof FsError)) throw e;
          ok = false;
        }
        expect(snapshot(outside)).toEqual(beforeOut);
        const after = snapshot(pkg);
        expect([...after.keys()].filter((k) => k.endsWith('.tmp'))).toEqual([]);
        if (!ok) expect(after).toEqual(before);
        else {
          for (const c of changes) {
            const real = lstatSync(join(pkg, c.rel), { throwIfNoEntry: false });
            if (c.text === undefined) expect(real).toBeUndefined();
            else expect(readFileSync(join(pkg, c.rel), 'utf8')).toBe(c.text);
          }
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
