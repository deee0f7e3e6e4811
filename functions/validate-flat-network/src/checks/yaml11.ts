/**
 * FLAT-YML-001: what Kubernetes reads is what the gate judged. flatnet reads plain scalars as
 * YAML 1.2; kubectl, Argo CD and Config Sync read them with go-yaml v2, by YAML 1.1's rules
 * (@flatnet/krm's yaml11.ts): `perNodeMaskSize: 024` passes the gate as 24 and reaches the
 * cluster as 20. Every plain scalar — key or value — of the kinds the gate reads whose two
 * readings differ is a finding: an error in the fields the policies and schemas judge, a warning
 * in labels, selectors and annotations (there a value of the wrong type is refused by the API
 * server rather than taken: only a key changes silently).
 *
 * Cheap on a clean fleet: an item's text is searched once (mayHoldYaml11Difference) and its YAML
 * node parsed only when that finds something that may differ.
 */
import { KINDS, kindKey } from '@flatnet/api';
import { formatPath, mayHoldYaml11Difference, resolvePlainScalar, yaml11Difference, type KubeObject, type PathSegment, type PlainScalar, type Yaml11Reading } from '@flatnet/krm';
import type { Check, Finding } from './types';

/** The kinds of packages/api: every field of theirs is read by some policy or schema. */
const JUDGED = new Set(
  [KINDS.Cluster, KINDS.NodePool, KINDS.ClusterCIDRConfig, KINDS.NetworkGatewayGroup, KINDS.FlatIPMode, KINDS.BGPPeer, KINDS.BGPLoadBalancer].map(kindKey),
);

const WHO = 'kubectl and Argo CD (YAML 1.1)';

/** Labels, annotations and label selectors: maps of strings matched against one another. */
function inStringMap(path: readonly PathSegment[]): boolean {
  return path.some((s) => typeof s === 'string' && (s === 'labels' || s === 'annotations' || s === 'selector' || s.endsWith('Selector') || s === 'matchLabels' || s === 'matchExpressions'));
}

function describe11(r: Yaml11Reading, text: string): string {
  switch (r.tag) {
    case 'bool':
      return `the boolean ${r.value}`;
    case 'int':
      return `the ${r.radix === 8 ? 'octal' : r.radix === 16 ? 'hexadecimal' : r.radix === 2 ? 'binary' : 'number'} ${r.value}`;
    case 'float':
      return `the number ${r.value}`;
    case 'null':
      return 'null';
    case 'str':
      return `the string ${JSON.stringify(text)}`;
  }
}

const describe12 = (v: unknown): string => (typeof v === 'string' ? `the string ${JSON.stringify(v)}` : String(v));

/** What a key becomes in the JSON sigs.k8s.io/yaml sends (a float's text is Go's: left out). */
function keyAs(r: Yaml11Reading): string {
  if (r.tag === 'bool') return ` (so the key "${r.value}")`;
  if (r.tag === 'int') return ` (so the key "${r.value}")`;
  return '';
}

/** How to write it so that every reader reads what the gate judged, and the other meaning. */
function remedy(r: Yaml11Reading, flatnet: unknown, text: string): string {
  const quoted = JSON.stringify(text);
  if (typeof flatnet === 'number' && Number.isFinite(flatnet)) return `write ${flatnet}, or ${quoted} if a string is meant`;
  if (typeof flatnet === 'string' && (r.tag === 'bool' || r.tag === 'int' || r.tag === 'float')) {
    return `write ${quoted} (quoted) if a string is meant, or ${r.tag === 'bool' ? r.value : String(r.value)} if the ${r.tag === 'bool' ? 'boolean' : 'number'} is`;
  }
  return `write ${quoted} (quoted) if a string is meant`;
}

function finding(obj: KubeObject, s: PlainScalar, r: Yaml11Reading): Finding {
  const flatnet = resolvePlainScalar(s.text);
  const where = s.isKey ? `key ${s.text} of \`${formatPath(s.path.slice(0, -1)) || '.'}\`` : `\`${formatPath(s.path)}\` ${s.text}`;
  const message = `${obj.describe()}: ${where} is read by ${WHO} as ${describe11(r, s.text)}${s.isKey ? keyAs(r) : ''}, not ${describe12(flatnet)}: ${remedy(r, flatnet, s.text)}`;
  const proposed = s.isKey ? s.path[s.path.length - 1] : typeof flatnet === 'number' && !Number.isFinite(flatnet) ? undefined : flatnet;
  return {
    obj,
    path: s.path,
    message,
    ...(proposed !== undefined ? { proposedValue: proposed } : {}),
    ...(inStringMap(s.path) ? { severity: 'warning' as const } : {}),
  };
}

export const YAML11_CHECKS: Record<string, Check> = {
  'FLAT-YML-001': ({ fleet }) => {
    const out: Finding[] = [];
    for (const obj of fleet.items) {
      if (!JUDGED.has(kindKey(obj))) continue;
      for (const s of obj.plainScalars(mayHoldYaml11Difference)) {
        const r = yaml11Difference(s.text);
        if (r) out.push(finding(obj, s, r));
      }
    }
    return out;
  },
};
