/**
 * `flatnet check PATH…`: the validator over files and directories of YAML (kpt packages or plain
 * manifests), for CI and pre-commit. The same config spec and the same processor as the KRM
 * function, so both give the same findings on the same files.
 * Exit: 0 clean, 1 errors (and warnings with --fail-on-warning), 2 usage or unreadable input.
 */
import { statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { FsError, Root, ioError, quote, escapeControls, worded } from '@flatnet/fs';
import { KrmInputError, LIMITS, checkInputSize, decodeText, listSome, loadConfig, parsePath, readFileItems, type KubeObject, type Result } from '@flatnet/krm';
import { CATALOG } from '../../../functions/validate-flat-network/src/catalog';
import { makeValidateFunction, todayUTC } from '../../../functions/validate-flat-network/src/function';
import { validateFlatNetwork } from '../../../functions/validate-flat-network/src/validate';
import { parseArgs, UsageError } from './args';
import { readBase, revisionExists } from './git';
import { readStaged, readStagedConfig } from './staged';
import { format, FORMATS, type Format, type Located, type Report } from './report';

export const CHECK_HELP = `Usage: flatnet check [PATH...] [options]

Validates flat-mode BGP manifests in files and directories (default: .) with every policy of
validate-flat-network (docs/policies.md). Directories are searched for *.yaml, *.yml and
Kptfile, skipping hidden folders and node_modules; YAML documents that are not KRM objects are
skipped.

Options:
  -f, --format text|json|sarif|junit   report format (default: text)
  -o, --output FILE                    write the report to FILE instead of stdout
  -c, --config FILE                    a ValidateFlatNetwork or ConfigMap function config
                                       (default: the one local-config ValidateFlatNetwork in the input, if any)
      --base REV                       also compare with git revision REV: what GDC fixes at creation
                                       must not change (flat mode, families, pod ranges; FLAT-REV-*)
      --base-optional                  with --base: skip the comparison when REV does not exist
                                       (a repository's first commit)
      --staged                         check the files staged for the next commit, read from git's
                                       index, instead of the working tree: untracked, ignored and
                                       unstaged files do not count, staged deletions do (the
                                       pre-commit hook); symbolic links are reported, not followed;
                                       a --config inside the repository is read from the index too
      --fail-on-warning                exit 1 on warnings too
  -h, --help                           this help

Exit: 0 no errors, 1 errors (or warnings with --fail-on-warning), 2 usage or unreadable input.
`;

export interface CheckOutcome {
  exitCode: 0 | 1 | 2;
  stdout: string;
  stderr: string;
}

export interface CheckEnv {
  cwd: string;
  version: string;
  today: () => string;
}

export function runCheck(argv: readonly string[], env: CheckEnv): CheckOutcome {
  try {
    return check(argv, env);
  } catch (e) {
    if (e instanceof UsageError) return { exitCode: 2, stdout: '', stderr: `flatnet check: ${escapeControls(e.message)}\nRun 'flatnet check --help' for usage.\n` };
    if (e instanceof KrmInputError) return { exitCode: 2, stdout: '', stderr: `flatnet check: ${escapeControls(e.message)}\n` };
    const io = worded(e);
    if (io) return { exitCode: 2, stdout: '', stderr: `flatnet check: ${escapeControls(io.message)}\n` };
    throw e;
  }
}

function check(argv: readonly string[], env: CheckEnv): CheckOutcome {
  const { flags, positional } = parseArgs(argv, {
    values: ['--format', '--output', '--config', '--base'],
    switches: ['--fail-on-warning', '--help', '--base-optional', '--staged'],
    aliases: { '-f': '--format', '-o': '--output', '-c': '--config', '-h': '--help' },
  });
  if (flags.has('--help')) return { exitCode: 0, stdout: CHECK_HELP, stderr: '' };
  const fmt = (flags.get('--format') ?? 'text') as Format;
  if (!FORMATS.includes(fmt)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${String(fmt)}"`);

  // --staged: the commit's files from git's index (staged.ts), else the working tree's.
  const staged = flags.has('--staged') ? readStaged(positional.length ? positional : ['.'], env.cwd) : undefined;
  const files = staged ? [] : collectFiles(positional.length ? positional : ['.'], env.cwd);
  let skipped = 0;
  const shown = staged ? staged.files.map((f) => f.path) : files.map((f) => display(f.abs, env.cwd));
  const items: KubeObject[] = [];
  files.forEach((file, i) => {
    const rel = shown[i]!;
    for (const x of readFileItems(rel, readText(file, rel), { skipNonKrm: true, onSkip: () => skipped++ })) items.push(x);
  });
  for (const f of staged?.files ?? []) for (const x of readFileItems(f.path, f.text, { skipNonKrm: true, onSkip: () => skipped++ })) items.push(x);

  const baseRev = flags.get('--base');
  if (baseRev === true) throw new UsageError('--base needs a revision');
  let base: KubeObject[] | undefined;
  if (typeof baseRev === 'string' && !(flags.has('--base-optional') && !revisionExists(baseRev, env.cwd))) {
    base = readBase(baseRev, positional.length ? positional : ['.'], env.cwd).flatMap((f) => readFileItems(f.path, f.text, { skipNonKrm: true }));
  }

  const fn = makeValidateFunction(env.today);
  const configObj = findConfig(flags.get('--config'), items, env.cwd, staged !== undefined);
  const loaded = loadConfig(configObj, fn.config, 'flatnet check');
  let results: Result[] = loaded.results;
  if (loaded.config) {
    const c = loaded.config;
    results = [
      ...results,
      ...validateFlatNetwork(items, { params: c.params, disable: new Set(c.disable), severity: c.severity, failOnWarnings: c.failOnWarnings, ...(base ? { base } : {}) }),
    ];
  }
  const findings = locate(staged ? [...results, ...staged.notes] : results, items);
  const report: Report = {
    findings,
    files: shown,
    resources: items.filter((i) => !i.isLocalConfig()).length,
    skipped,
    version: env.version,
    catalog: CATALOG,
  };
  const text = format(report, fmt);
  const errors = findings.some((f) => f.result.severity === 'error');
  const warnings = findings.some((f) => f.result.severity === 'warning');
  const exitCode = errors || (warnings && flags.has('--fail-on-warning')) ? 1 : 0;
  const output = flags.get('--output');
  if (typeof output === 'string') {
    writeFileSync(resolve(env.cwd, output), text);
    return { exitCode, stdout: '', stderr: exitCode ? `flatnet check: ${findings.filter((f) => f.result.severity === 'error').length} error(s): see ${output}\n` : '' };
  }
  return { exitCode, stdout: text, stderr: '' };
}

/** A file to check: its absolute path, and the confined directory it is read through. */
interface Found {
  abs: string;
  root: Root;
  rel: string;
}

function readText(file: Found, shown: string): string {
  // Read through its root: regular files only, links only inside, at most the size limit.
  const { bytes } = file.root.read(file.rel, LIMITS.maxInputBytes, (size) => {
    checkInputSize(size, shown);
    return new FsError(`${quote(shown)} is too large`);
  });
  return decodeText(bytes, shown);
}

const SKIP_DIRS = new Set(['node_modules']);

/**
 * The YAML files named or found below the named directories, sorted, each once. A directory is
 * walked without following directory links (kpt does not either); a file link is followed only
 * to a regular file inside the named directory, and a YAML name that leads elsewhere (outside, to
 * nothing, to a device) is an error naming it, never silently passed over.
 */
export function collectFiles(paths: readonly string[], cwd: string): Found[] {
  const out = new Map<string, Found>();
  const walk = (root: Root, rel: string): void => {
    for (const entry of root.list(rel)) {
      if (entry.kind === 'dir') {
        if (!entry.name.startsWith('.') && !SKIP_DIRS.has(entry.name)) walk(root, entry.rel);
      } else if (entry.kind !== 'dir-link' && (/\.ya?ml$/.test(entry.name) || entry.name === 'Kptfile')) {
        if (entry.kind !== 'file') root.realFile(entry.rel); // throws the worded reason
        const abs = root.path(entry.rel);
        if (!out.has(abs)) out.set(abs, { abs, root, rel: entry.rel });
      }
    }
  };
  for (const p of paths) {
    const abs = resolve(cwd, p);
    let st;
    try {
      st = statSync(abs);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`${quote(p)} does not exist`);
      throw ioError('read', p, e);
    }
    if (st.isDirectory()) walk(Root.open(abs, p), '');
    else {
      // A file named on the command line is read as named, through its own directory.
      const root = Root.open(dirname(abs), dirname(p));
      const rel = basename(abs);
      if (!out.has(abs)) out.set(abs, { abs, root, rel });
    }
  }
  return [...out.values()].sort((a, b) => (a.abs < b.abs ? -1 : a.abs > b.abs ? 1 : 0));
}

function display(file: string, cwd: string): string {
  // Files found under cwd (the usual case: collectFiles gives resolved, normalized paths) need no
  // path.relative, which resolves both paths again.
  const under = cwd.endsWith(sep) ? cwd : cwd + sep;
  const rel = isAbsolute(cwd) && file.startsWith(under) ? file.slice(under.length) : relative(cwd, file);
  return (rel.startsWith('..') ? file : rel).split(sep).join('/');
}

function findConfig(flag: string | true | undefined, items: readonly KubeObject[], cwd: string, fromIndex: boolean): KubeObject | undefined {
  if (typeof flag === 'string') {
    const abs = resolve(cwd, flag);
    const staged = fromIndex ? readStagedConfig(flag, cwd) : undefined;
    const rel = staged?.path ?? display(abs, cwd);
    const found = readFileItems(rel, staged?.text ?? readText({ abs, root: Root.open(dirname(abs), dirname(flag)), rel: basename(abs) }, rel));
    if (found.length !== 1) throw new UsageError(`--config "${flag}" must hold exactly one object, a ValidateFlatNetwork or a ConfigMap`);
    return found[0];
  }
  const candidates = items.filter((i) => i.kind === 'ValidateFlatNetwork' && i.group === 'fn.flatnet.dev');
  if (candidates.length > 1) {
    throw new UsageError(`the input holds ${candidates.length} ValidateFlatNetwork configs (${listSome(candidates.map((c) => c.filePath() ?? '(input)'))}): choose one with --config`);
  }
  return candidates[0];
}

/** Adds file positions: the field's line when the result names a field, else the resource's. */
function locate(results: readonly Result[], items: readonly KubeObject[]): Located[] {
  // Only the files that have results are indexed: a clean fleet of thousands needs no lookup.
  const files = new Set(results.map((r) => r.file?.path));
  const byFile = new Map<string, KubeObject>();
  for (const i of items) {
    const path = i.filePath();
    if (files.has(path)) byFile.set(`${path}#${i.fileIndex()}`, i);
  }
  return results.map((result) => {
    const obj = result.file ? byFile.get(`${result.file.path}#${result.file.index}`) : undefined;
    const pos = obj?.positionOf(result.field ? parsePath(result.field.path) : []);
    return pos ? { result, line: pos.line, column: pos.column } : { result };
  });
}

export { todayUTC };
