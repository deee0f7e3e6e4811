/**
 * `flatnet hydrate PKG -o DIR`: render in-process, then write the "wet" manifests Config Sync
 * (unstructured) or Argo CD apply to the admin cluster: one file per cluster, nothing local,
 * nothing of kpt's. `-o -` prints them as one YAML stream. The package itself is not changed.
 * DIR must be new, empty, or an earlier output of flatnet hydrate (its files are replaced).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { KrmInputError } from '@flatnet/krm';
import { asStream, hydrate, readPackage, renderTree, type RenderOutcome } from '@flatnet/pipeline';
import { parseArgs, UsageError } from './args';
import { FUNCTIONS } from './registry';
import type { CommandOutcome } from './render';
import { resultLine } from './report';

export const HYDRATE_HELP = `Usage: flatnet hydrate PKG -o DIR|-

Renders the package in-process (its Kptfile pipeline, validators included; the package is not
changed) and writes what the admin cluster applies: no local-config objects (Kptfile, function
configs, intents), no kpt annotations, every flat-mode object with its namespace, one file per
cluster, the same bytes for the same input. For Config Sync's unstructured format or Argo CD.
An empty result, or objects with Config Sync's own metadata, are refused.

Options:
  -o, --output DIR|-   the directory to write (new, empty, or written by flatnet hydrate before),
                       or - for one YAML stream on stdout
  -h, --help           this help
`;

const MARKER = '.flatnet-hydrated';

export function runHydrate(argv: readonly string[], cwd: string): CommandOutcome {
  try {
    const { flags, positional } = parseArgs(argv, { values: ['--output'], switches: ['--help'], aliases: { '-o': '--output', '-h': '--help' } });
    if (flags.has('--help')) return { exitCode: 0, stdout: HYDRATE_HELP, stderr: '' };
    if (positional.length !== 1) throw new UsageError('hydrate needs one package directory');
    const output = flags.get('--output');
    if (typeof output !== 'string') throw new UsageError('hydrate needs --output DIR (or - for stdout)');
    const pkgDir = resolve(cwd, positional[0]!);
    if (!existsSync(pkgDir)) throw new UsageError(`"${positional[0]}" does not exist`);
    const outDir = output === '-' ? undefined : resolve(cwd, output);
    const previous = outDir ? previousOutput(outDir, output) : [];

    const outcome = renderTree(readPackage(pkgDir), (n) => FUNCTIONS.get(n));
    if (!outcome.ok) return { exitCode: 1, stdout: '', stderr: failure(outcome) };
    const h = hydrate(outcome.items);
    if (h.problems.length) return { exitCode: 1, stdout: '', stderr: h.problems.map((p) => `flatnet hydrate: ${p}\n`).join('') };
    if (!outDir) return { exitCode: 0, stdout: asStream(h), stderr: '' };

    mkdirSync(outDir, { recursive: true });
    const tmp: Array<[string, string]> = [];
    for (const [file, text] of h.files) {
      const t = join(outDir, `.${file}.flatnet-${process.pid}.tmp`);
      writeFileSync(t, text);
      tmp.push([t, join(outDir, file)]);
    }
    for (const [t, target] of tmp) renameSync(t, target);
    for (const old of previous) if (!h.files.has(old)) rmSync(join(outDir, old), { force: true });
    writeFileSync(join(outDir, MARKER), `# Files written by flatnet hydrate; the next run replaces them.\n${[...h.files.keys()].join('\n')}\n`);
    return { exitCode: 0, stdout: '', stderr: `wrote ${[...h.files.keys()].join(', ')} to ${output}\n` };
  } catch (e) {
    if (e instanceof UsageError) return { exitCode: 2, stdout: '', stderr: `flatnet hydrate: ${e.message}\nRun 'flatnet hydrate --help' for usage.\n` };
    if (e instanceof KrmInputError) return { exitCode: 1, stdout: '', stderr: `flatnet hydrate: ${e.message}\n` };
    throw e;
  }
}

/** Files a previous hydrate wrote into `dir` (it must be new, empty, or such an output). */
function previousOutput(dir: string, shown: string): string[] {
  if (!existsSync(dir)) return [];
  const entries = readdirSync(dir);
  if (entries.length === 0) return [];
  if (!entries.includes(MARKER)) throw new UsageError(`--output "${shown}" must be a new or empty directory, or one flatnet hydrate wrote before (it has no ${MARKER})`);
  return readFileSync(join(dir, MARKER), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
}

export function failure(o: RenderOutcome): string {
  const lines: string[] = [];
  for (const s of o.steps) for (const r of s.results) if (r.severity === 'error') lines.push(resultLine(r));
  lines.push(`flatnet: ${o.error ?? 'render failed'}`);
  return lines.join('\n') + '\n';
}
