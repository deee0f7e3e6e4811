/**
 * `flatnet render PKG`: the package's Kptfile pipeline run in-process (see @flatnet/pipeline),
 * written back in place (default), to a directory, or printed as a ResourceList or plain YAML.
 * Exit: 0 rendered, 1 a function failed or the package cannot be read, 2 usage.
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Document } from 'yaml';
import { KrmInputError, listSome, serializeResourceList, type KubeObject, type Result } from '@flatnet/krm';
import { Root, commit, quote, escapeControls, sweep, worded, type FsOps } from '@flatnet/fs';
import { allFiles, allHoldings, allNotes, applyChanges, changedFiles, readPackage, renderTree, type FileChange, type RenderOutcome, type StepOutcome } from '@flatnet/pipeline';
import { parseArgs, UsageError } from './args';
import { FUNCTIONS } from './registry';
import { inputErrorLines, resultLine } from './report';
import { revisionFindings } from './revisions';
import { todayUTC } from '../../../functions/validate-flat-network/src/function';

export const RENDER_HELP = `Usage: flatnet render PKG [options]

Runs the package's Kptfile pipeline (mutators, then validators) in-process, with flatnet's own
functions (exec: ./dist/fn/<fn>.js, exec: flatnet fn <fn>, or image: .../<fn>), as
kpt fn render --allow-exec would, without kpt or containers. Subpackages render first.
A failing function stops the render and nothing is written.

Options:
  -o, --output DIR|stdout|unwrap   write the rendered package to DIR (new or empty), print it as a
                                   ResourceList (stdout) or as plain YAML (unwrap); default: in place
      --results-dir DIR            write the functions' results there (results.yaml, a FunctionResultList)
      --base REV                   also compare the rendered package with its files at git revision REV:
                                   what GDC fixes at creation must not change (FLAT-REV-*); BGP session
                                   changes are listed
  -h, --help                       this help
`;

export interface CommandOutcome {
  exitCode: 0 | 1 | 2;
  stdout: string;
  stderr: string;
}

/** The system calls render writes with: injectable, so tests can fail any one of them. */
export interface RenderIo {
  ops?: FsOps;
}

export function runRender(argv: readonly string[], cwd: string, io: RenderIo = {}): CommandOutcome {
  try {
    return render(argv, cwd, io);
  } catch (e) {
    if (e instanceof UsageError) return { exitCode: 2, stdout: '', stderr: `flatnet render: ${escapeControls(e.message)}\nRun 'flatnet render --help' for usage.\n` };
    if (e instanceof KrmInputError) return { exitCode: 1, stdout: '', stderr: inputErrorLines('render', e) };
    const io = worded(e);
    if (io) return { exitCode: 1, stdout: '', stderr: `flatnet render: ${escapeControls(io.message)}\n` };
    throw e;
  }
}

