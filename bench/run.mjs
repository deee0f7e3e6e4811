#!/usr/bin/env node
// `npm run bench [-- --10k] [-- --json] [-- --runs N]`: flatnet's performance targets, measured
// side by side in one run on fleets written by the shared make-fleet script. Medians of N runs
// (default 3), the scenarios of each comparison interleaved; ratios are of medians taken in this
// run. Not part of `npm test`.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const JSON_OUT = args.includes('--json');
const TEN_K = args.includes('--10k');
const RUNS = Number(args[args.indexOf('--runs') + 1]) || 3;
const log = (s) => (JSON_OUT ? process.stderr.write(`${s}\n`) : console.log(s));
const sharedFleet = join(root, '..', 'shared', 'bench', 'make-fleet.mjs');
const makeFleet = existsSync(sharedFleet) ? sharedFleet : join(root, 'bench', 'make-fleet.mjs');
const flatnet = join(root, 'dist', 'flatnet.js');
const haveKpt = spawnSync('kpt', ['version']).status === 0;
if (!existsSync(flatnet)) execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });

const work = mkdtempSync(join(tmpdir(), 'flatnet-bench-'));
const CHAIN = ['generate-flat-network', 'set-cluster-namespace', 'expand-cluster-cidr', 'inject-peer-labels'];
const kptfile = (steps) =>
  `apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: fleet\n  annotations:\n    config.kubernetes.io/local-config: "true"\npipeline:\n  mutators:\n${steps.slice(0, 4).map((s) => `  - exec: ${s}\n`).join('')}  validators:\n  - exec: ${steps[4]}\n`;
const FLATNET_STEPS = [...CHAIN.map((f) => `${root}/dist/fn/${f}.js`), `${root}/dist/fn/validate-flat-network.js`];
const NOOP_STEPS = Array(5).fill('cat');

function fleet(n) {
  const dir = join(work, `fleet-${n}`);
  if (!existsSync(dir)) {
    log(`writing a fleet of ${n} clusters…`);
    execFileSync(process.execPath, [makeFleet, dir, String(n), '3']);
  }
  return dir;
}
function pkg(n, steps, tag) {
  const dir = join(work, `pkg-${n}-${tag}-${Math.random().toString(36).slice(2)}`);
  cpSync(fleet(n), dir, { recursive: true });
  writeFileSync(join(dir, 'Kptfile'), kptfile(steps));
  return dir;
}

/**
 * Runs each scenario RUNS times, interleaved (A B C, A B C, …) so that a noisy neighbour on a
 * shared machine slows every side of a ratio alike, and returns each one's median wall seconds
 * (and peak RSS when asked). `make` gives a fresh command each run (fresh copies for render).
 */
function timeTogether(scenarios) {
  const runs = scenarios.map(() => ({ walls: [], peak: 0 }));
  for (let i = 0; i < RUNS; i++) {
    scenarios.forEach(({ label, make }, j) => {
      const { cmd, args: a, cwd } = make();
      const t0 = process.hrtime.bigint();
      const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...a], { cwd, encoding: 'utf8', maxBuffer: 1 << 30 });
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      if (r.status !== 0 && !label.includes('(may fail)')) throw new Error(`${label} failed (${r.status}): ${r.stderr.slice(-400)}`);
      runs[j].walls.push(wall);
      runs[j].peak = Math.max(runs[j].peak, Number(r.stderr.trim().split('\n').pop()) || 0);
    });
  }
  return scenarios.map(({ label, rss = false }, j) => {
    const walls = runs[j].walls.sort((x, y) => x - y);
    const median = walls[Math.floor(walls.length / 2)];
    const peak = runs[j].peak;
    log(`  ${label.padEnd(58)} ${median.toFixed(3)} s${rss ? `   peak RSS ${(peak / 1024).toFixed(0)} MB` : ''}`);
    return { median, walls, peakMB: peak / 1024 };
  });
}

// js-yaml floors: the plain-parse cost of the same files, with no comment model at all.
const floorScript = join(work, 'floor.cjs');
writeFileSync(
  floorScript,
  `const fs=require('fs'),p=require('path'),y=require(${JSON.stringify(join(root, 'node_modules', 'js-yaml'))});
const [dir, mode] = process.argv.slice(2);
for (const f of fs.readdirSync(dir).sort()) { if (!f.endsWith('.yaml')) continue;
  const docs = y.loadAll(fs.readFileSync(p.join(dir, f), 'utf8'));
  if (mode === 'dump') fs.writeFileSync(p.join(dir, f), docs.map((d) => y.dump(d)).join('---\\n')); }`,
);

// A check with every policy but FLAT-SCH-001 disabled: what any check must do (start, read,
// parse, build the model, JSON Schema), measured beside the full check to show what the
// policies cost. Informative, not a target.
const schemaOnly = join(work, 'schema-only.yaml');
const catalog = JSON.parse(readFileSync(join(root, 'functions', 'validate-flat-network', 'src', 'generated', 'catalog.json'), 'utf8'));
writeFileSync(
  schemaOnly,
  `apiVersion: fn.flatnet.dev/v1alpha1\nkind: ValidateFlatNetwork\nmetadata:\n  name: schema-only\ndisable:\n${catalog
    .map((p) => p.id)
    .filter((id) => id !== 'FLAT-SCH-001')
    .map((id) => `- ${id}\n`)
    .join('')}`,
);

