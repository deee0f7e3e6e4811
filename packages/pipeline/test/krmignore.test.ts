/**
 * `.krmignore` as kpt reads it (kyaml → go-gitignore → Go's filepath.Match): the semantics table,
 * the walk, the limits. Expected values are kpt's, checked against go-gitignore itself where they
 * differ from git (noted "git: ..."); see the contract at the top of src/krmignore.ts. Then the
 * matcher against a plain recursive oracle on random rules and paths (`npm run fuzz` runs many
 * more), and its cost: the rule that hung the RegExp matcher, linear growth, the limits' worst case.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { KrmInputError } from '@flatnet/krm';
import { parseKrmignore, readPackage } from '@flatnet/pipeline';
import { KRMIGNORE_LIMITS } from '../src/krmignore';

const RUNS = Number(process.env.FLATNET_FUZZ_RUNS ?? 150) * 10;
const SEED = Number(process.env.FLATNET_FUZZ_SEED ?? 8);

const ignored = (rules: string, path: string, isDir = false): boolean => parseKrmignore(rules)(path, isDir);

describe('.krmignore semantics', () => {
  it.each<[string, string, boolean, boolean]>([
    // plain names match at any depth
    ['.expected/', '.expected', true, true],
    ['.expected/', 'a/.expected', true, true],
    ['*.json', 'a/b.json', false, true],
    ['Kptfile', 'sub/Kptfile', false, true],
    // a leading `/` anchors at the package root
    ['/dist', 'dist', true, true],
    ['/dist', 'a/dist', true, false],
    ['/a/b', 'a/b', false, true],
    ['/a/b', 'x/a/b', false, false],
    // an inner `/` does not (git: it does): the rule's last segments match the path's last ones
    ['a/b', 'a/b', false, true],
    ['a/b', 'x/a/b', false, true],
    ['a/b', 'a/b/c', false, false],
    ['a/*.yaml', 'x/y/a/c.yaml', false, true],
    // leading and trailing slashes beyond the first are cut off
    ['//a', 'a', false, true],
    ['a//', 'a', true, true],
    // `**` is two `*`: never across a `/` (git: any number of directories)
    ['docs/**/*.yaml', 'docs/a/c.yaml', false, true],
    ['docs/**/*.yaml', 'x/docs/a/c.yaml', false, true],
    ['docs/**/*.yaml', 'docs/a/b/c.yaml', false, false],
    ['docs/**/*.yaml', 'docs/c.yaml', false, false],
    ['**/a.yaml', 'x/a.yaml', false, true],
    ['**/a.yaml', 'x/y/a.yaml', false, true],
    ['**/a.yaml', 'a.yaml', false, false],
    ['docs/**', 'docs/a', true, true],
    ['docs/**', 'docs/a/b.yaml', false, false],
    ['a**b', 'axyb', false, true],
    ['a**b', 'ax/yb', false, false],
    // a trailing `/`: directories only
    ['build/', 'build', true, true],
    ['build/', 'build', false, false],
    ['a/b/', 'x/a/b', true, true],
    ['/a/b/', 'a/b', true, true],
    // `!`: an accept rule wins over every ignore rule, wherever it stands (git: the last match wins)
    ['*.yaml\n!keep.yaml', 'keep.yaml', false, false],
    ['!keep.yaml\n*.yaml', 'keep.yaml', false, false],
    ['!keep.yaml\n*.yaml', 'other.yaml', false, true],
    ['gen/\n!gen/', 'gen', true, false],
    ['!x', 'x', false, false],
    ['*.yaml\n!/keep.yaml', 'a/keep.yaml', false, true],
    // comments, blank lines, spaces, line ends
    ['# comment', '# comment', false, false],
    ['  # comment', '# comment', false, false],
    ['\n\n   \nfoo', 'foo', false, true],
    ['a.yaml\r\nb.yaml\r\n', 'b.yaml', false, true],
    ['a.yaml \r\n', 'a.yaml', false, true],
    ['a.yaml   ', 'a.yaml', false, true],
    ['   a.yaml', 'a.yaml', false, true],
    ['a.yaml\t', 'a.yaml', false, false],
    ['a.yaml\r\r\n', 'a.yaml\r', false, true],
    // escapes: `\#` only at the start of a line; `\` escapes only in a rule with a wildcard
    ['\\#notes.yaml', '#notes.yaml', false, true],
    ['\\!x.yaml', '!x.yaml', false, false],
    ['\\!x.yaml', '\\!x.yaml', false, true],
    ['\\!x*', '!x.yaml', false, true],
    ['\\*.yaml', '*.yaml', false, true],
    ['\\*.yaml', 'a.yaml', false, false],
    ['a\\ ', 'a\\', false, true],
    // wildcards and classes
    ['a?c', 'abc', false, true],
    ['a?c', 'ac', false, false],
    ['[ab].yaml', 'a.yaml', false, true],
    ['[ab].yaml', 'c.yaml', false, false],
    ['[^ab].yaml', 'c.yaml', false, true],
    ['[a-c]x', 'bx', false, true],
    ['[\\]]x', ']x', false, true],
    ['?.yaml', 'é.yaml', false, true],
    // malformed rules match nothing
    ['[a', '[a', false, false],
    ['[]a]', ']', false, false],
    ['a*\\', 'ab\\', false, false],
    // kept quirks: a class matches `/`; a rooted rule also meets a longer path's first segments
    // with their `/`; Go's greedy `*`; `*` steps bytes, not characters
    ['a[/]b', 'x/a/b', false, true],
    ['/a[^x]', 'a/b.yaml', false, true],
    ['/a[^x]', 'a', true, false],
    ['*[a/]*b', 'a/b', false, false],
    ['*??', '€', false, true],
  ])('%j on %j (dir %s): %s', (rules, path, isDir, expected) => {
    expect(ignored(rules, path, isDir)).toBe(expected);
  });
});

