/**
 * The built bundles, run as processes the way kpt runs them: the KRM protocol at the edges
 * (bad input, JSON input, help, exit codes, stderr) for every dist/fn/*.js and `flatnet fn`.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DIST, requireDist, ROOT } from './support';

// A CommonJS script of the build, loaded as it is.
const executableLib = require(join(ROOT, 'scripts', 'executable.cjs')) as {
  executable(bundle: string): { text: string };
  embeddedBundle(text: string): string;
  loaderOf(text: string): string;
};

requireDist();
const bundles = readdirSync(join(DIST, 'fn')).filter((f) => f.endsWith('.js')).sort();

const run = (cmd: string[], input: string) => {
  const [file, ...args] = cmd;
  const r = spawnSync(file!, args, { input, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

const EMPTY = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n';
const list = (items: string) => `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${items}`;

const BAD_INPUTS: Array<[string, string, RegExp]> = [
  ['invalid YAML', 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- {a: [1\n', /not valid YAML/],
  ['not a ResourceList', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n', /not a ResourceList: it is a ConfigMap/],
  ['an item without kind', list('- apiVersion: v1\n  metadata: {name: x}\n'), /item 1 \(line 4\) is not a KRM object: it has no `kind`/],
  ['empty input', '', /input is empty/],
  ['invalid UTF-8', '\xff\xfe\xfd', /not valid UTF-8|not a ResourceList/],
  ['two documents', `${EMPTY}---\n${EMPTY}`, /2 YAML documents/],
];

describe.each(bundles.map((b) => [b]))('%s', (bundle) => {
  const cmds: Array<[string, string[]]> = [
    ['bundle', [join(DIST, 'fn', bundle)]],
    ['flatnet fn', [join(DIST, 'flatnet.js'), 'fn', bundle.replace(/\.js$/, '')]],
  ];
  describe.each(cmds)('as %s', (_label, cmd) => {
    it.each(BAD_INPUTS)('%s: exit 1, an error result in a ResourceList, one clean line on stderr', (_name, input, pattern) => {
      const r = run(cmd, input);
      expect(r.status).toBe(1);
      const out = parse(r.stdout) as { kind: string; results: Array<{ severity: string; message: string }> };
      expect(out.kind).toBe('ResourceList');
      expect(out.results).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringMatching(pattern) })]);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    });

    it('accepts JSON input and answers in YAML', () => {
      const input = JSON.stringify({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'j' }, data: { a: 'b' } }] });
      const r = run(cmd, input);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('items:\n- apiVersion: v1\n  kind: ConfigMap\n');
      expect(parse(r.stdout)).toMatchObject({ items: [{ metadata: { name: 'j' }, data: { a: 'b' } }] });
    });

    it('passes an item it does not own through byte for byte', () => {
      const foreign = "- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: unrelated # a comment\n  data:\n    \"key\": 'quoted'   # odd style\n    block: |\n      line one\n        line two\n";
      const r = run(cmd, list(foreign));
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(foreign);
    });
  });

  it('is a self-contained executable: runs from a folder with no node_modules in reach', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flatnet-bundle-'));
    const copy = join(dir, bundle);
    copyFileSync(join(DIST, 'fn', bundle), copy);
    expect(statSync(join(DIST, 'fn', bundle)).mode & 0o755).toBe(0o755);
    chmodSync(copy, 0o755);
    expect(readFileSync(copy, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const r = spawnSync(copy, [], { input: EMPTY, encoding: 'utf8', cwd: dir, env: { PATH: process.env.PATH ?? '' } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(parse(r.stdout)).toMatchObject({ kind: 'ResourceList', items: [] });
  });

  it('prints help with --help and exits 0', () => {
    const r = run([join(DIST, 'fn', bundle), '--help'], '');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(bundle.replace(/\.js$/, ''));
  });
});

describe('flatnet CLI', () => {
  const cli = join(DIST, 'flatnet.js');
  it('exits 2 with one line on stderr for an unknown command', () => {
    const r = run([cli, 'frobnicate'], '');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^flatnet: unknown command "frobnicate"\n/);
  });
  it('exits 2 for an unknown function', () => {
    const r = run([cli, 'fn', 'nope'], '');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown function "nope"');
  });
  it('lists its functions', () => {
    const r = run([cli, 'fn', '--list'], '');
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n').sort()).toEqual(bundles.map((b) => b.replace(/\.js$/, '')));
  });
  it('prints its version', () => {
    expect(run([cli, '--version'], '').stdout).toMatch(/^flatnet \d+\.\d+\.\d+/);
  });
});

describe('safe by construction (issue 8)', () => {
  const all = [...bundles.map((b) => join(DIST, 'fn', b)), join(DIST, 'flatnet.js')];
  it.each(all.map((f) => [f.slice(DIST.length + 1), f]))('%s compiles no code at run time and loads no network module', (_n, file) => {
    // The bundle, embedded as a string in the executable: no eval, no new Function, no vm.
    const code = executableLib.embeddedBundle(readFileSync(file, 'utf8'));
    expect(code).not.toMatch(/\bnew Function\s*\(|[^\w.$]eval\s*\(/);
    const modules = [...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!.replace(/^node:/, ''));
    expect(modules).toContain('process'); // the extraction worked
    expect(modules.filter((m) => /^(https?|http2|net|tls|dgram|dns|inspector|vm|worker_threads|cluster)$/.test(m))).toEqual([]);
    // Only the CLI starts processes (git, for --base); the function bundles start none.
    if (!file.endsWith('flatnet.js')) expect(modules).not.toContain('child_process');
  });

  it.each(all.map((f) => [f.slice(DIST.length + 1), f]))('%s: its loader compiles the bundle embedded in the same file, and nothing else', (_n, file) => {
    const text = readFileSync(file, 'utf8');
    // The file is exactly scripts/executable.cjs's loader and the bundle: the same loader in every executable.
    expect(executableLib.executable(executableLib.embeddedBundle(text)).text).toBe(text);
    const loader = executableLib.loaderOf(text);
    expect(loader).toBe(executableLib.loaderOf(readFileSync(join(DIST, 'flatnet.js'), 'utf8')));
    expect(loader).not.toMatch(/\bnew Function\s*\(|[^\w.$]eval\s*\(|runInNewContext|compileFunction/);
    expect([...loader.matchAll(/require\('([^']+)'\)/g)].map((m) => m[1]).sort()).toEqual(['fs', 'vm', 'zlib']);
    expect(loader.match(/new vm\.Script\(/g)).toHaveLength(1);
    expect(loader).toContain('const text = "(function (exports, require, module, __filename, __dirname) { " + source + "\\n});";');
  });
});

describe('regressions found by the fuzz suite', () => {
  it.each(bundles.map((b) => [b]))('collection-key-warning: %s writes nothing on stderr for a mapping used as a key', (bundle) => {
    const r = run([join(DIST, 'fn', bundle)], list('- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: x\n  data:\n    ? {a: 1}\n    : b\n'));
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });
});