const results = [];
const target = (name, ratio, limit, better = 'lower') => {
  const ok = better === 'lower' ? ratio <= limit : ratio >= limit;
  results.push({ name, ratio: Number(ratio.toFixed(3)), target: `${better === 'lower' ? '≤' : '≥'} ${limit}`, met: ok });
};
const info = (name, ratio) => results.push({ name, ratio: Number(ratio.toFixed(3)), target: '(informative)', met: true });

log(`flatnet benchmarks — ${cpus().length} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}, ${RUNS} runs each, medians`);
const N = 1000;
log(`\n1k fleet (${N} clusters, ${N * 9} resources)`);
fleet(N);
const [ours, check, checkSchema, loadDump, load] = timeTogether([
  { label: 'flatnet render (full chain, in-process)', make: () => ({ cmd: flatnet, args: ['render', pkg(N, FLATNET_STEPS, 'f')] }) },
  { label: 'flatnet check', make: () => ({ cmd: flatnet, args: ['check', '.'], cwd: fleet(N) }), rss: true },
  { label: 'flatnet check, FLAT-SCH-001 alone', make: () => ({ cmd: flatnet, args: ['check', '.', '--config', schemaOnly], cwd: fleet(N) }) },
  { label: 'js-yaml load + dump of the same files', make: () => ({ cmd: process.execPath, args: [floorScript, pkg(N, NOOP_STEPS, 'd'), 'dump'] }) },
  { label: 'js-yaml load of the same files', make: () => ({ cmd: process.execPath, args: [floorScript, fleet(N), 'load'] }) },
]);
target('flatnet render / js-yaml load+dump', ours.median / loadDump.median, 2);
target('flatnet check / js-yaml load', check.median / load.median, 1.5);
info('flatnet check with FLAT-SCH-001 alone / js-yaml load', checkSchema.median / load.median);
results.push({ name: 'flatnet check peak RSS (MB)', ratio: Number(check.peakMB.toFixed(0)), target: '≤ 300', met: check.peakMB <= 300 });

if (haveKpt) {
  const [kptNoop, kptOurs] = timeTogether([
    { label: 'kpt fn render --allow-exec, 5 no-op functions (cat)', make: () => ({ cmd: 'kpt', args: ['fn', 'render', '--allow-exec', pkg(N, NOOP_STEPS, 'n')] }) },
    { label: 'kpt fn render --allow-exec, flatnet chain', make: () => ({ cmd: 'kpt', args: ['fn', 'render', '--allow-exec', pkg(N, FLATNET_STEPS, 'k')] }) },
  ]);
  target('kpt (no-op) / flatnet render', kptNoop.median / ours.median, 10, 'higher');
  target('kpt with flatnet / kpt with no-ops', kptOurs.median / kptNoop.median, 1.3);
} else log('  kpt is not installed: the kpt comparisons are skipped');

log('\ncold start on a 10-resource package');
const small = join(work, 'small.yaml');
const list = execFileSync(flatnet, ['render', pkg(1, FLATNET_STEPS, 's'), '--output', 'stdout'], { stdio: ['ignore', 'pipe', 'pipe'] });
writeFileSync(small, list);
const [, cold, shNode] = timeTogether([
  { label: "node -e ''", make: () => ({ cmd: process.execPath, args: ['-e', ''] }) },
  { label: 'dist/fn/validate-flat-network.js < 10 resources', make: () => ({ cmd: 'sh', args: ['-c', `${root}/dist/fn/validate-flat-network.js < ${small} > /dev/null`] }) },
  { label: "sh -c \"node -e ''\" (the same shell overhead)", make: () => ({ cmd: 'sh', args: ['-c', `${process.execPath} -e ''`] }) },
]);
target('validator cold start / node -e ""', cold.median / shNode.median, 2);

if (TEN_K) {
  log('\n10k fleet');
  fleet(10000);
  const [check1, check10] = timeTogether([
    { label: 'flatnet check (1k clusters, again, beside the 10k)', make: () => ({ cmd: flatnet, args: ['check', '.'], cwd: fleet(N) }) },
    { label: 'flatnet check (10k clusters)', make: () => ({ cmd: flatnet, args: ['check', '.'], cwd: fleet(10000) }), rss: true },
  ]);
  target('flatnet check 10k / 1k', check10.median / check1.median, 11);
}

rmSync(work, { recursive: true, force: true });
if (JSON_OUT) console.log(JSON.stringify({ cores: cpus().length, node: process.version, date: new Date().toISOString().slice(0, 10), runs: RUNS, results }, null, 2));
else {
  console.log('\n| measure | value | target | met |\n|---|---|---|---|');
  for (const r of results) console.log(`| ${r.name} | ${r.ratio} | ${r.target} | ${r.target === '(informative)' ? '—' : r.met ? 'yes' : '**no**'} |`);
}
process.exitCode = results.every((r) => r.met) ? 0 : 1;
