/**
 * `flatnet hydrate PKG -o DIR`: render in-process, then write the "wet" manifests Config Sync
 * (unstructured) or Argo CD apply to the admin cluster: one file per cluster, nothing local,
 * nothing of kpt's. `-o -` prints them as one YAML stream. The package itself is not changed.
 * DIR must be new, empty, or an earlier output of flatnet hydrate (its files are replaced).
 */
import { existsSync, mkdirSync, rmdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FsError, Root, commit, escapeControls, isStaleTemp, quote, sweep, worded, type Change } from '@flatnet/fs';
import { KrmInputError, LIMITS, decodeText, listSome } from '@flatnet/krm';
import { DELETION_PROTECTIONS, HYDRATED_HEADER, asStream, type DeletionProtection, hiddenClusterFiles, hydrate, readPackage, renderTree, type Hydrated, type HydrateOptions, type RenderOutcome } from '@flatnet/pipeline';
import { parseArgs, UsageError } from './args';
import { FUNCTIONS } from './registry';
import type { CommandOutcome } from './render';
import { inputErrorLines, resultLine } from './report';

export const HYDRATE_HELP = `Usage: flatnet hydrate PKG -o DIR|-
       flatnet hydrate FLEET -o DIR       (FLEET: a directory of packages, e.g. clusters/<admin>/)

Renders the package in-process (its Kptfile pipeline, validators included; the package is not
changed) and writes what the admin cluster applies: no local-config objects (Kptfile, function
configs, intents), no kpt annotations, every flat-mode object with its namespace, one file per
cluster, the same bytes for the same input. For Config Sync's unstructured format or Argo CD.
An empty result, one without the package's Clusters, or objects with Config Sync's own metadata,
are refused. All files are replaced at once or none is.

Given a directory that is not a package but holds some (one per admin cluster), every package is
rendered and DIR gets one folder per package (DIR/<its path>/), each replaced at once; the folder
of a package that is gone is removed (only folders and files hydrate wrote). Nothing is written
when any package fails; every failing package is reported.

Every Cluster and NodePool is marked so that no applier deletes it without a person:
argocd.argoproj.io/sync-options: Prune=confirm,Delete=confirm (Argo CD 2.14 and later) and
client.lifecycle.config.k8s.io/deletion: detach (Config Sync).

Options:
  -o, --output DIR|-                 the directory to write (new, empty, or written by flatnet
                                     hydrate before), or - for one YAML stream on stdout
      --namespaces                   also write a Namespace for each namespace the output uses
                                     (Argo CD creates only destination.namespace; Config Sync's
                                     namespaceStrategy: explicit creates none)
      --deletion-protection confirm|false|off
                                     confirm (default); false: Prune=false,Delete=false, for Argo CD
                                     before 2.14; off: no marks
  -h, --help                         this help
`;

/** Says "written by flatnet hydrate" for humans; the files themselves are known by their header. */
const MARKER = '.flatnet-hydrated';
const MARKER_HEAD = '# Files written by flatnet hydrate (each starts with its header); the next run replaces them.\n';

export function runHydrate(argv: readonly string[], cwd: string): CommandOutcome {
  try {
    const { flags, positional } = parseArgs(argv, { values: ['--output', '--deletion-protection'], switches: ['--help', '--namespaces'], aliases: { '-o': '--output', '-h': '--help' } });
    if (flags.has('--help')) return { exitCode: 0, stdout: HYDRATE_HELP, stderr: '' };
    if (positional.length !== 1) throw new UsageError('hydrate needs one package directory, or a directory of packages');
    const output = flags.get('--output');
    if (typeof output !== 'string') throw new UsageError('hydrate needs --output DIR (or - for stdout)');
    const options: HydrateOptions = { deletionProtection: protectionOf(flags.get('--deletion-protection'), '--deletion-protection'), namespaces: flags.has('--namespaces') };
    const pkgDir = resolve(cwd, positional[0]!);
    if (!existsSync(pkgDir)) throw new UsageError(`"${positional[0]}" does not exist`);
    const outDir = output === '-' ? undefined : resolve(cwd, output);
    const packages = existsSync(join(pkgDir, 'Kptfile')) ? undefined : findPackages(Root.open(pkgDir, positional[0]!));
    if (packages) return hydrateFleet(pkgDir, packages, outDir, output, options);

    const out = outDir ? openOutput(outDir, output) : undefined;
    const h = renderHydrated(pkgDir, options);
    if (typeof h === 'string') return { exitCode: 1, stdout: '', stderr: h };
    if (!outDir || !out) return { exitCode: 0, stdout: asStream(h), stderr: '' };
    commit(out.root, changesFor(out, h, output));
    return { exitCode: 0, stdout: '', stderr: `wrote ${listSome([...h.files.keys()].map(quote))} to ${quote(output)}\n` };
  } catch (e) {
    if (e instanceof UsageError) return { exitCode: 2, stdout: '', stderr: `flatnet hydrate: ${escapeControls(e.message)}\nRun 'flatnet hydrate --help' for usage.\n` };
    if (e instanceof KrmInputError) return { exitCode: 1, stdout: '', stderr: inputErrorLines('hydrate', e) };
    const io = worded(e);
    if (io) return { exitCode: 1, stdout: '', stderr: `flatnet hydrate: ${escapeControls(io.message)}\n` };
    throw e;
  }
}

/** The package rendered and hydrated, or what stops it (stderr text). */
function renderHydrated(pkgDir: string, options: HydrateOptions): Hydrated | string {
  const tree = readPackage(pkgDir);
  const outcome = renderTree(tree, (n) => FUNCTIONS.get(n));
  if (!outcome.ok) return failure(outcome);
  const h = hydrate(outcome.items, { ...options, hiddenClusters: () => hiddenClusterFiles(tree) });
  if (h.problems.length) return h.problems.map((p) => `flatnet hydrate: ${escapeControls(p)}\n`).join('');
  return h;
}

