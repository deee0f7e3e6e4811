#!/usr/bin/env node
// `npm start`: the main job on the bundled example. Renders a copy of the example package with
// its Kptfile pipeline (real `kpt fn render --allow-exec` when kpt is installed; otherwise the
// same bundles fed a ResourceList directly) and prints the rendered files and the results.
// The example in the repository is left untouched. Usage: npm start [-- PACKAGE_DIR]
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const example = process.argv[2] ? join(process.cwd(), process.argv[2]) : join(root, 'functions/set-cluster-namespace/examples/seeds-ipv4-flat');
const work = join(mkdtempSync(join(tmpdir(), 'flatnet-start-')), 'package');
cpSync(example, work, { recursive: true, filter: (s) => !s.includes('/.expected') });

const files = (dir) =>
  readdirSync(dir).sort().flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.ya?ml$|^Kptfile$/.test(n) ? [p] : [];
  });

console.log(`# Rendering ${relative(process.cwd(), example) || '.'} (a copy in ${work})`);
let status;
if (spawnSync('kpt', ['version']).status === 0) {
  const r = spawnSync('kpt', ['fn', 'render', '--allow-exec', '--truncate-output=false', work], { cwd: root, encoding: 'utf8' });
  process.stderr.write(r.stderr);
  status = r.status;
} else {
  console.log('# kpt is not installed: running the Kptfile mutators directly');
  const kptfile = YAML.parse(readFileSync(join(work, 'Kptfile'), 'utf8'));
  const docs = files(work).flatMap((f) =>
    YAML.parseAllDocuments(readFileSync(f, 'utf8')).map((d, index) => {
      const o = d.toJS();
      const path = relative(work, f);
      o.metadata = { ...o.metadata, annotations: { ...o.metadata?.annotations, 'config.kubernetes.io/path': path, 'internal.config.kubernetes.io/path': path, 'config.kubernetes.io/index': String(index), 'internal.config.kubernetes.io/index': String(index) } };
      return o;
    }),
  );
  let list = { apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: docs };
  for (const step of kptfile.pipeline?.mutators ?? []) {
    const [cmd, ...args] = step.exec.split(/\s+/);
    const r = spawnSync(join(root, cmd), args, { input: YAML.stringify(list), encoding: 'utf8' });
    process.stderr.write(r.stderr);
    status = r.status;
    if (r.status !== 0) break;
    list = YAML.parse(r.stdout);
    for (const res of list.results ?? []) console.log(`# [${res.severity}] ${res.resourceRef ? `${res.resourceRef.kind}/${res.resourceRef.name}: ` : ''}${res.message}`);
    delete list.results;
  }
  for (const o of list.items) console.log(`---\n${YAML.stringify(o)}`);
}
if (spawnSync('kpt', ['version']).status === 0) {
  for (const f of files(work)) console.log(`\n# ---- ${relative(work, f)}\n${readFileSync(f, 'utf8').trimEnd()}`);
}
rmSync(dirname(work), { recursive: true, force: true });
process.exitCode = status ?? 1;
