/**
 * Function config loading, as kustomize's kyaml framework does it: schema check, then defaults,
 * then semantic checks, reporting every problem at once as results on the `functionConfig`.
 *
 * A function accepts either a `ConfigMap` (what a Kptfile `configMap:` becomes; every value is a
 * string and is converted by the field's declared type) or a typed object of its own kind.
 */
import type { ErrorObject } from 'ajv';
import type { JsonObject, KubeObject } from './kube-object';
import { formatPath, resultFor, type Result, type Severity } from './result';

/** The shape of an ajv-compiled validator (standalone code has the same shape). */
export interface SchemaValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/** How a ConfigMap string converts to the typed field. */
export type ConfigFieldType = 'string' | 'boolean' | 'integer' | 'string-list' | 'json';

export interface ConfigIssue {
  /** Path in the typed form, e.g. `peers[0].asn` (for a ConfigMap, the data key). */
  path: string;
  message: string;
  severity?: Severity;
}

/**
 * `R` is the typed form the schema accepts (generated from the same schema in @flatnet/api), so
 * the code that reads a config cannot drift from its schema.
 */
export interface ConfigSpec<C, R = JsonObject> {
  apiVersion: string;
  kind: string;
  /** Validates the typed form (the object without apiVersion, kind and metadata). */
  validate: SchemaValidator;
  /** ConfigMap `data` keys this function understands and how each one converts. */
  configMapFields: Record<string, ConfigFieldType>;
  /** Fills defaults into a schema-valid raw config. Pure. */
  defaults(raw: R): C;
  /** Semantic checks on the defaulted config. */
  check?(config: C): ConfigIssue[];
  /** When true, running without a functionConfig is an error. */
  required?: boolean;
  /** Says why a value fails a schema `format` (e.g. which IP rule), for messages. */
  explainFormat?: ExplainFormat;
}

export type ExplainFormat = (format: string, value: unknown) => string | undefined;

export interface LoadedConfig<C> {
  config?: C;
  results: Result[];
}