describe('.krmignore in a package walk', () => {
  const pkg = (files: Record<string, string>): string => {
    const dir = mkdtempSync(join(tmpdir(), 'flatnet-krmignore-'));
    for (const [name, text] of Object.entries({ Kptfile: 'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: p\n', ...files })) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    return dir;
  };
  const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
  const read = (dir: string): string[] => [...readPackage(dir).files.keys()].sort();

  it('skips an ignored directory whole: an accept rule cannot bring back a file below it', () => {
    const dir = pkg({ '.krmignore': 'gen/\n!gen/keep.yaml\n!keep.yaml\n', 'gen/keep.yaml': cm('a'), 'gen/b.yaml': cm('b'), 'c.yaml': cm('c') });
    expect(read(dir)).toEqual(['Kptfile', 'c.yaml']);
  });

  it('reads what an accept rule keeps from a wider ignore rule', () => {
    const dir = pkg({ '.krmignore': '*.yaml\n!keep.yaml\n', 'keep.yaml': cm('a'), 'drop.yaml': cm('b'), 'sub/keep.yaml': cm('c') });
    expect(read(dir)).toEqual(['Kptfile', 'keep.yaml', 'sub/keep.yaml']);
  });

  it('ignores below a directory a `**` rule matches, though the rule alone matches no deeper', () => {
    const dir = pkg({ '.krmignore': 'docs/**\n', 'docs/a/b.yaml': cm('a'), 'docs/c.yaml': cm('c'), 'd.yaml': cm('d') });
    expect(read(dir)).toEqual(['Kptfile', 'd.yaml']);
  });

  it("takes a directory named .krmignore for no ignore file, as kpt does", () => {
    const dir = pkg({ '.krmignore/x': '', 'a.yaml': cm('a') });
    expect(read(dir)).toEqual(['Kptfile', 'a.yaml']);
  });

  it('names the file, from the root package, and the line of an unusable rule', () => {
    const dir = pkg({ 'sub/Kptfile': 'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: s\n', 'sub/.krmignore': '# fine\n!\n' });
    expect(() => readPackage(dir)).toThrow(new KrmInputError('not-resource-list', 'sub/.krmignore line 2: "!" is no rule (kpt crashes on it); remove the line'));
  });

  it('refuses an oversized .krmignore before reading it, and one that is not UTF-8', () => {
    expect(() => readPackage(pkg({ '.krmignore': 'a\n'.repeat(KRMIGNORE_LIMITS.maxBytes) }))).toThrow('.krmignore is 16384 bytes: flatnet reads a .krmignore of at most 8192 bytes (8 KiB); shorten it');
    const dir = pkg({});
    writeFileSync(join(dir, '.krmignore'), Buffer.from([0x61, 0xff, 0x0a]));
    expect(() => readPackage(dir)).toThrow('.krmignore is not valid UTF-8');
  });
});

