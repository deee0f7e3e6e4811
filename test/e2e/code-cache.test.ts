/**
 * The V8 code caches beside the executables (dist/flatnet.js.v8cache, dist/fn/<fn>.js.v8cache;
 * scripts/executable.cjs): used when they were made for the bundle, and changing nothing a run
 * prints or returns; ignored, silently, when absent, stale, truncated, corrupt or rejected by V8;
 * and never written at run time except on the build's request. The executables are the same
 * bytes in every build of the same sources.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyPackage, DIST, requireDist, ROOT } from './support';

interface ExecutableLib {
  CACHE_SUFFIX: string;
  HEADER_BYTES: number;
  executable(bundle: string): { text: string; hash: string };
  embeddedBundle(text: string): string;
  compiledText(bundle: string): string;
  cacheHeader(buf: Buffer): { hash: string; crc32: string } | undefined;
}
// A CommonJS script of the build, loaded as it is.
const lib = require(join(ROOT, 'scripts', 'executable.cjs')) as ExecutableLib;
const { CACHE_SUFFIX, HEADER_BYTES } = lib;

requireDist();
const FLEET = join(ROOT, 'examples', 'fleet');
const CLI = join(DIST, 'flatnet.js');
const FNS = readdirSync(join(DIST, 'fn')).filter((f) => f.endsWith('.js')).sort().map((f) => join(DIST, 'fn', f));
const ALL = [CLI, ...FNS];
const label = (file: string) => file.slice(DIST.length + 1);

/** The environment of a plain run: no NODE_OPTIONS (other V8 flags would make V8 refuse any cache). */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete e.NODE_OPTIONS;
  if (!('FLATNET_DEBUG_CODE_CACHE' in extra)) delete e.FLATNET_DEBUG_CODE_CACHE;
  if (!('FLATNET_WRITE_CODE_CACHE' in extra)) delete e.FLATNET_WRITE_CODE_CACHE;
  return e;
}
type Run = Pick<SpawnSyncReturns<string>, 'status' | 'stdout' | 'stderr'>;
function run(cmd: string[], opts: { cwd: string; input?: string; env?: NodeJS.ProcessEnv }): Run {
  const [file, ...args] = cmd;
  const r = spawnSync(file!, args, { cwd: opts.cwd, input: opts.input ?? '', env: opts.env ?? env(), encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
/** What the loader says about the cache (FLATNET_DEBUG_CODE_CACHE), and the run's own stderr without that line. */
function traced(cmd: string[], opts: { cwd: string; input?: string; env?: NodeJS.ProcessEnv }): Run & { cache: string } {
  const r = run(cmd, { ...opts, env: { ...(opts.env ?? env()), FLATNET_DEBUG_CODE_CACHE: '1' } });
  const m = /^flatnet: code cache .*: (.*)\n/.exec(r.stderr);
  return { ...r, cache: m ? m[1]! : `(no trace line on stderr: ${JSON.stringify(r.stderr.slice(0, 200))})`, stderr: m ? r.stderr.slice(m[0].length) : r.stderr };
}

/** A copy of an executable alone in a new folder, with the given bytes as its cache (none: no cache). */
function alone(file: string, cache?: Buffer | 'directory'): string {
  const dir = mkdtempSync(join(tmpdir(), 'flatnet-cc-'));
  const copy = join(dir, file.slice(file.lastIndexOf('/') + 1));
  copyFileSync(file, copy);
  chmodSync(copy, 0o755);
  if (cache === 'directory') mkdirSync(copy + CACHE_SUFFIX);
  else if (cache) writeFileSync(copy + CACHE_SUFFIX, cache);
  return copy;
}

// The runs compared: the CLI's main commands on a copy of the example (check has findings there:
// exit 1), and every function on the ResourceList of the rendered example.
const pkg = copyPackage(FLEET);
const rendered = run([CLI, 'render', '.', '--output', 'stdout'], { cwd: pkg });
const cases: Array<[string, string, string[], string]> = [
  ['flatnet.js check', CLI, ['check', '.'], ''],
  ['flatnet.js render --output stdout', CLI, ['render', '.', '--output', 'stdout'], ''],
  ['flatnet.js --version', CLI, ['--version'], ''],
  ...FNS.map((f): [string, string, string[], string] => [label(f), f, [], rendered.stdout]),
];

describe('the code caches of dist/', () => {
  it('the example renders (the input of the function cases)', () => {
    expect(rendered.status).toBe(0);
    expect(rendered.stdout).toMatch(/^kind: ResourceList$/m);
  });

  it.each(ALL.map((f) => [label(f), f]))('%s has a cache beside it, made for its bundle', (_l, file) => {
    const cache = file + CACHE_SUFFIX;
    if (!existsSync(cache)) throw new Error(`${cache} is missing: npm run build trains it (not with --no-code-cache)`);
    const header = lib.cacheHeader(readFileSync(cache));
    expect(header?.hash).toBe(lib.executable(lib.embeddedBundle(readFileSync(file, 'utf8'))).hash);
  });

  it.each(cases)('%s: the same stdout, stderr and exit code with its cache (used) and without it', (_l, file, args, input) => {
    const withCache = traced([file, ...args], { cwd: pkg, input });
    const without = traced([alone(file), ...args], { cwd: pkg, input });
    expect(withCache.cache).toBe('used');
    expect(without.cache).toBe('absent');
    expect(withCache.status).toBe(without.status);
    expect(withCache.stdout).toBe(without.stdout);
    expect(withCache.stderr).toBe(without.stderr);
    // And without the trace, nothing about the cache is said.
    const plain = run([file, ...args], { cwd: pkg, input });
    expect(plain).toEqual({ status: without.status, stdout: without.stdout, stderr: without.stderr });
  });

  it('check has findings on the example, so the comparison above covers a non-zero exit', () => {
    expect(run([CLI, 'check', '.'], { cwd: pkg }).status).toBe(1);
  });
});

describe('a cache that does not fit is ignored, silently', () => {
  const good = readFileSync(CLI + CACHE_SUFFIX);
  const otherBundle = readFileSync(join(DIST, 'fn', 'validate-flat-network.js') + CACHE_SUFFIX);
  const flipped = Buffer.from(good);
  const middle = HEADER_BYTES + ((good.length - HEADER_BYTES) >> 1);
  flipped.writeUInt8(flipped.readUInt8(middle) ^ 0xff, middle);
  const hashAt = 'flatnet-v8cache 1 '.length;
  const wrongCrc = Buffer.from(good);
  wrongCrc.write('00000000', hashAt + 32 + 1, 'latin1');
  const badCases: Array<[string, Buffer | 'directory', string]> = [
    ["another bundle's cache (a header with another hash)", otherBundle, 'not made for this bundle'],
    ['a header with one hex digit of the hash changed', Buffer.concat([good.subarray(0, hashAt), Buffer.from(good.readUInt8(hashAt) === 0x30 ? '1' : '0'), good.subarray(hashAt + 1)]), 'not made for this bundle'],
    ['the V8 data without a header', good.subarray(HEADER_BYTES), 'not made for this bundle'],
    ['an empty file', Buffer.alloc(0), 'not made for this bundle'],
    ['the header alone', good.subarray(0, HEADER_BYTES), 'not made for this bundle'],
    ['truncated to half', good.subarray(0, good.length >> 1), 'corrupt'],
    ['a byte of the V8 data flipped (V8 alone would run it or abort)', flipped, 'corrupt'],
    ['the right header and garbage', Buffer.concat([good.subarray(0, HEADER_BYTES), Buffer.alloc(good.length - HEADER_BYTES, 0x5a)]), 'corrupt'],
    ['garbage', Buffer.alloc(4096, 0xa5), 'not made for this bundle'],
    ['a directory where the file would be', 'directory', 'unreadable'],
  ];
  const baseline = run([alone(CLI), 'check', '.'], { cwd: pkg });

  it.each(badCases)('%s', (_l, cache, state) => {
    const r = traced([alone(CLI, cache), 'check', '.'], { cwd: pkg });
    expect(r.cache).toBe(state);
    expect(r).toMatchObject(baseline);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it('the crc32 case is real: a wrong crc32 in the header is refused even with intact data', () => {
    expect(lib.cacheHeader(wrongCrc)?.crc32).toBe('00000000');
    expect(traced([alone(CLI, wrongCrc), 'check', '.'], { cwd: pkg }).cache).toBe('corrupt');
  });

  it.each([
    ['a V8 flag on the command line', (f: string) => [process.execPath, '--max-semi-space-size=32', f], env()],
    ['a V8 flag in NODE_OPTIONS', (f: string) => [f], { ...env(), NODE_OPTIONS: '--max-old-space-size=2048' }],
  ])('rejected by V8 under %s: compiled as usual, same output', (_l, cmd, e) => {
    const r = traced([...cmd(CLI), 'check', '.'], { cwd: pkg, env: e });
    expect(r.cache).toBe('rejected by V8 (another Node or other V8 flags)');
    expect(r).toMatchObject(baseline);
  });
});

describe('the loader (scripts/executable.cjs)', () => {
  // Two bundles of the same length that print different things: V8 checks a cache only against
  // the length of the source, so A's cache would run A's code for B without the header's hash.
  const A = 'process.stdout.write("AAAA\\n");';
  const B = 'process.stdout.write("BBBB\\n");';
  const dir = mkdtempSync(join(tmpdir(), 'flatnet-loader-'));
  const make = (name: string, bundle: string) => {
    const file = join(dir, name);
    writeFileSync(file, lib.executable(`#!/usr/bin/env node\n${bundle}`).text);
    chmodSync(file, 0o755);
    return file;
  };
  const a = make('a.js', A);
  const b = make('b.js', B);

  it('writes a cache only when asked, through a temporary file, and hides the request from the bundle', () => {
    const spy = make('spy.js', 'process.stdout.write(String(process.env.FLATNET_WRITE_CODE_CACHE));');
    expect(run([spy], { cwd: dir }).stdout).toBe('undefined');
    expect(existsSync(spy + CACHE_SUFFIX)).toBe(false);
    const r = run([spy], { cwd: dir, env: env({ FLATNET_WRITE_CODE_CACHE: spy + CACHE_SUFFIX }) });
    expect(r).toEqual({ status: 0, stdout: 'undefined', stderr: '' });
    expect(readdirSync(dir).filter((n) => n.startsWith('spy.js'))).toEqual(['spy.js', `spy.js${CACHE_SUFFIX}`]);
    expect(traced([spy], { cwd: dir }).cache).toBe('used');
  });

  it('fails the run (exit 70, one line) when it cannot write the cache it was asked for', () => {
    const r = run([a], { cwd: dir, env: env({ FLATNET_WRITE_CODE_CACHE: join(dir, 'no-such-dir', 'x.v8cache') }) });
    expect(r.status).toBe(70);
    expect(r.stdout).toBe('AAAA\n');
    expect(r.stderr).toMatch(/^flatnet: could not write the code cache .*no-such-dir\/x\.v8cache: .*\n$/);
  });

  it("refuses a same-length bundle's cache, which V8 alone would accept", () => {
    expect(A.length).toBe(B.length);
    expect(run([a], { cwd: dir, env: env({ FLATNET_WRITE_CODE_CACHE: a + CACHE_SUFFIX }) }).status).toBe(0);
    const cacheOfA = readFileSync(a + CACHE_SUFFIX);
    // V8 alone (in a Node with the loaders' flags, none): A's data is accepted for B's text, and
    // B's text runs A's code.
    const probe = `const vm = require('vm'); const fs = require('fs');
      const s = new vm.Script(${JSON.stringify(lib.compiledText(lib.embeddedBundle(readFileSync(b, 'utf8'))))}, { cachedData: fs.readFileSync(${JSON.stringify(a + CACHE_SUFFIX)}).subarray(${HEADER_BYTES}) });
      process.stdout.write(String(s.cachedDataRejected)); s.runInThisContext()(exports, require, module, "", "");`;
    expect(run([process.execPath, '-e', probe], { cwd: dir }).stdout).toBe('falseAAAA\n');
    // The loader: refused, and B runs B.
    writeFileSync(b + CACHE_SUFFIX, cacheOfA);
    const r = traced([b], { cwd: dir });
    expect(r.cache).toBe('not made for this bundle');
    expect(r.stdout).toBe('BBBB\n');
    expect(traced([a], { cwd: dir })).toMatchObject({ cache: 'used', stdout: 'AAAA\n' });
  });

  it('names the executable in stack traces', () => {
    const thrower = make('thrower.js', 'function f() { throw new Error("boom"); }\nf();');
    const r = run([thrower], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${thrower}:2`);
  });

  it('gives the bundle the CommonJS module it would have as a file of its own', () => {
    const probe = make('probe.js', 'process.stdout.write(JSON.stringify([__filename, __dirname, require.main === module, module.exports === exports, typeof require("node:path").join, this === module.exports]));');
    expect(JSON.parse(run([probe], { cwd: tmpdir() }).stdout)).toEqual([probe, dir, true, true, 'function', true]);
  });
});

describe('the executables are the same bytes in every build', () => {
  it('a second build (without caches) writes byte-identical executables', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'flatnet-build-twice-')), 'dist');
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--outdir', out, '--no-code-cache'], { cwd: ROOT, encoding: 'utf8', env: env() });
    expect(r.status).toBe(0);
    for (const file of ALL) {
      const again = readFileSync(join(out, label(file)));
      expect(again.equals(readFileSync(file))).toBe(true);
    }
    expect(existsSync(join(out, 'flatnet.js') + CACHE_SUFFIX)).toBe(false);
  });

  it.each(ALL.map((f) => [label(f), f]))('%s is exactly the loader and its bundle', (_l, file) => {
    const text = readFileSync(file, 'utf8');
    expect(lib.executable(lib.embeddedBundle(text)).text).toBe(text);
  });
});