function render(argv: readonly string[], cwd: string, io: RenderIo): CommandOutcome {
  const { flags, positional } = parseArgs(argv, { values: ['--output', '--results-dir', '--base'], switches: ['--help'], aliases: { '-o': '--output', '-h': '--help' } });
  if (flags.has('--help')) return { exitCode: 0, stdout: RENDER_HELP, stderr: '' };
  if (positional.length !== 1) throw new UsageError(positional.length ? 'render takes one package' : 'render needs a package directory');
  const pkgDir = resolve(cwd, positional[0]!);
  if (!existsSync(pkgDir)) throw new UsageError(`"${positional[0]}" does not exist`);
  const output = flags.get('--output');
  if (output === true) throw new UsageError('--output needs a value');
  if (typeof output === 'string' && output !== 'stdout' && output !== 'unwrap') {
    const out = resolve(cwd, output);
    if (existsSync(out) && readdirSync(out).length > 0) throw new UsageError(`--output "${output}" must be a new or empty directory`);
  }

  const tree = readPackage(pkgDir);
  const { notes, stale } = allNotes(tree);
  // In place, a killed run's temporary files go first, whatever this run ends in.
  if (output === undefined) sweep(tree.root, stale);
  const outcome = renderTree(tree, (name) => FUNCTIONS.get(name));
  const resultsDir = flags.get('--results-dir');
  if (typeof resultsDir === 'string') writeResults(resolve(cwd, resultsDir), outcome);
  let log = notes.map((n) => `[info] ${n}\n`).join('') + report(outcome);
  if (!outcome.ok) return { exitCode: 1, stdout: '', stderr: `${log}flatnet render: ${escapeControls(outcome.error ?? 'failed')}\n` };
  const base = flags.get('--base');
  if (base === true) throw new UsageError('--base needs a revision');
  if (typeof base === 'string') {
    const found = revisionFindings(outcome.items, base, pkgDir, todayUTC);
    log += found.map((r) => `  ${resultLine(r)}\n`).join('');
    if (found.some((r) => r.severity === 'error')) return { exitCode: 1, stdout: '', stderr: `${log}flatnet render: changes GDC forbids after creation (against ${base}): nothing written\n` };
  }

  if (output === 'stdout') {
    for (const item of outcome.items) annotateFile(item);
    return { exitCode: 0, stdout: serializeResourceList({ items: outcome.items, results: [] }), stderr: log };
  }
  if (output === 'unwrap') {
    return { exitCode: 0, stdout: outcome.items.map((item, i) => item.renderDocument(i > 0)).join(''), stderr: log };
  }
  if (typeof output === 'string') {
    const changes = changedFiles(outcome.items, new Map());
    mkdirSync(resolve(cwd, output), { recursive: true });
    applyChanges(Root.open(resolve(cwd, output), output), changes);
    return { exitCode: 0, stdout: '', stderr: `${log}wrote ${changes.length} file(s) to ${output}\n` };
  }
  const changes = changedFiles(outcome.items, allFiles(tree), allHoldings(tree));
  applyChanges(tree.root, changes, io.ops);
  return { exitCode: 0, stdout: '', stderr: `${log}${summary(changes)}\n` };
}

/** What an in-place render did: files updated, created and removed, names escaped. */
function summary(changes: readonly FileChange[]): string {
  if (!changes.length) return 'no change';
  const of = (pick: (c: FileChange) => boolean): string => listSome(changes.filter(pick).map((c) => quote(c.path)));
  const parts: string[] = [];
  const updated = of((c) => c.text !== undefined && !c.create);
  const created = of((c) => c.text !== undefined && c.create === true);
  const removed = of((c) => c.text === undefined);
  if (updated) parts.push(`updated ${updated}`);
  if (created) parts.push(`created ${created}`);
  if (removed) parts.push(`removed ${removed}`);
  return parts.join('; ');
}

/** kpt-style progress on stderr: each step, PASS or FAIL, and its results. */
function report(o: RenderOutcome): string {
  let out = '';
  let pkg: string | undefined;
  for (const s of o.steps) {
    if (s.pkg !== pkg) {
      pkg = s.pkg;
      out += `Package "${s.pkg || '.'}":\n`;
    }
    out += `[${s.exitCode === 0 ? 'PASS' : 'FAIL'}] "${s.step.exec ?? s.step.image}"\n`;
    for (const r of s.results.filter((x) => x.severity !== 'info' || s.exitCode !== 0)) out += `  [${r.severity}] ${escapeControls(where(r) + r.message)}\n`;
  }
  return out;
}

const where = (r: Result): string => (r.resourceRef ? `${r.resourceRef.kind}/${r.resourceRef.namespace ? `${r.resourceRef.namespace}/` : ''}${r.resourceRef.name}: ` : r.file ? `${r.file.path}: ` : '');

function annotateFile(item: KubeObject): void {
  const path = item.filePath();
  const index = item.fileIndex();
  if (path !== undefined && index !== undefined) item.setFile(path, index);
}

function writeResults(dir: string, o: RenderOutcome): void {
  mkdirSync(dir, { recursive: true });
  const list = {
    apiVersion: 'kpt.dev/v1',
    kind: 'FunctionResultList',
    metadata: { name: 'fnresults' },
    exitCode: o.ok ? 0 : 1,
    items: o.steps.map((s: StepOutcome) => ({
      ...(s.step.exec ? { exec: s.step.exec } : { image: s.step.image }),
      ...(s.stderr ? { stderr: s.stderr } : {}),
      exitCode: s.exitCode,
      ...(s.results.length ? { results: s.results } : {}),
    })),
  };
  commit(Root.open(dir), [{ rel: 'results.yaml', text: new Document(list, { aliasDuplicateObjects: false }).toString({ lineWidth: 0 }) }]);
}
