/**
 * `flatnet check PATH…`: the validator over files and directories of YAML (kpt packages or plain
 * manifests), for CI and pre-commit. The same config spec and the same processor as the KRM
 * function, so both give the same findings on the same files.
 *
 * A file that cannot be read or parsed is a finding (FLAT-INP-*, see docs/policies.md)
 * and every other file is still checked: one template in a GitOps repository must not hide the
 * findings of the rest. The report is always written, in every format.
 * Exit: 0 clean, 1 errors — input findings included — (and warnings with --fail-on-warning),
 * 2 usage errors: bad options, a named path that does not exist, `--staged` outside git, an
 * unusable `--config` or `--base` (the operator's own input); a report is written then too when
 * there is one to write (`-o FILE`, or a machine format on stdout), holding that one error.
 */
import { statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { READ_GROUPS, TYPED_FIELDS } from '@flatnet/api';
import { FsError, Root, ioError, quote, escapeControls, worded } from '@flatnet/fs';
import { KrmInputError, LIMITS, checkInputSize, decodeText, inputDetail, listSome, loadConfig, parsePath, readFileItems, type KubeObject, type ReadFileOptions, type Result } from '@flatnet/krm';
import { CATALOG, DOCS_BASE, type PolicyMeta } from '../../../functions/validate-flat-network/src/catalog';
import { makeValidateFunction, todayUTC } from '../../../functions/validate-flat-network/src/function';
import { validateFlatNetwork } from '../../../functions/validate-flat-network/src/validate';
import { parseArgs, UsageError } from './args';
import { checkFleet, isFleet } from './fleet-check';
import { readBase, revisionExists } from './git';
import { readStaged, readStagedConfig } from './staged';
import { format, FORMATS, type Format, type Located, type Report } from './report';
import inputCatalogJson from './generated/input-catalog.json';

/** The findings of reading files (FLAT-INP-*), generated from policies/input by `npm run gen`. */
export const INPUT_CATALOG: readonly PolicyMeta[] = inputCatalogJson as PolicyMeta[];

export const CHECK_HELP = `Usage: flatnet check [PATH...] [options]

Validates flat-mode BGP manifests in files and directories (default: .) with every policy of
validate-flat-network (docs/policies.md). Directories are searched for *.yaml, *.yml and
Kptfile, skipping hidden folders and node_modules; YAML documents that are not KRM objects are
skipped. A file that cannot be read or parsed (an unrendered template, a docs snippet with
"..." lines) is a finding (FLAT-INP-*), and every other file is still checked.

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

Exit: 0 no errors, 1 errors, unreadable files included (or warnings with --fail-on-warning),
2 usage errors (options, paths, --staged, --config, --base); the report is written in every case.
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
  let target: ReportTarget | undefined;
  try {
    return check(argv, env, (t) => (target = t));
  } catch (e) {
    let message: string;
    let usage = false;
    if (e instanceof UsageError) {
      message = e.message;
      usage = true;
    } else if (e instanceof KrmInputError) message = e.message;
    else {
      const io = worded(e);
      if (!io) throw e;
      message = io.message;
    }
    const stderr = `flatnet check: ${escapeControls(message)}\n${usage ? "Run 'flatnet check --help' for usage.\n" : ''}`;
    // The report still, holding the one error: a CI step that uploads it must find it.
    if (target && (target.output !== undefined || target.fmt !== 'text')) {
      const failed: Located = { result: { severity: 'error', message: `flatnet check could not run: ${message}` } };
      const text = format({ findings: [failed], files: [], resources: 0, skipped: 0, version: env.version, catalog: [] }, target.fmt);
      if (target.output === undefined) return { exitCode: 2, stdout: text, stderr };
      try {
        writeFileSync(resolve(env.cwd, target.output), text);
      } catch (w) {
        return { exitCode: 2, stdout: '', stderr: `${stderr}flatnet check: ${escapeControls(ioError('write', target.output, w).message)}\n` };
      }
    }
    return { exitCode: 2, stdout: '', stderr };
  }
}

/** Where the report goes, known once the options are read. */
interface ReportTarget {
  fmt: Format;
  output: string | undefined;
}

function check(argv: readonly string[], env: CheckEnv, onTarget: (t: ReportTarget) => void): CheckOutcome {
  const { flags, positional } = parseArgs(argv, {
    values: ['--format', '--output', '--config', '--base'],
    switches: ['--fail-on-warning', '--help', '--base-optional', '--staged'],
    aliases: { '-f': '--format', '-o': '--output', '-c': '--config', '-h': '--help' },
  });
  if (flags.has('--help')) return { exitCode: 0, stdout: CHECK_HELP, stderr: '' };
  const fmt = (flags.get('--format') ?? 'text') as Format;
  if (!FORMATS.includes(fmt)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${String(fmt)}"`);
  const output = flags.get('--output');
  if (output === true) throw new UsageError('--output needs a value');
  onTarget({ fmt, output });

  // --staged: the commit's files from git's index (staged.ts), else the working tree's.
  const staged = flags.has('--staged') ? readStaged(positional.length ? positional : ['.'], env.cwd) : undefined;
  const files = staged ? [] : collectFiles(positional.length ? positional : ['.'], env.cwd);
  let skipped = 0;
  const shown = staged ? staged.files.map((f) => f.path) : files.map((f) => display(f.abs, env.cwd));
  const items: KubeObject[] = [];
  const inputs: Located[] = []; // findings of reading, FLAT-INP-*
  const readOne = (path: string, text: () => string): void => {
    const opts: ReadFileOptions = {
      skipNonKrm: true,
      onSkip: () => skipped++,
      readGroups: READ_GROUPS,
      typedFields: TYPED_FIELDS,
      exclude: 'name only the other paths to check',
      onNote: (line, message) => inputs.push(inputFinding('FLAT-INP-006', path, line, message)),
    };
    try {
      for (const item of readFileItems(path, text(), opts)) items.push(item);
    } catch (e) {
      inputs.push(unreadable(path, e));
    }
  };
  files.forEach((file, i) => {
    const rel = shown[i]!;
    readOne(rel, () => {
      if (file.problem !== undefined) throw file.problem;
      return readText(file, rel);
    });
  });
  for (const f of staged?.files ?? []) {
    readOne(f.path, () => {
      if (typeof f.text !== 'string') throw f.text;
      return f.text;
    });
  }

  const baseRev = flags.get('--base');
  if (baseRev === true) throw new UsageError('--base needs a revision');
  let base: KubeObject[] | undefined;
  const baseNotes: Result[] = [];
  if (typeof baseRev === 'string' && !(flags.has('--base-optional') && !revisionExists(baseRev, env.cwd))) {
    base = [];
    for (const f of readBase(baseRev, positional.length ? positional : ['.'], env.cwd)) {
      try {
        if (typeof f.text !== 'string') throw f.text;
        for (const item of readFileItems(f.path, f.text, { skipNonKrm: true })) base.push(item);
      } catch (e) {
        // What the base revision held there is unknown: said, not guessed (nor a finding of this commit).
        const why = e instanceof KrmInputError ? inputDetail(e, f.path).message : worded(e)?.message;
        if (why === undefined) throw e;
        baseNotes.push({ severity: 'info', message: `at --base ${quote(baseRev)} this file cannot be read (${why}): its objects there are not compared`, file: { path: f.path } });
      }
    }
  }

  const fn = makeValidateFunction(env.today);
  // Several packages, each with its config (a fleet of admin clusters): each judged by its own.
  const fleet = flags.get('--config') === undefined && isFleet(items);
  const configObj = fleet ? undefined : findConfig(flags.get('--config'), items, env.cwd, staged !== undefined);
  const loaded = fleet ? { results: checkFleet(items, base, fn), config: undefined } : loadConfig(configObj, fn.config, 'flatnet check');
  let results: Result[] = loaded.results;
  if (loaded.config) {
    const c = loaded.config;
    results = [
      ...results,
      ...validateFlatNetwork(items, { params: c.params, disable: new Set(c.disable), severity: c.severity, failOnWarnings: c.failOnWarnings, ...(base ? { base } : {}) }),
    ];
  }
  const findings = [...inputs, ...locate([...results, ...baseNotes, ...(staged?.notes ?? [])], items)];
  const report: Report = {
    findings,
    files: shown,
    resources: items.filter((i) => !i.isLocalConfig()).length,
    skipped,
    version: env.version,
    catalog: [...CATALOG, ...INPUT_CATALOG],
  };
  const text = format(report, fmt);
  const errors = findings.filter((f) => f.result.severity === 'error').length;
  const warnings = findings.some((f) => f.result.severity === 'warning');
  const exitCode = errors || (warnings && flags.has('--fail-on-warning')) ? 1 : 0;
  if (typeof output === 'string') {
    try {
      writeFileSync(resolve(env.cwd, output), text);
    } catch (e) {
      return { exitCode: 2, stdout: '', stderr: `flatnet check: ${escapeControls(ioError('write', output, e).message)}\n` };
    }
    return { exitCode, stdout: '', stderr: exitCode ? `flatnet check: ${errors} error(s): see ${output}\n` : '' };
  }
  return { exitCode, stdout: text, stderr: '' };
}