describe('.krmignore limits', () => {
  const thrown = (text: string, file?: string): KrmInputError => {
    try {
      parseKrmignore(text, file);
    } catch (e) {
      if (e instanceof KrmInputError) return e;
      throw e;
    }
    throw new Error('no error');
  };

  it.each([
    ['/', '.krmignore line 1: "/" is no rule (kpt crashes on it); remove the line'],
    ['a\n  !  ', '.krmignore line 2: "!" is no rule (kpt crashes on it); remove the line'],
    ['!/', '.krmignore line 1: "!/" is no rule (kpt crashes on it); remove the line'],
  ])('refuses %j, on which kpt crashes', (text, message) => {
    expect(thrown(text).message).toBe(message);
  });

  it('takes as many rules and as long a rule as allowed, and refuses one more', () => {
    const rules = Array.from({ length: KRMIGNORE_LIMITS.maxRules }, (_, i) => `${i}`);
    expect(parseKrmignore(`# many\n${rules.join('\n')}`)('999', false)).toBe(true);
    const e = thrown(`# many\n${rules.join('\n')}\n\nmore`, 'p/.krmignore');
    expect([e.code, e.message]).toEqual(['too-large', 'p/.krmignore line 1003: more than 1000 rules; flatnet reads at most 1000: merge rules with wildcards']);
    const max = 'a'.repeat(KRMIGNORE_LIMITS.maxRuleLength);
    expect(parseKrmignore(`  ${max}  `)(max, false)).toBe(true);
    expect(thrown(`x\n${max}b`).message).toBe('.krmignore line 2: the rule is 1025 characters long; flatnet reads rules of at most 1024: shorten it');
  });

  it('refuses text over the size limit', () => {
    expect(thrown('#'.repeat(KRMIGNORE_LIMITS.maxBytes + 1)).message).toBe('.krmignore is 8193 bytes: flatnet reads a .krmignore of at most 8192 bytes (8 KiB); shorten it');
  });
});

/**
 * A rule as the property test draws it, over an alphabet on which Go's greedy `*` and its other
 * quirks agree with the plain reading of the syntax (no class holds `/` or is negated, so only a
 * literal `/` meets one): there, the oracle below says what kpt does.
 */
