#!/usr/bin/env node
// Builds the bundles users run: dist/fn/<function>.js for every functions/<name>/src/index.ts,
// and the CLI dist/flatnet.js. Each is one self-contained executable file (no node_modules).
import { build } from 'esbuild';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const fnDir = join(root, 'functions');
const functions = readdirSync(fnDir).filter((n) => existsSync(join(fnDir, n, 'src', 'index.ts'))).sort();

const entries = [
  ...functions.map((name) => ({ in: join(fnDir, name, 'src', 'index.ts'), out: join('fn', name) })),
  { in: join(root, 'packages', 'cli', 'src', 'main.ts'), out: 'flatnet' },
];

rmSync(join(root, 'dist'), { recursive: true, force: true });
mkdirSync(join(root, 'dist', 'fn'), { recursive: true });
await build({
  entryPoints: entries,
  outdir: join(root, 'dist'),
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
for (const e of entries) {
  const file = join(root, 'dist', `${e.out}.js`);
  chmodSync(file, 0o755);
}
console.error(`built ${functions.length} function bundle(s) and the CLI into dist/`);
