/**
 * Results as the KRM Functions Specification defines them (`config.kubernetes.io/v1` ResourceList
 * `results[]`), plus helpers to build them from an item and to order them deterministically.
 */
import type { KubeObject } from './kube-object';

export type Severity = 'error' | 'warning' | 'info';

export interface ResourceRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface ResultField {
  /** Dotted path with `[i]` list indexes, e.g. `spec.floatingIPs[1]`. */
  path: string;
  currentValue?: unknown;
  proposedValue?: unknown;
}

export interface ResultFile {
  path: string;
  index?: number;
}

export interface Result {
  message: string;
  severity: Severity;
  resourceRef?: ResourceRef;
  field?: ResultField;
  file?: ResultFile;
  tags?: Record<string, string>;
}

export interface ResultOptions {
  field?: ResultField;
  tags?: Record<string, string>;
}

/** A result about one item: `resourceRef` and `file` come from the item and its path annotations. */
export function resultFor(obj: KubeObject, severity: Severity, message: string, opts: ResultOptions = {}): Result {
  const result: Result = { message, severity };
  const ref = obj.resourceRef();
  // The spec's resourceRef needs a name; an unnamed object is located by its file instead.
  if (ref) {
    result.resourceRef = ref;
    if (opts.field) result.field = opts.field;
  } else if (opts.field) {
    result.message = `${message} (at \`${opts.field.path}\`)`;
  }
  const file = obj.fileRef();
  if (file) result.file = file;
  if (opts.tags && Object.keys(opts.tags).length > 0) result.tags = opts.tags;
  return result;
}

export const errorFor = (obj: KubeObject, message: string, opts?: ResultOptions): Result =>
  resultFor(obj, 'error', message, opts);
export const warningFor = (obj: KubeObject, message: string, opts?: ResultOptions): Result =>
  resultFor(obj, 'warning', message, opts);
export const infoFor = (obj: KubeObject, message: string, opts?: ResultOptions): Result =>
  resultFor(obj, 'info', message, opts);

/** A result that is about the input as a whole, not one item. */
export function generalResult(severity: Severity, message: string, tags?: Record<string, string>): Result {
  return tags ? { message, severity, tags } : { message, severity };
}

export const hasErrors = (results: readonly Result[]): boolean => results.some((r) => r.severity === 'error');

const severityRank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * Deterministic order: by file path and index (results without a file first), then severity,
 * then resource, field and message. Stable for equal keys.
 */
export function sortResults(results: readonly Result[]): Result[] {
  const key = (r: Result): [string, number, number, string, string, string] => [
    r.file?.path ?? '',
    r.file?.index ?? -1,
    severityRank[r.severity],
    r.resourceRef ? `${r.resourceRef.kind}/${r.resourceRef.namespace ?? ''}/${r.resourceRef.name}` : '',
    r.field?.path ?? '',
    r.message,
  ];
  return results
    .map((r, i) => ({ r, i, k: key(r) }))
    .sort((a, b) => {
      for (let j = 0; j < a.k.length; j++) {
        const x = a.k[j]!;
        const y = b.k[j]!;
        if (x < y) return -1;
        if (x > y) return 1;
      }
      return a.i - b.i;
    })
    .map((e) => e.r);
}

/** Spec field order, so the YAML we print reads like kpt's. */
export function orderedResult(r: Result): Record<string, unknown> {
  const out: Record<string, unknown> = { message: r.message, severity: r.severity };
  if (r.resourceRef) {
    const ref: Record<string, string> = { apiVersion: r.resourceRef.apiVersion, kind: r.resourceRef.kind, name: r.resourceRef.name };
    if (r.resourceRef.namespace) ref.namespace = r.resourceRef.namespace;
    out.resourceRef = ref;
  }
  if (r.field) {
    const f: Record<string, unknown> = { path: r.field.path };
    if (r.field.currentValue !== undefined) f.currentValue = r.field.currentValue;
    if (r.field.proposedValue !== undefined) f.proposedValue = r.field.proposedValue;
    out.field = f;
  }
  if (r.file) out.file = r.file.index === undefined ? { path: r.file.path } : { path: r.file.path, index: r.file.index };
  if (r.tags) out.tags = r.tags;
  return out;
}

/** `spec.nodes[2].address` from `['spec', 'nodes', 2, 'address']`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** The inverse of `formatPath`: `spec.nodes[2]["a.b"]` -> `['spec', 'nodes', 2, 'a.b']`. */
export function parsePath(text: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[3] !== undefined) out.push(JSON.parse(m[3]) as string);
  }
  return out;
}
