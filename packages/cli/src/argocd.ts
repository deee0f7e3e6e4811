/**
 * Argo CD config management plugin (sidecar, "CMP v2") commands:
 *
 * - `flatnet argocd generate`, run by the CMP server in the Application's source directory:
 *   renders the package in-process (the package on disk is not changed), checks it, and prints
 *   only the objects to apply, as one YAML stream. On a failing check it prints the findings on
 *   stderr and exits 1; it never prints an empty stream (with auto-prune on, that deletes
 *   everything).
 * - `flatnet argocd discover`, run in the repository root: prints the package's Kptfile when the
 *   Application's path holds a package whose pipeline uses flatnet's functions.
 *
 * Options come from the Application (`spec.source.plugin.env`, seen as `ARGOCD_ENV_<NAME>`, or
 * `spec.source.plugin.parameters`, seen as `PARAM_<NAME>`):
 *   FLATNET_FAIL_ON_WARNINGS / fail-on-warnings = "true"   warnings fail the sync too
 *   FLATNET_BASE / base = <git revision>                    also judge what may not change since it
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { escapeControls, worded } from '@flatnet/fs';
import { KrmInputError, readFileItems } from '@flatnet/krm';
import { asStream, functionName, hiddenClusterFiles, hydrate, readPackage, readPipeline, renderTree } from '@flatnet/pipeline';
import { UsageError } from './args';
import { failure } from './hydrate';
import { resultLine } from './report';
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
    if (e instanceof KrmInputError) return { exitCode: 1, stdout: '', stderr: `flatnet argocd: ${escapeControls(e.message)}\n` };
    const io = worded(e);
    if (io) return { exitCode: 1, stdout: '', stderr: `flatnet argocd: ${escapeControls(io.message)}\n` };
    throw e;
  }
}

function option(env: Env, name: string): string | undefined {
  const fromEnv = env[`ARGOCD_ENV_FLATNET_${name.toUpperCase().replace(/-/g, '_')}`];
  const fromParam = env[`PARAM_${name.toUpperCase().replace(/-/g, '_')}`];
  return fromParam ?? fromEnv;
}

function boolOption(env: Env, name: string): boolean {
  const v = option(env, name);
  if (v === undefined || v === '') return false;
  if (v === 'true' || v === 'false') return v === 'true';
  throw new UsageError(`${name} must be "true" or "false", not "${v}"`);
}

function generate(cwd: string, env: Env, today: () => string): CommandOutcome {
  const failOnWarnings = boolOption(env, 'fail-on-warnings');
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
  const h = hydrate(outcome.items, { hiddenClusters: () => hiddenClusterFiles(tree) });
  if (h.problems.length) return { exitCode: 1, stdout: '', stderr: h.problems.map((p) => `flatnet argocd: ${escapeControls(p)}\n`).join('') };
  return { exitCode: 0, stdout: asStream(h), stderr: '' };
}

function discover(cwd: string, env: Env): CommandOutcome {
  const dir = resolve(cwd, env.ARGOCD_APP_SOURCE_PATH ?? '.');
  const kptfile = join(dir, 'Kptfile');
  if (!existsSync(kptfile)) return { exitCode: 0, stdout: '', stderr: '' };
  try {
    const [obj] = readFileItems('Kptfile', readFileSync(kptfile, 'utf8'));
    if (!obj || obj.kind !== 'Kptfile') return { exitCode: 0, stdout: '', stderr: '' };
    const ours = readPipeline(obj).steps.some((s) => {
      const name = functionName(s);
      return name !== undefined && FUNCTIONS.has(name);
    });
    return { exitCode: 0, stdout: ours ? `${kptfile}\n` : '', stderr: '' };
  } catch {
    // Not ours to judge here: generate reports a broken package precisely.
    return { exitCode: 0, stdout: '', stderr: '' };
  }
}
