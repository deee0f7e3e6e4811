/**
 * FLAT-SCH-001: every live item of the six GDC kinds against its schema (packages/api/schemas).
 * Other checks read values through the model's parsers, which skip malformed values, so a
 * malformed value is reported here and only here.
 */
import type { ErrorObject } from 'ajv';
import { KINDS, kindKey, validators, type GeneratedValidator, type KindRef } from '@flatnet/api';
import { formatPath, formatSchemaError, pointerToPath, type KubeObject, type PathSegment } from '@flatnet/krm';
import { explainFormat } from '../../../../packages/api/src/formats';
import type { Check, Finding } from './types';

const SCHEMAS: ReadonlyArray<[KindRef, GeneratedValidator]> = [
  [KINDS.Cluster, validators.kindsCluster],
  [KINDS.NodePool, validators.kindsNodePool],
  [KINDS.ClusterCIDRConfig, validators.kindsClusterCidrConfig],
  [KINDS.NetworkGatewayGroup, validators.kindsNetworkGatewayGroup],
  [KINDS.FlatIPMode, validators.kindsFlatIpMode],
  [KINDS.BGPPeer, validators.kindsBgpPeer],
];

/** The validators by `group/kind`: one lookup per item. */
const BY_KIND = new Map(SCHEMAS.map(([ref, validate]) => [kindKey(ref), validate]));

const isScalar = (v: unknown): boolean => v === null || (typeof v !== 'object' && v !== undefined);

/**
 * A JSON pointer as path segments. A segment is a number only where the data holds a list there,
 * so a label key such as "2024" stays a string.
 */
function pointerSegments(obj: KubeObject, pointer: string): PathSegment[] {
  const out: PathSegment[] = [];
  if (!pointer) return out;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out.push(/^\d+$/.test(seg) && Array.isArray(obj.get(out)) ? Number(seg) : seg);
  }
  return out;
}

/**
 * ajv reports an `anyOf` as one error per failed branch plus the wrapper. When every branch only
 * misses a property of the same object, that is one finding: "must have `a` or `b`". Otherwise the
 * wrapper is dropped in favour of the branches' more specific errors.
 */
function collapse(errors: readonly ErrorObject[]): Array<ErrorObject | { anyOfRequired: ErrorObject; names: string[] }> {
  const wrappers = errors.filter((e) => e.keyword === 'anyOf');
  const branchOf = (e: ErrorObject): ErrorObject | undefined =>
    wrappers.find((w) => w !== e && e.schemaPath.startsWith(`${w.schemaPath}/`));
  const out: Array<ErrorObject | { anyOfRequired: ErrorObject; names: string[] }> = [];
  for (const e of errors) {
    if (e.keyword === 'anyOf') {
      const branches = errors.filter((b) => branchOf(b) === e);
      const allRequired = branches.length > 0 && branches.every((b) => b.keyword === 'required' && b.instancePath === e.instancePath);
      if (allRequired) out.push({ anyOfRequired: e, names: branches.map((b) => String((b.params as { missingProperty: unknown }).missingProperty)) });
      else if (branches.length === 0) out.push(e); // nothing more specific: keep ajv's word
      continue;
    }
    const w = branchOf(e);
    if (w) {
      const siblings = errors.filter((b) => branchOf(b) === w);
      if (siblings.every((b) => b.keyword === 'required' && b.instancePath === w.instancePath)) continue; // said by the wrapper
    }
    out.push(e);
  }
  return out;
}

const quoteFields = (names: string[]): string => {
  const q = names.map((n) => `\`${n}\``);
  if (q.length <= 1) return q.join('');
  if (q.length === 2) return `${q[0]} or ${q[1]} (or both)`;
  return `${q.slice(0, -1).join(', ')} or ${q[q.length - 1]}`;
};

/** An empty string also fails the field's pattern or format: "must not be empty" says it all. */
function dropEmptyEchoes(errors: readonly ErrorObject[]): ErrorObject[] {
  const empty = new Set(errors.filter((e) => e.keyword === 'minLength' && e.data === '').map((e) => e.instancePath));
  return errors.filter((e) => !(empty.has(e.instancePath) && (e.keyword === 'pattern' || e.keyword === 'format')));
}

function findingsOf(obj: KubeObject, errors: readonly ErrorObject[]): Finding[] {
  const out: Finding[] = [];
  const who = obj.describe();
  const said = new Set<string>();
  const push = (f: Finding): void => {
    // `spec: "x"` fails `type` once for the property and once per anyOf branch: say it once.
    const key = JSON.stringify([f.path ?? [], f.message]);
    if (said.has(key)) return;
    said.add(key);
    out.push(f);
  };
  for (const e of collapse(dropEmptyEchoes(errors))) {
    if ('anyOfRequired' in e) {
      const path = pointerSegments(obj, e.anyOfRequired.instancePath);
      const where = path.length ? `\`${formatPath(path)}\`` : 'the object';
      push({ obj, path, message: `${who}: ${where} must have ${quoteFields(e.names)}` });
      continue;
    }
    const path = pointerSegments(obj, e.instancePath);
    const base = formatPath(path);
    const params = e.params as Record<string, unknown>;
    if (e.keyword === 'required') path.push(String(params.missingProperty));
    if (e.keyword === 'additionalProperties') path.push(String(params.additionalProperty));
    let message = formatSchemaError(e).message;
    // ajv's pointer cannot tell a list index from a map key made of digits; the data can.
    const guessed = pointerToPath(e.instancePath);
    if (guessed && guessed !== base) message = message.replace(`\`${guessed}`, `\`${base}`);
    if (e.keyword === 'format') {
      // net's precise reason ("host bits set: the network address is ...") says more than "a valid cidr".
      const why = explainFormat(String(params.format), e.data);
      if (why) message = `\`${formatPath(path)}\` ${why}`;
    }
    const f: Finding = { obj, path, message: `${who}: ${message}` };
    push(e.keyword !== 'required' && e.keyword !== 'additionalProperties' && isScalar(e.data) ? { ...f, currentValue: e.data } : f);
  }
  return out;
}

export const SCHEMA_CHECKS: Record<string, Check> = {
  'FLAT-SCH-001': ({ fleet }) => {
    const out: Finding[] = [];
    for (const obj of fleet.items) {
      const validate = BY_KIND.get(kindKey(obj));
      if (!validate || validate(obj.value)) continue;
      for (const x of findingsOf(obj, validate.errors ?? [])) out.push(x);
    }
    return out;
  },
};