export function loadConfig<C, R>(fc: KubeObject | undefined, spec: ConfigSpec<C, R>, fnName: string): LoadedConfig<C> {
  const results: Result[] = [];
  const issue = (path: string, message: string, severity: Severity = 'error'): void => {
    if (fc) results.push(resultFor(fc, severity, message, { field: { path } }));
    else results.push({ message, severity });
  };

  if (!fc || isEmptyConfig(fc)) {
    if (spec.required) {
      issue('', `${fnName} needs a function config: a ${spec.kind} (${spec.apiVersion}) or a ConfigMap`);
      return { results };
    }
    return finish({}, 'typed');
  }

  let raw: JsonObject;
  let mode: 'configmap' | 'typed';
  if (fc.kind === 'ConfigMap' && fc.apiVersion === 'v1') {
    mode = 'configmap';
    raw = {};
    const data = fc.get(['data']);
    if (data !== undefined && data !== null) {
      if (typeof data !== 'object' || Array.isArray(data)) {
        issue('data', '`data` must be a mapping of strings');
        return { results };
      }
      for (const [key, value] of Object.entries(data as JsonObject)) {
        const type = spec.configMapFields[key];
        if (!type) {
          const known = Object.keys(spec.configMapFields);
          issue(`data.${key}`, `\`data.${key}\` is not a setting of ${fnName}${known.length ? `: use one of ${known.map((k) => `"${k}"`).join(', ')}` : ''}`);
          continue;
        }
        const converted = convert(String(value ?? ''), type);
        if (converted.ok) raw[key] = converted.value;
        else issue(`data.${key}`, `\`data.${key}\` ${JSON.stringify(String(value))} ${converted.message}`);
      }
    }
  } else if (fc.kind === spec.kind && fc.apiVersion === spec.apiVersion) {
    mode = 'typed';
    raw = {};
    for (const [k, v] of Object.entries(fc.value)) if (k !== 'apiVersion' && k !== 'kind' && k !== 'metadata') raw[k] = v;
  } else {
    issue(
      '',
      `functionConfig ${fc.apiVersion}/${fc.kind} is not understood by ${fnName}: use a ${spec.kind} (${spec.apiVersion}) or a ConfigMap`,
    );
    return { results };
  }
  if (results.some((r) => r.severity === 'error')) return { results };
  return finish(raw, mode);

  function finish(rawConfig: JsonObject, how: 'configmap' | 'typed'): LoadedConfig<C> {
    if (!spec.validate(rawConfig)) {
      for (const err of spec.validate.errors ?? []) {
        const f = formatSchemaError(err, '', spec.explainFormat);
        if (how === 'configmap') issue(`data.${f.path.split(/[.[]/)[0]}`, f.message.replace(/`([^`]+)`/, '`data.$1`'));
        else issue(f.path, f.message);
      }
      return { results };
    }
    const config = spec.defaults(rawConfig as never); // the schema has just accepted it
    for (const i of spec.check?.(config) ?? []) issue(how === 'configmap' ? `data.${i.path.split(/[.[]/)[0]}` : i.path, i.message, i.severity);
    return results.some((r) => r.severity === 'error') ? { results } : { config, results };
  }
}

function isEmptyConfig(fc: KubeObject): boolean {
  // kpt sends no functionConfig, or an empty ConfigMap for `configMap: {}`.
  return fc.kind === 'ConfigMap' && (fc.get(['data']) === undefined || fc.get(['data']) === null) && !fc.name;
}

type Converted = { ok: true; value: unknown } | { ok: false; message: string };

function convert(text: string, type: ConfigFieldType): Converted {
  const t = text.trim();
  switch (type) {
    case 'string':
      return { ok: true, value: text };
    case 'boolean':
      if (t === 'true') return { ok: true, value: true };
      if (t === 'false') return { ok: true, value: false };
      return { ok: false, message: 'must be "true" or "false"' };
    case 'integer':
      return /^-?\d+$/.test(t) ? { ok: true, value: Number(t) } : { ok: false, message: 'must be a whole number' };
    case 'string-list':
      return { ok: true, value: t === '' ? [] : t.split(',').map((s) => s.trim()).filter((s) => s !== '') };
    case 'json':
      try {
        return { ok: true, value: JSON.parse(t) };
      } catch {
        return { ok: false, message: 'must be JSON' };
      }
  }
}

/** ajv's `/spec/nodes/0` as `spec.nodes[0]` (JSON pointer segments through `formatPath`). */
export function pointerToPath(pointer: string): string {
  if (!pointer) return '';
  return formatPath(
    pointer
      .split('/')
      .slice(1)
      .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((seg) => (/^\d+$/.test(seg) ? Number(seg) : seg)),
  );
}

const joinPath = (base: string, key: string): string =>
  /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? (base ? `${base}.${key}` : key) : `${base}[${JSON.stringify(key)}]`;

/** One ajv error as a field path and a kpt-style message ("must", quoted values, back-quoted fields). */
export function formatSchemaError(err: ErrorObject, prefix = '', explain?: ExplainFormat): { path: string; message: string } {
  const here = pointerToPath(err.instancePath);
  const base = prefix && here ? `${prefix}.${here}` : prefix || here;
  const p = err.params as Record<string, unknown>;
  // With ajv's `verbose`, the offending value is at hand: quote it, as kpt's messages do.
  const shown = err.data !== undefined && (typeof err.data !== 'object' || err.data === null) ? ` ${JSON.stringify(err.data)}` : '';
  const at = (path: string): string => (path ? `\`${path}\`${shown}` : 'the object');
  const hint = (err.parentSchema as Record<string, unknown> | undefined)?.['x-message'];
  switch (err.keyword) {
    case 'required': {
      const path = joinPath(base, String(p.missingProperty));
      return { path, message: `\`${path}\` is required` };
    }
    case 'additionalProperties': {
      const path = joinPath(base, String(p.additionalProperty));
      return { path, message: `\`${path}\` is not a known field: remove it or check its spelling` };
    }
    case 'type':
      return { path: base, message: `${at(base)} must be ${article(String(p.type))}` };
    case 'enum':
      return {
        path: base,
        message: `${at(base)} must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'const':
      return { path: base, message: `${at(base)} must be ${JSON.stringify(p.allowedValue)}` };
    case 'minimum':
    case 'exclusiveMinimum':
      return { path: base, message: `${at(base)} must be at least ${String(p.limit)}` };
    case 'maximum':
    case 'exclusiveMaximum':
      return { path: base, message: `${at(base)} must be at most ${String(p.limit)}` };
    case 'minItems':
      return { path: base, message: `${at(base)} must have at least ${String(p.limit)} ${Number(p.limit) === 1 ? 'entry' : 'entries'}` };
    case 'maxItems':
      return { path: base, message: `${at(base)} must have at most ${String(p.limit)} entries` };
    case 'uniqueItems':
      return { path: base, message: `${at(base)} must not repeat an entry (entries ${String(p.j)} and ${String(p.i)} are the same)` };
    case 'minLength':
      return { path: base, message: `${at(base)} must not be empty` };
    case 'maxLength':
      return { path: base, message: `${at(base)} must be at most ${String(p.limit)} characters` };
    case 'pattern':
      return { path: base, message: `${at(base)} must ${typeof hint === 'string' ? hint : `match the pattern "${String(p.pattern)}"`}` };
    case 'format': {
      const why = explain?.(String(p.format), err.data);
      if (why) return { path: base, message: `\`${base}\`: ${why}` };
      return { path: base, message: `${at(base)} must ${typeof hint === 'string' ? hint : `be a valid ${String(p.format)}`}` };
    }
    case 'minProperties':
      return { path: base, message: `${at(base)} must not be empty` };
    default:
      return { path: base, message: `${at(base)} ${err.message ?? 'is not valid'}` };
  }
}

function article(type: string): string {
  const words = type.split(',').map((t) => (t === 'object' ? 'mapping' : t === 'array' ? 'list' : t));
  const text = words.join(' or ');
  return /^[aeiou]/.test(text) ? `an ${text}` : `a ${text}`;
}
