/**
 * The pipeline of a Kptfile (`kpt.dev/v1`): mutators, then validators; each entry names its
 * function by `image` or `exec`, with `configPath` | `configMap`, `selectors`, `exclude`, `name`.
 * Problems are reported with the Kptfile field at fault, all at once.
 */
import type { KubeObject } from '@flatnet/krm';

export interface Selector {
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface Step {
  /** `mutators[0]`, for messages. */
  where: string;
  role: 'mutator' | 'validator';
  image?: string;
  exec?: string;
  name?: string;
  configPath?: string;
  configMap?: Record<string, string>;
  selectors: Selector[];
  exclude: Selector[];
}

export interface Pipeline {
  steps: Step[];
  problems: string[];
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function readPipeline(kptfile: KubeObject): Pipeline {
  const steps: Step[] = [];
  const problems: string[] = [];
  const file = kptfile.filePath() ?? 'Kptfile';
  const pipeline = kptfile.get(['pipeline']);
  if (pipeline === undefined || pipeline === null) return { steps, problems };
  if (!isMap(pipeline)) return { steps, problems: [`${file}: \`pipeline\` must be a mapping`] };
  for (const role of ['mutators', 'validators'] as const) {
    const list = pipeline[role];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      problems.push(`${file}: \`pipeline.${role}\` must be a list`);
      continue;
    }
    list.forEach((raw, i) => {
      const where = `pipeline.${role}[${i}]`;
      if (!isMap(raw)) {
        problems.push(`${file}: \`${where}\` must be a mapping`);
        return;
      }
      const step: Step = { where, role: role === 'mutators' ? 'mutator' : 'validator', selectors: [], exclude: [] };
      for (const key of ['image', 'exec', 'name', 'configPath'] as const) {
        const v = raw[key];
        if (v === undefined) continue;
        if (typeof v !== 'string' || v === '') problems.push(`${file}: \`${where}.${key}\` must be a non-empty string`);
        else step[key] = v;
      }
      if (!step.image === !step.exec) problems.push(`${file}: \`${where}\` must have exactly one of \`image\` and \`exec\``);
      if (raw.configMap !== undefined) {
        if (!isMap(raw.configMap)) problems.push(`${file}: \`${where}.configMap\` must be a mapping of strings`);
        else step.configMap = Object.fromEntries(Object.entries(raw.configMap).map(([k, v]) => [k, String(v)]));
      }
      if (raw.configRef !== undefined) problems.push(`${file}: \`${where}.configRef\` is not supported: use \`configPath\``);
      if (step.configPath && step.configMap) problems.push(`${file}: \`${where}\` must not have both \`configPath\` and \`configMap\``);
      for (const key of ['selectors', 'exclude'] as const) {
        const v = raw[key];
        if (v === undefined || v === null) continue;
        if (!Array.isArray(v) || !v.every(isMap)) {
          problems.push(`${file}: \`${where}.${key}\` must be a list of selectors`);
          continue;
        }
        step[key] = v as Selector[];
      }
      steps.push(step);
    });
  }
  return { steps, problems };
}

/** kpt's selector: every field given must match (labels and annotations: every pair). */
export function matches(obj: KubeObject, s: Selector): boolean {
  if (s.apiVersion !== undefined && obj.apiVersion !== s.apiVersion) return false;
  if (s.kind !== undefined && obj.kind !== s.kind) return false;
  if (s.name !== undefined && obj.name !== s.name) return false;
  if (s.namespace !== undefined && obj.namespace !== s.namespace) return false;
  const labels = obj.labels();
  for (const [k, v] of Object.entries(s.labels ?? {})) if (labels[k] !== v) return false;
  const annotations = obj.annotations();
  for (const [k, v] of Object.entries(s.annotations ?? {})) if (annotations[k] !== v) return false;
  return true;
}

export function selected(obj: KubeObject, step: Step): boolean {
  if (step.selectors.length > 0 && !step.selectors.some((s) => matches(obj, s))) return false;
  return !step.exclude.some((s) => matches(obj, s));
}

/**
 * Which of flatnet's functions a step names: `exec: ./dist/fn/<fn>.js`, `exec: <anything>/<fn>.js`,
 * `exec: flatnet fn <fn>` (or a path to flatnet.js), or `image: <registry>/<fn>[:tag|@digest]`.
 */
export function functionName(step: Step): string | undefined {
  if (step.exec) {
    const words = step.exec.trim().split(/\s+/);
    const first = words[0] ?? '';
    const base = first.slice(first.lastIndexOf('/') + 1);
    if ((base === 'flatnet' || base === 'flatnet.js') && words[1] === 'fn') return words[2];
    if (base.endsWith('.js')) return base.slice(0, -3);
    return undefined;
  }
  if (step.image) {
    const noDigest = step.image.split('@')[0]!;
    const last = noDigest.slice(noDigest.lastIndexOf('/') + 1);
    return last.split(':')[0];
  }
  return undefined;
}