type Tok = { lit: string } | { star: true } | { any: true } | { set: string };
interface DrawnRule {
  accept: boolean;
  rooted: boolean;
  dirOnly: boolean;
  segments: Tok[][];
  pad: string;
}
const TOKENS: Array<[Tok, string]> = [
  [{ lit: 'a' }, 'a'],
  [{ lit: 'b' }, 'b'],
  [{ star: true }, '*'],
  [{ any: true }, '?'],
  [{ set: 'ab' }, '[ab]'],
  [{ set: 'bc' }, '[b-c]'],
];
const tok = fc.constantFrom(...TOKENS);
const drawnRule = fc.record({
  accept: fc.boolean(),
  rooted: fc.boolean(),
  dirOnly: fc.boolean(),
  segments: fc.array(fc.array(tok, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
  pad: fc.constantFrom('', ' ', '  '),
});
const render = (r: { accept: boolean; rooted: boolean; dirOnly: boolean; segments: Array<Array<[Tok, string]>>; pad: string }): string =>
  `${r.pad}${r.accept ? '!' : ''}${r.rooted ? '/' : ''}${r.segments.map((seg) => seg.map(([, text]) => text).join('')).join('/')}${r.dirOnly ? '/' : ''}${r.pad}`;
const drawnPath = fc.array(fc.stringMatching(/^[abc]{1,3}$/), { minLength: 1, maxLength: 4 }).map((segs) => segs.join('/'));

/** Whether `toks` match all of `s`, by the book: `*` any run of non-`/`, `?` one non-`/`. */
function matchesAll(toks: readonly Tok[], s: string): boolean {
  const memo = new Map<number, boolean>();
  const at = (i: number, j: number): boolean => {
    const key = i * (s.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const t = toks[i];
    let r: boolean;
    if (!t) r = j === s.length;
    else if ('star' in t) r = at(i + 1, j) || (j < s.length && s[j] !== '/' && at(i, j + 1));
    else if ('any' in t) r = j < s.length && s[j] !== '/' && at(i + 1, j + 1);
    else if ('set' in t) r = j < s.length && t.set.includes(s[j]!) && at(i + 1, j + 1);
    else r = s[j] === t.lit && at(i + 1, j + 1);
    memo.set(key, r);
    return r;
  };
  return at(0, 0);
}

/** kpt's reading, said plainly: accept rules beat ignore rules; a rule of d segments meets the path's last d (rooted: the path is d long). */
function oracle(rules: ReadonlyArray<Omit<DrawnRule, 'pad'>>, path: string, isDir: boolean): boolean {
  const segs = path.split('/');
  const hit = (r: Omit<DrawnRule, 'pad'>): boolean => {
    const d = r.segments.length;
    if ((r.dirOnly && !isDir) || (r.rooted ? segs.length !== d : segs.length < d)) return false;
    const toks = r.segments.flatMap((seg, i) => (i === 0 ? seg : [{ lit: '/' }, ...seg]));
    return matchesAll(toks, segs.slice(segs.length - d).join('/'));
  };
  return !rules.some((r) => r.accept && hit(r)) && rules.some((r) => !r.accept && hit(r));
}

describe('.krmignore against an oracle', () => {
  it('agrees with a plain recursive matcher on random rules and paths', () => {
    let hits = 0;
    fc.assert(
      fc.property(fc.array(drawnRule, { minLength: 1, maxLength: 4 }), drawnPath, fc.boolean(), fc.constantFrom('\n', '\r\n'), (drawn, path, isDir, eol) => {
        const text = drawn.map(render).join(eol);
        const plain = drawn.map((r) => ({ ...r, segments: r.segments.map((seg) => seg.map(([t]) => t)) }));
        const expected = oracle(plain, path, isDir);
        if (expected) hits++;
        expect(parseKrmignore(text)(path, isDir)).toBe(expected);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(hits).toBeGreaterThan(RUNS / 20); // not a test of "nothing matches"
  });

  it('reads any text within the limits: a matcher, or a worded input error; matching never throws', () => {
    const piece = fc.constantFrom('a', 'é', '€', '/', '*', '?', '[', ']', '^', '-', '\\', '!', '#', ' ', '\t', '\r', '\n', '[a-c]', '[^/]', '**');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), drawnPath, fc.boolean(), (pieces, path, isDir) => {
        let m: ReturnType<typeof parseKrmignore>;
        try {
          m = parseKrmignore(pieces.join(''));
        } catch (e) {
          expect(e).toBeInstanceOf(KrmInputError);
          return;
        }
        expect(typeof m(path, isDir)).toBe('boolean');
        expect(typeof m(`${path}/é€/*`, isDir)).toBe('boolean');
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe('.krmignore cost', () => {
  // It backtracked past 30 s on a 60-character name as a RegExp.
  const HOSTILE = '*a*a*a*a*a*a*a*a*a*a*ab';
  const elapsed = (f: () => void): number => {
    const t0 = performance.now();
    f();
    return performance.now() - t0;
  };
  const median = (f: () => void, samples = 15): number => {
    const xs = Array.from({ length: samples }, () => elapsed(f)).sort((a, b) => a - b);
    return xs[samples >> 1]!;
  };

  it.each([60, 10_000])('matches the rule that hung the RegExp matcher on a %i-character name in well under 100 ms', (n) => {
    const m = parseKrmignore(HOSTILE);
    for (const name of ['a'.repeat(n), `${'a'.repeat(n)}é`, `x/${'a'.repeat(n)}`]) {
      let result = true;
      expect(elapsed(() => (result = m(name, false)))).toBeLessThan(100);
      expect(result).toBe(false);
    }
    expect(m(`${'a'.repeat(n)}b`, false)).toBe(true);
  });

  it('takes time linear in the path: twice the name, at most about twice the time', () => {
    const m = parseKrmignore(`${HOSTILE}\n*b*b*b*b*b*ba`);
    // The trailing é takes the byte-by-byte scan (not the one-offset shortcut of ASCII paths).
    const time = (n: number): number => {
      const names = [`${'a'.repeat(n)}é`, 'a'.repeat(n), `${'ab'.repeat(n / 2)}é`];
      return median(() => {
        for (let i = 0; i < 10; i++) for (const name of names) m(name, false);
      });
    };
    time(2_000); // warm up the JIT
    let ratio = Infinity;
    // Medians, and up to three tries: a busy machine slows a sample, not the growth.
    for (let attempt = 0; attempt < 3 && ratio > 2.5; attempt++) ratio = time(40_000) / time(20_000);
    expect(ratio).toBeLessThan(2.5);
  });

  it("bounds the worst case: a full .krmignore of the costliest rules on a 255-byte name", () => {
    // Each rule's run is tried at every offset of the name: O(file × segment), the bound the
    // limits keep (40–60 ms on the 2-core machine; go-gitignore has the same bound).
    const rule = (i: number): string => `*${'a'.repeat(8)}b*${i % 100}`;
    const rules: string[] = [];
    for (let i = 0, bytes = 0; bytes + rule(i).length + 1 <= KRMIGNORE_LIMITS.maxBytes; bytes += rule(i).length + 1, i++) rules.push(rule(i));
    const m = parseKrmignore(rules.join('\n'));
    m('a'.repeat(255), false);
    expect(median(() => m('a'.repeat(255), false), 5)).toBeLessThan(1000);
  });
});
