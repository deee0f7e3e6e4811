/**
 * Runs a package's Kptfile pipeline in-process: one parse, every function as a plain call, no kpt
 * and no containers. As kpt does: subpackages first, each with its own pipeline over its own
 * resources; then the parent's pipeline over its resources and its subpackages'. Mutators, then
 * validators; `configPath`, `configMap`, `selectors` and `exclude` honoured; the first failing
 * function stops the render. Nothing is written here (see write.ts).
 */
import { KubeObject, processList, type KrmFunction, type Result } from '@flatnet/krm';
import { functionName, readPipeline, selected, type Step } from './kptfile';
import type { PackageTree } from './package';

// The registry erases each function's config type (`any` on purpose).
export type FunctionLookup = (name: string) => KrmFunction<any> | undefined;

export interface StepOutcome {
  /** The package the step belongs to, relative to the root ('' for the root). */
  pkg: string;
  step: Step;
  exitCode: 0 | 1;
  results: Result[];
  stderr: string;
}

export interface RenderOutcome {
  ok: boolean;
  /** The rendered items of the whole tree (only meaningful when ok). */
  items: KubeObject[];
  steps: StepOutcome[];
  /** Why the render could not run or stopped, one line. */
  error?: string;
}

export function renderTree(tree: PackageTree, lookup: FunctionLookup): RenderOutcome {
  const steps: StepOutcome[] = [];
  let items: KubeObject[] = [];
  for (const sub of tree.subpackages) {
    const out = renderTree(sub, lookup);
    for (const x of out.steps) steps.push(x);
    if (!out.ok) return { ok: false, items: [], steps, ...(out.error ? { error: out.error } : {}) };
    for (const x of out.items) items.push(x);
  }
  for (const x of tree.items) items.push(x);
  const kptfilePath = tree.rel ? `${tree.rel}/Kptfile` : 'Kptfile';
  const kptfile = tree.items.find((i) => i.filePath() === kptfilePath && i.kind === 'Kptfile');
  if (!kptfile) return { ok: false, items: [], steps, error: `${kptfilePath}: not a Kptfile (kind Kptfile, apiVersion kpt.dev/v1)` };
  const pipeline = readPipeline(kptfile);
  if (pipeline.problems.length) return { ok: false, items: [], steps, error: pipeline.problems.join('; ') };

  for (const step of pipeline.steps) {
    const where = `${kptfilePath}: \`${step.where}\``;
    const name = functionName(step);
    const fn = name ? lookup(name) : undefined;
    if (!fn) {
      const what = step.exec ? `exec "${step.exec}"` : `image "${step.image}"`;
      return { ok: false, items: [], steps, error: `${where}: ${what} is not a flatnet function, and flatnet render runs only its own functions, in-process: use kpt fn render for this package` };
    }
    if ((step.role === 'validator') !== (fn.kind === 'validator')) {
      return { ok: false, items: [], steps, error: `${where}: ${fn.name} is a ${fn.kind}: list it under \`pipeline.${fn.kind === 'validator' ? 'validators' : 'mutators'}\`` };
    }
    let functionConfig: KubeObject | undefined;
    if (step.configPath) {
      const path = normalize(tree.rel ? `${tree.rel}/${step.configPath}` : step.configPath);
      const found = items.filter((i) => i.filePath() === path);
      if (found.length !== 1) {
        return { ok: false, items: [], steps, error: `${where}.configPath: "${step.configPath}" must be a file of the package holding exactly one object (found ${found.length})` };
      }
      functionConfig = found[0];
    } else if (step.configMap) {
      functionConfig = KubeObject.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'function-input' }, data: step.configMap });
    }
    const chosen = items.filter((i) => selected(i, step));
    const chosenSet = new Set(chosen);
    // kpt puts back the field order of what it passed to a function (kyaml's order sync): so do we.
    for (const i of chosen) i.beginStep();
    const p = processList(fn, { items: chosen, functionConfig, results: [] });
    for (const i of chosen) i.endStep();
    steps.push({ pkg: tree.rel, step, exitCode: p.exitCode, results: p.list.results, stderr: p.stderr });
    if (p.exitCode !== 0) return { ok: false, items: [], steps, error: `${where}: ${fn.name} failed${p.stderr ? `: ${p.stderr.trim()}` : ''}` };
    // Items the function did not see keep their places; what it returned replaces what it saw.
    const output = new Set(p.list.items);
    const merged: KubeObject[] = [];
    for (const i of items) if (!chosenSet.has(i) || output.has(i)) merged.push(i);
    for (const i of p.list.items) if (!chosenSet.has(i)) merged.push(i);
    items = merged;
  }
  return { ok: true, items, steps };
}

/** `a/./b/../c.yaml` -> `a/c.yaml`. */
function normalize(path: string): string {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return out.join('/');
}
