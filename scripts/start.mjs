#!/usr/bin/env node
// `npm start`: the main job on the bundled example. Renders a copy of examples/fleet (two edge
// clusters written as FlatNetwork intents) through the canonical chain with `flatnet render`
// (in-process: no kpt, no containers), prints the rendered manifests, then the gate's report.
// The example in the repository is left untouched. Usage: npm start [-- PACKAGE_DIR]
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const flatnet = join(root, 'dist', 'flatnet.js');
const example = process.argv[2] ? join(process.cwd(), process.argv[2]) : join(root, 'examples', 'fleet');
const work = join(mkdtempSync(join(tmpdir(), 'flatnet-start-')), 'package');
cpSync(example, work, { recursive: true, filter: (s) => !s.includes('/.expected') });

const files = (dir) =>
  readdirSync(dir).sort().flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.ya?ml$|^Kptfile$/.test(n) ? [p] : [];
  });
const before = new Map(files(work).map((f) => [f, readFileSync(f, 'utf8')]));

console.log(`# flatnet render ${relative(process.cwd(), example) || '.'}   (a copy in ${work})\n`);
const render = spawnSync(flatnet, ['render', work], { encoding: 'utf8' });
process.stdout.write(render.stderr.replace(/^/gm, '# '));
if (render.status === 0) {
  for (const f of files(work)) {
    const text = readFileSync(f, 'utf8');
    const tag = !before.has(f) ? 'new' : before.get(f) !== text ? 'updated' : 'unchanged';
    if (tag !== 'unchanged') console.log(`\n# ---- ${relative(work, f)} (${tag})\n${text.trimEnd()}`);
  }
  console.log(`\n# flatnet check (the gate, as pre-commit and CI run it)`);
  const check = spawnSync(flatnet, ['check', '.'], { cwd: work, encoding: 'utf8' });
  process.stdout.write(check.stdout.replace(/^/gm, '# '));
}
rmSync(dirname(work), { recursive: true, force: true });
process.exitCode = render.status ?? 1;