/** What replaces an earlier output in `out` with `h`: new and changed files, stale ones of ours, the marker. */
function changesFor(out: Output, h: Hydrated, shown: string): Change[] {
  const changes: Change[] = [];
  for (const [file, text] of h.files) {
    const had = out.ours.get(file);
    if (had === undefined && out.others.has(file)) {
      throw new FsError(`--output ${quote(shown)} holds ${quote(file)}, which flatnet hydrate did not write (it lacks the header): move it away; nothing was written`);
    }
    if (had !== text) changes.push({ rel: file, text });
  }
  // Only plain *.yaml files carrying hydrate's header are ever removed: never a name from a file.
  for (const old of out.ours.keys()) if (!h.files.has(old)) changes.push({ rel: old, text: undefined });
  const marker = `${MARKER_HEAD}${[...h.files.keys()].join('\n')}\n`;
  if (out.marker !== marker) changes.push({ rel: MARKER, text: marker });
  return changes;
}

/**
 * The kpt packages below a directory that is not one (a fleet: `clusters/<admin>/Kptfile`): the
 * top-most folders with a Kptfile, sorted, found without following links or entering hidden
 * folders; a package's own subfolders (subpackages) belong to it.
 */
export function findPackages(root: Root): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const e of root.list(rel)) {
      if (e.kind !== 'dir' || e.name.startsWith('.') || e.name === 'node_modules') continue;
      if (root.list(e.rel).some((x) => x.name === 'Kptfile' && x.kind === 'file')) out.push(e.rel);
      else walk(e.rel);
    }
  };
  walk('');
  if (!out.length) throw new UsageError(`${quote(root.abs)} is not a kpt package (no Kptfile) and holds none`);
  return out;
}

/**
 * `flatnet hydrate clusters/ -o deploy/`: every package rendered, then one folder per package
 * (`deploy/<its path>/`), each replaced all at once; folders of packages that are gone are
 * removed, but only folders hydrate wrote (its marker) and only its own files in them. Nothing is
 * written when any package fails, and every failure is reported.
 */
function hydrateFleet(fleetDir: string, packages: readonly string[], outDir: string | undefined, shown: string, options: HydrateOptions): CommandOutcome {
  if (!outDir) throw new UsageError('a directory of packages hydrates into one folder per package: give --output DIR, not -');
  const results = new Map<string, Hydrated>();
  let failed = '';
  for (const rel of packages) {
    let h: Hydrated | string;
    try {
      h = renderHydrated(join(fleetDir, ...rel.split('/')), options);
    } catch (e) {
      // One unreadable package does not hide the others' problems: all are reported.
      if (!(e instanceof KrmInputError)) throw e;
      h = `flatnet hydrate: ${escapeControls(e.message)}\n`;
    }
    if (typeof h === 'string') failed += `Package ${quote(rel)}:\n${h}`;
    else results.set(rel, h);
  }
  if (failed) return { exitCode: 1, stdout: '', stderr: `${failed}flatnet hydrate: nothing was written\n` };

  mkdirSync(outDir, { recursive: true });
  const top = Root.open(outDir, shown);
  const entries = top.list('');
  const topMarker = entries.find((e) => e.name === MARKER && e.kind === 'file');
  if (entries.length > 0 && !topMarker) {
    throw new UsageError(`--output ${quote(shown)} must be a new or empty directory, or one flatnet hydrate wrote before (it has no ${MARKER})`);
  }
  // Every folder hydrate wrote before: those without a package now go.
  const earlier: string[] = [];
  const walk = (rel: string): void => {
    for (const e of top.list(rel)) {
      if (e.kind !== 'dir' || e.name.startsWith('.')) continue;
      if (top.list(e.rel).some((x) => x.name === MARKER && x.kind === 'file')) earlier.push(e.rel);
      walk(e.rel);
    }
  };
  walk('');
  const written: string[] = [];
  for (const [rel, h] of results) {
    const out = openOutput(top.ensureDir(rel), `${shown}/${rel}`);
    commit(out.root, changesFor(out, h, `${shown}/${rel}`));
    written.push(rel);
  }
  const removed: string[] = [];
  for (const rel of earlier) {
    if (results.has(rel)) continue;
    const out = openOutput(join(outDir, ...rel.split('/')), `${shown}/${rel}`);
    commit(out.root, [...[...out.ours.keys()].map((f) => ({ rel: f, text: undefined })), { rel: MARKER, text: undefined }]);
    removed.push(rel);
    try {
      rmdirSync(join(outDir, ...rel.split('/')));
    } catch {
      // Someone else's files are in it: the folder stays with them.
    }
  }
  const listing = `# Folders written by flatnet hydrate, one per package; the next run replaces them.\n${written.join('\n')}\n`;
  commit(top, [{ rel: MARKER, text: listing }]);
  return { exitCode: 0, stdout: '', stderr: `wrote ${written.map(quote).join(', ')}${removed.length ? `; removed ${removed.map(quote).join(', ')}` : ''} in ${quote(shown)}\n` };
}

/** `--deletion-protection` (or the plugin's `deletion-protection`): one of DELETION_PROTECTIONS. */
export function protectionOf(value: string | true | undefined, name: string): DeletionProtection {
  if (value === undefined || value === '') return 'confirm';
  const found = DELETION_PROTECTIONS.find((p) => p === value);
  if (!found) throw new UsageError(`${name} must be one of ${DELETION_PROTECTIONS.join(', ')}, not ${value === true ? 'empty' : `"${value}"`}`);
  return found;
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
