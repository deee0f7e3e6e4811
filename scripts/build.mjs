#!/usr/bin/env node
// Builds the bundles users run: dist/fn/<function>.js for every functions/<name>/src/index.ts,
// and the CLI dist/flatnet.js. Each is one self-contained executable file (no node_modules): a
// small loader and the esbuild bundle as a string (scripts/executable.cjs), byte-identical for the
// same sources. Then it trains each one's optional V8 code cache, dist/…/<name>.js.v8cache: runs
// it on the example package (examples/fleet, copied to a temporary folder) with
// FLATNET_WRITE_CODE_CACHE set, so that the functions a run compiles are cached.
//
//   node scripts/build.mjs [--outdir DIR] [--no-code-cache]
//
// --outdir builds into DIR (which must be new or empty) instead of dist/; --no-code-cache skips
// the training (the executables are the same, they just have no cache beside them).
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';

const require = createRequire(import.meta.url);
const { CACHE_SUFFIX, cacheHeader, executable } = require('./executable.cjs');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args.splice(i, 2)[1];
};
const outArg = option('--outdir');
const train = !args.includes('--no-code-cache');
const unknown = args.filter((a) => a !== '--no-code-cache');
if (unknown.length || (outArg === undefined && process.argv.includes('--outdir'))) {
  console.error(`build: usage: node scripts/build.mjs [--outdir DIR] [--no-code-cache] (not understood: ${unknown.join(' ') || '--outdir without DIR'})`);
  process.exit(2);
}
const dist = outArg === undefined ? join(root, 'dist') : resolve(outArg);
if (outArg !== undefined && existsSync(dist) && readdirSync(dist).length) {
  console.error(`build: --outdir ${outArg} is not empty`);
  process.exit(2);
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const fnDir = join(root, 'functions');
const functions = readdirSync(fnDir).filter((n) => existsSync(join(fnDir, n, 'src', 'index.ts'))).sort();

const entries = [
  ...functions.map((name) => ({ in: join(fnDir, name, 'src', 'index.ts'), out: join('fn', name) })),
  { in: join(root, 'packages', 'cli', 'src', 'main.ts'), out: 'flatnet' },
];

const started = performance.now();
rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, 'fn'), { recursive: true });
const result = await build({
  entryPoints: entries,
  outdir: dist,
  write: false,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minifySyntax: true,
  legalComments: 'none',
  sourcemap: false,
  tsconfig: join(root, 'tsconfig.json'),
  logLevel: 'warning',
  define: { FLATNET_VERSION: JSON.stringify(pkg.version) },
});
const built = new Map(result.outputFiles.map((f) => [f.path, f.text]));
const executables = new Map(); // entry out ('flatnet', 'fn/<name>') -> { file, hash }
for (const e of entries) {
  const file = join(dist, `${e.out}.js`);
  const bundle = built.get(file);
  if (bundle === undefined) throw new Error(`build: esbuild wrote no ${relative(root, file)}`);
  const { text, hash } = executable(bundle);
  writeFileSync(file, text);
  chmodSync(file, 0o755);
  executables.set(e.out, { file, hash });
}
const bundled = performance.now();

let trained = '';
if (train) {
  if (typeof crc32 !== 'function') {
    trained = ' (no code caches: this Node has no zlib.crc32, which needs Node 20.15 or later)';
  } else {
    await trainCaches();
    trained = `, code caches trained in ${((performance.now() - bundled) / 1000).toFixed(2)} s`;
  }
}
const shown = relative(root, dist).startsWith('..') ? dist : relative(root, dist);
console.error(`built ${functions.length} function bundle(s) and the CLI into ${shown}/ in ${((bundled - started) / 1000).toFixed(2)} s${trained}`);

/**
 * Runs every executable on the example package with FLATNET_WRITE_CODE_CACHE set, so that the
 * cache holds what a real run compiles: the CLI's `check` (findings: the example is not rendered
 * yet) then `render --output stdout`, each run starting from the cache the one before wrote; each
 * function as kpt would run it in the example's Kptfile pipeline, on what the one before gave.
 * Nothing in the repository is written. A run that fails fails the build.
 */