const INPUT_BY_ID = new Map(INPUT_CATALOG.map((p) => [p.id, p]));

/** A finding of reading a file: no object to point at, so the file and the line. */
function inputFinding(id: string, path: string, line: number | undefined, message: string): Located {
  const meta = INPUT_BY_ID.get(id);
  const result: Result = {
    severity: meta?.severity ?? 'error',
    message,
    file: { path },
    tags: { policy: id, category: 'input', docs: `${DOCS_BASE}#${meta?.anchor ?? id.toLowerCase()}` },
  };
  return line !== undefined ? { result, line, column: 1 } : { result };
}

/** Which input finding an error reading a file is, worded; anything else is a bug and goes on up. */
function unreadable(path: string, e: unknown): Located {
  const err = e instanceof KrmInputError ? e : worded(e);
  if (!err) throw e;
  const id =
    err.code === 'template' ? 'FLAT-INP-003'
    : err.code === 'elision' ? 'FLAT-INP-004'
    : err.code === 'not-krm-object' ? 'FLAT-INP-005'
    : err.code === 'io' || err.code === 'too-large' ? 'FLAT-INP-002'
    : 'FLAT-INP-001';
  const { line, message } = inputDetail(err, path);
  return inputFinding(id, path, line, message);
}

/** A file to check: its absolute path, and the confined directory it is read through. */
interface Found {
  abs: string;
  root: Root;
  rel: string;
  /** Why it cannot be read (a link out of the directory, to nothing, to a device): a finding. */
  problem?: unknown;
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
 * nothing, to a device) comes with its worded `problem`, reported as a finding, never silently
 * passed over.
 */
export function collectFiles(paths: readonly string[], cwd: string): Found[] {
  const out = new Map<string, Found>();
  const walk = (root: Root, rel: string): void => {
    for (const entry of root.list(rel)) {
      if (entry.kind === 'dir') {
        if (!entry.name.startsWith('.') && !SKIP_DIRS.has(entry.name)) walk(root, entry.rel);
      } else if (entry.kind !== 'dir-link' && (/\.ya?ml$/.test(entry.name) || entry.name === 'Kptfile')) {
        let problem: unknown;
        try {
          if (entry.kind !== 'file') root.realFile(entry.rel); // throws the worded reason
        } catch (e) {
          if (!worded(e)) throw e;
          problem = e;
        }
        const abs = root.path(entry.rel);
        if (!out.has(abs)) out.set(abs, { abs, root, rel: entry.rel, ...(problem !== undefined ? { problem } : {}) });
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
