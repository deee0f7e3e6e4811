/**
 * Argo CD config management plugin (sidecar, "CMP v2") commands:
 *
 * - `flatnet argocd generate`, run by the CMP server in the Application's source directory:
 *   renders the package in-process (the package on disk is not changed), checks it, and prints
 *   only the objects to apply, as one YAML stream. On a failing check it prints the findings on
 *   stderr and exits 1; it never prints an empty stream (with auto-prune on, that deletes
 *   everything).
 * - `flatnet argocd discover`: prints the package's Kptfile when the Application's path holds a
 *   package whose pipeline uses flatnet's functions. Argo CD 2.8 and later run it in the
 *   Application's source directory (argo-cd PR #13946), 2.4–2.7 in the repository root; both set
 *   ARGOCD_APP_SOURCE_PATH (relative to the root): see `appDirectory`.
 *
 * Options come from the Application (`spec.source.plugin.parameters`, seen as `PARAM_<NAME>`, or
 * `spec.source.plugin.env`, seen as `ARGOCD_ENV_<NAME>`), else from the sidecar container's own
 * environment (`FLATNET_<NAME>`: operator-wide defaults), in that order:
 *   FLATNET_FAIL_ON_WARNINGS / fail-on-warnings = "true"   warnings fail the sync too
 *   FLATNET_BASE / base = <git revision>                    also judge what may not change since it
 *   FLATNET_DELETION_PROTECTION / deletion-protection = confirm|false|off   (see flatnet hydrate)
 *   FLATNET_NAMESPACES / namespaces = "true"               also print a Namespace per namespace used
 */
import { existsSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { FsError, Root, escapeControls, worded } from '@flatnet/fs';
import { KrmInputError, LIMITS, decodeText, readFileItems } from '@flatnet/krm';
import { asStream, functionName, hiddenClusterFiles, hydrate, readPackage, readPipeline, renderTree } from '@flatnet/pipeline';
import { UsageError } from './args';
import { failure, protectionOf } from './hydrate';
import { inputErrorLines, resultLine } from './report';
import { revisionFindings } from './revisions';
import { FUNCTIONS } from './registry';
import type { CommandOutcome } from './render';

export type Env = Readonly<Record<string, string | undefined>>;

export function runArgocd(argv: readonly string[], cwd: string, env: Env, today: () => string): CommandOutcome {
  try {
    const [sub, ...rest] = argv;
    if (rest.length) throw new UsageError(`argocd ${sub ?? ''} takes no arguments: options come from the Application (ARGOCD_ENV_FLATNET_* or PARAM_*)`);
    if (sub === 'generate') return generate(cwd, env, today);
    if (sub === 'discover') return discover(cwd, env);
    throw new UsageError('argocd needs a subcommand: generate or discover');
  } catch (e) {
    if (e instanceof UsageError) return { exitCode: 2, stdout: '', stderr: `flatnet argocd: ${escapeControls(e.message)}\n` };
    if (e instanceof KrmInputError) return { exitCode: 1, stdout: '', stderr: inputErrorLines('argocd', e) };
    const io = worded(e);
    if (io) return { exitCode: 1, stdout: '', stderr: `flatnet argocd: ${escapeControls(io.message)}\n` };
    throw e;
  }
}

function option(env: Env, name: string): string | undefined {
  const key = name.toUpperCase().replace(/-/g, '_');
  return env[`PARAM_${key}`] ?? env[`ARGOCD_ENV_FLATNET_${key}`] ?? env[`FLATNET_${key}`];
}

function boolOption(env: Env, name: string): boolean {
  const v = option(env, name);
  if (v === undefined || v === '') return false;
  if (v === 'true' || v === 'false') return v === 'true';
  throw new UsageError(`${name} must be "true" or "false", not "${v}"`);
}

function generate(cwd: string, env: Env, today: () => string): CommandOutcome {
  const failOnWarnings = boolOption(env, 'fail-on-warnings');
  const deletionProtection = protectionOf(option(env, 'deletion-protection'), 'deletion-protection');
  const namespaces = boolOption(env, 'namespaces');
  const base = option(env, 'base');
  const tree = readPackage(cwd);
  const outcome = renderTree(tree, (n) => FUNCTIONS.get(n));
  if (!outcome.ok) return { exitCode: 1, stdout: '', stderr: failure(outcome) };
  const findings: string[] = [];
  for (const s of outcome.steps) {
    for (const r of s.results) {
      if (r.severity === 'warning' && failOnWarnings) findings.push(`${resultLine(r)} (warnings fail: fail-on-warnings is true)`);
    }
  }
  // readBase asks git itself, and says so when the source directory has no history.
  if (base) for (const x of revisionFindings(outcome.items, base, cwd, today).filter((r) => r.severity === 'error').map(resultLine)) findings.push(x);
  if (findings.length) return { exitCode: 1, stdout: '', stderr: `${findings.join('\n')}\nflatnet argocd: ${findings.length} finding(s): nothing generated\n` };
  const h = hydrate(outcome.items, { hiddenClusters: () => hiddenClusterFiles(tree), deletionProtection, namespaces });
  if (h.problems.length) return { exitCode: 1, stdout: '', stderr: h.problems.map((p) => `flatnet argocd: ${escapeControls(p)}\n`).join('') };
  return { exitCode: 0, stdout: asStream(h), stderr: '' };
}

/**
 * The Application's source directory for `discover`. Argo CD ≥ 2.8 runs the command in it, with
 * ARGOCD_APP_SOURCE_PATH still set; 2.4–2.7 run it in the repository root. So: the working
 * directory when it ends with the source path and holds a Kptfile (≥ 2.8), else the source path
 * below it (2.4–2.7). A source path that leaves the repository (`..`, absolute) names nothing.
 */
export function appDirectory(cwd: string, sourcePath: string | undefined): string | undefined {
  const parts = (sourcePath ?? '').split('/').filter((p) => p !== '' && p !== '.');
  if ((sourcePath ?? '').startsWith('/') || parts.includes('..')) return undefined;
  if (parts.length === 0) return cwd;
  const here = cwd.split(sep).filter(Boolean);
  const endsWith = here.length >= parts.length && parts.every((p, i) => here[here.length - parts.length + i] === p);
  const below = join(cwd, ...parts);
  if (endsWith && hasKptfile(cwd)) return cwd;
  if (hasKptfile(below)) return below;
  return endsWith ? cwd : below;
}

const hasKptfile = (dir: string): boolean => existsSync(join(dir, 'Kptfile'));

function discover(cwd: string, env: Env): CommandOutcome {
  const dir = appDirectory(resolve(cwd), env.ARGOCD_APP_SOURCE_PATH);
  if (!dir || !hasKptfile(dir)) return { exitCode: 0, stdout: '', stderr: '' };
  try {
    // Read as every file is: confined to the app directory, a regular file, bounded.
    const root = Root.open(dir);
    const text = decodeText(root.read('Kptfile', LIMITS.maxInputBytes, () => new FsError('the Kptfile is too large')).bytes, 'Kptfile');
    const [obj] = readFileItems('Kptfile', text);
    if (!obj || obj.kind !== 'Kptfile') return { exitCode: 0, stdout: '', stderr: '' };
    const ours = readPipeline(obj).steps.some((s) => {
      const name = functionName(s);
      return name !== undefined && FUNCTIONS.has(name);
    });
    return { exitCode: 0, stdout: ours ? `${join(dir, 'Kptfile')}\n` : '', stderr: '' };
  } catch {
    // Not ours to judge here: generate reports a broken package precisely.
    return { exitCode: 0, stdout: '', stderr: '' };
  }
}