async function trainCaches() {
  const example = join(root, 'examples', 'fleet');
  if (!existsSync(join(example, 'Kptfile'))) throw new Error(`build: the code caches are trained on ${relative(root, example)}, which is missing (run with --no-code-cache to skip them)`);
  const { parse, parseDocument } = await import('yaml');
  const work = mkdtempSync(join(tmpdir(), 'flatnet-build-'));
  try {
    const pkgDir = join(work, 'fleet');
    cpSync(example, pkgDir, { recursive: true, filter: (s) => !s.includes('/.expected') });
    // The same package without a pipeline: `flatnet render` of it prints the ResourceList kpt
    // would give the first function.
    const bare = join(work, 'bare');
    cpSync(pkgDir, bare, { recursive: true });
    const kptfile = parseDocument(readFileSync(join(bare, 'Kptfile'), 'utf8'));
    const pipeline = parse(readFileSync(join(pkgDir, 'Kptfile'), 'utf8'))?.pipeline ?? {};
    kptfile.delete('pipeline');
    writeFileSync(join(bare, 'Kptfile'), String(kptfile));

    const cli = executables.get('flatnet');
    const steps = (kind) => (pipeline[kind] ?? []).flatMap((step) => {
      const name = basename(String(step.exec ?? step.image ?? '')).replace(/\.js$|:.*$/, '');
      return executables.has(`fn/${name}`) ? [{ name, fn: executables.get(`fn/${name}`), config: functionConfig(step, pkgDir) }] : [];
    });
    const trainedFns = new Set();
    // Two lanes, for two cores. The CLI, then the validators on what the CLI rendered (what kpt
    // would give them), then any function the example's pipeline does not run, on the same.
    const cliLane = async () => {
      await runTrained(cli, ['check', '.'], { cwd: pkgDir, ok: checkOk });
      const rendered = (await runTrained(cli, ['render', '.', '--output', 'stdout'], { cwd: pkgDir, ok: resourceListOk })).stdout;
      for (const { name, fn, config } of steps('validators')) {
        if (trainedFns.has(name)) continue;
        trainedFns.add(name);
        await runTrained(fn, [], { cwd: work, input: resourceList(rendered, config), ok: validatorOk });
      }
      for (const name of functions.filter((n) => !trainedFns.has(n) && !steps('mutators').some((s) => s.name === n))) {
        trainedFns.add(name);
        await runTrained(executables.get(`fn/${name}`), [], { cwd: work, input: resourceList(rendered), ok: (r) => resourceListOk(r) || validatorOk(r) });
      }
    };
    // The mutators in the pipeline's order, each on what the one before gave, from the package
    // rendered without its pipeline (what kpt gives the first function).
    const mutatorLane = async () => {
      let list = (await run(cli.file, ['render', bare, '--output', 'stdout'], { cwd: work, ok: resourceListOk })).stdout;
      for (const { name, fn, config } of steps('mutators')) {
        if (trainedFns.has(name)) continue;
        trainedFns.add(name);
        list = (await runTrained(fn, [], { cwd: work, input: resourceList(list, config), ok: resourceListOk })).stdout;
      }
    };
    const lanes = await Promise.allSettled([cliLane(), mutatorLane()]);
    for (const lane of lanes) if (lane.status === 'rejected') throw lane.reason;
    for (const { file, hash } of executables.values()) {
      const buf = readFileSync(file + CACHE_SUFFIX);
      const header = cacheHeader(buf);
      if (header?.hash !== hash || header.crc32 !== crc32(buf.subarray(64)).toString(16).padStart(8, '0')) {
        throw new Error(`build: ${relative(root, file + CACHE_SUFFIX)} is not a code cache for ${relative(root, file)}`);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  /** A ResourceList as kpt hands it to a function: the items, no results, the step's config. */
  function resourceList(text, config) {
    const doc = parseDocument(text);
    doc.delete('results');
    doc.delete('functionConfig');
    if (config) doc.set('functionConfig', config);
    return String(doc);
  }
  function functionConfig(step, dir) {
    if (step.configPath) return parseDocument(readFileSync(join(dir, step.configPath), 'utf8')).contents;
    if (step.configMap) return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'function-input' }, data: step.configMap };
    return undefined;
  }
}

/** Runs an executable with FLATNET_WRITE_CODE_CACHE set to its cache file. */
function runTrained({ file }, argv, opts) {
  return run(file, argv, { ...opts, env: { FLATNET_WRITE_CODE_CACHE: file + CACHE_SUFFIX } });
}

/**
 * Runs an executable with this Node and no flags (NODE_OPTIONS dropped: a cache is only valid
 * under the V8 flags it was made with), fails the build unless `ok` accepts the result.
 */
function run(file, argv, { cwd, input = '', env = {}, ok }) {
  const childEnv = { ...process.env, ...env };
  delete childEnv.NODE_OPTIONS;
  delete childEnv.FLATNET_DEBUG_CODE_CACHE;
  if (!env.FLATNET_WRITE_CODE_CACHE) delete childEnv.FLATNET_WRITE_CODE_CACHE;
  const command = [relative(root, file), ...argv].join(' ');
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [file, ...argv], { cwd, env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    child.stdin.on('error', () => {}); // a process that exits without reading: its exit code tells
    child.stdin.end(input);
    child.on('error', fail);
    child.on('close', (status, signal) => {
      const r = { status, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
      if (ok(r)) return done(r);
      const tail = (s) => s.trimEnd().split('\n').slice(-20).join('\n');
      fail(new Error(`build: training the code cache failed: \`${command}\` (in ${cwd}) ${signal ? `was killed by ${signal}` : `exited ${status}`}\n--- stderr:\n${tail(r.stderr)}\n--- stdout (end):\n${tail(r.stdout)}`));
    });
  });
}

function isResourceList(s) {
  return /^kind: ResourceList$/m.test(s) && /^apiVersion: config\.kubernetes\.io\/v1$/m.test(s);
}
/** A mutator, or `flatnet render --output stdout`: exit 0 and a ResourceList. */
function resourceListOk(r) {
  return r.status === 0 && isResourceList(r.stdout);
}
/** A validator: exit 0, or exit 1 with findings (error results about items), never an error of its own. */
function validatorOk(r) {
  if (resourceListOk(r)) return true;
  if (r.status !== 1 || !isResourceList(r.stdout) || /\n\s+at .+:\d+:\d+/.test(r.stderr)) return false;
  const results = /^results:\n[\s\S]*$/m.exec(r.stdout)?.[0] ?? '';
  return /^- /m.test(results) && results.split(/^- /m).slice(1).every((res) => /^\s+resourceRef:$/m.test(res) || !/severity: error/.test(res));
}
/** `flatnet check`: exit 0, or exit 1 with a report of findings; 2 (usage, unreadable input) and crashes fail. */
function checkOk(r) {
  return r.stderr === '' && (r.status === 0 || r.status === 1) && /^\d+ errors?, \d+ warnings?, /m.test(r.stdout);
}
