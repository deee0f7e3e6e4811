/**
 * `flatnet hydrate PKG -o DIR`: render in-process, then write the "wet" manifests Config Sync
 * (unstructured) or Argo CD apply to the admin cluster: one file per cluster, nothing local,
 * nothing of kpt's. `-o -` prints them as one YAML stream. The package itself is not changed.
 * DIR must be new, empty, or an earlier output of flatnet hydrate (its files are replaced).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { FsError, Root, commit, escapeControls, isStaleTemp, quote, sweep, worded, type Change } from '@flatnet/fs';
import { KrmInputError, LIMITS, decodeText, listSome } from '@flatnet/krm';
import { HYDRATED_HEADER, asStream, hiddenClusterFiles, hydrate, readPackage, renderTree, type RenderOutcome } from '@flatnet/pipeline';
import { parseArgs, UsageError } from './args';
import { FUNCTIONS } from './registry';
import type { CommandOutcome } from './render';
import { resultLine } from './report';

export const HYDRATE_HELP = `Usage: flatnet hydrate PKG -o DIR|-

Renders the package in-process (its Kptfile pipeline, validators included; the package is not
changed) and writes what the admin cluster applies: no local-config objects (Kptfile, function
configs, intents), no kpt annotations, every flat-mode object with its namespace, one file per
cluster, the same bytes for the same input. For Config Sync's unstructured format or Argo CD.
An empty result, one without the package's Clusters, or objects with Config Sync's own metadata,
are refused. All files are replaced at once or none is.

Options:
  -o, --output DIR|-   the directory to write (new, empty, or written by flatnet hydrate before),
                       or - for one YAML stream on stdout
  -h, --help           this help
`;

/** Says "written by flatnet hydrate" for humans; the files themselves are known by their header. */
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
    const out = outDir ? openOutput(outDir, output) : undefined;

    const tree = readPackage(pkgDir);
    const outcome = renderTree(tree, (n) => FUNCTIONS.get(n));
    if (!outcome.ok) return { exitCode: 1, stdout: '', stderr: failure(outcome) };
    const h = hydrate(outcome.items, { hiddenClusters: () => hiddenClusterFiles(tree) });
    if (h.problems.length) return { exitCode: 1, stdout: '', stderr: h.problems.map((p) => `flatnet hydrate: ${escapeControls(p)}\n`).join('') };
    if (!outDir || !out) return { exitCode: 0, stdout: asStream(h), stderr: '' };

    const changes: Change[] = [];
    for (const [file, text] of h.files) {
      const had = out.ours.get(file);
      if (had === undefined && out.others.has(file)) {
        throw new FsError(`--output ${quote(output)} holds ${quote(file)}, which flatnet hydrate did not write (it lacks the header): move it away; nothing was written`);
      }
      if (had !== text) changes.push({ rel: file, text });
    }
    // Only plain *.yaml files carrying hydrate's header are ever removed: never a name from a file.
    for (const old of out.ours.keys()) if (!h.files.has(old)) changes.push({ rel: old, text: undefined });
    const marker = `# Files written by flatnet hydrate (each starts with its header); the next run replaces them.\n${[...h.files.keys()].join('\n')}\n`;
    if (out.marker !== marker) changes.push({ rel: MARKER, text: marker });
    commit(out.root, changes);
    return { exitCode: 0, stdout: '', stderr: `wrote ${listSome([...h.files.keys()].map(quote))} to ${quote(output)}\n` };
  } catch (e) {
    if (e instanceof UsageError) return { exitCode: 2, stdout: '', stderr: `flatnet hydrate: ${escapeControls(e.message)}\nRun 'flatnet hydrate --help' for usage.\n` };
    if (e instanceof KrmInputError) return { exitCode: 1, stdout: '', stderr: `flatnet hydrate: ${escapeControls(e.message)}\n` };
    const io = worded(e);
    if (io) return { exitCode: 1, stdout: '', stderr: `flatnet hydrate: ${escapeControls(io.message)}\n` };
    throw e;
  }
}

interface Output {
  root: Root;
  /** Earlier outputs: plain `*.yaml` files that start with hydrate's header, with their text. */
  ours: Map<string, string>;
  /** Any other file names in the directory. */
  others: Set<string>;
  marker: string | undefined;
  stale: string[];
}

/** The output directory, made if missing; it must be new, empty, or an earlier output. */
function openOutput(dir: string, shown: string): Output {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new FsError(`cannot create --output ${quote(shown)}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const root = Root.open(dir, shown);
  const out: Output = { root, ours: new Map(), others: new Set(), marker: undefined, stale: [] };
  const entries = root.list('');
  for (const e of entries) {
    if (e.kind === 'file' && isStaleTemp(e.name, e.mtimeMs)) out.stale.push(e.rel);
    else if (e.name === MARKER && e.kind === 'file') out.marker = read(root, e.rel);
    else if (e.kind === 'file' && e.name.endsWith('.yaml') && !e.name.startsWith('.')) {
      const text = read(root, e.rel);
      if (text.startsWith(HYDRATED_HEADER)) out.ours.set(e.name, text);
      else out.others.add(e.name);
    } else out.others.add(e.name);
  }
  sweep(root, out.stale); // a killed run's leftovers go first, whatever this run ends in
  const live = entries.length - out.stale.length;
  if (live > 0 && out.marker === undefined && out.ours.size === 0) {
    throw new UsageError(`--output ${quote(shown)} must be a new or empty directory, or one flatnet hydrate wrote before (it has no ${MARKER} and no file of hydrate's)`);
  }
  return out;
}

function read(root: Root, rel: string): string {
  return decodeText(root.read(rel, LIMITS.maxInputBytes, (size) => new FsError(`${quote(rel)} is ${size} bytes: too large for a file of flatnet hydrate's`)).bytes, rel);
}

export function failure(o: RenderOutcome): string {
  const lines: string[] = [];
  for (const s of o.steps) for (const r of s.results) if (r.severity === 'error') lines.push(resultLine(r));
  lines.push(`flatnet: ${escapeControls(o.error ?? 'render failed')}`);
  return lines.join('\n') + '\n';
}
