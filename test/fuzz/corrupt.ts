/**
 * Valid fleets, then corrupted the ways issue 8 lists: truncation, wrong types at any field,
 * nulls, duplicate keys, tabs, CRLF, BOM, JSON, deep nesting, odd keys. Shared by the property
 * suite in `npm test` (fixed seed, a few hundred cases) and `npm run fuzz` (long runs).
 */
import fc from 'fast-check';

export const clusterText = (i: number, dual: boolean): string =>
  `apiVersion: baremetal.cluster.gke.io/v1
kind: Cluster
metadata:
  name: c${i}
  namespace: cluster-c${i}
spec:
  type: user
  controlPlane:
    nodePoolSpec:
      nodes:
      - address: 10.${i}.0.10
  clusterNetwork:
    advancedNetworking: true
    flatIPv4: true
    services:
      cidrBlocks:
      - 10.96.0.0/20${dual ? `\n      - fd12:${i}::/112` : ''}
---
apiVersion: baremetal.cluster.gke.io/v1alpha1
kind: ClusterCIDRConfig
metadata:
  name: cluster-wide-1
  namespace: cluster-c${i}
spec:
  ipv4:
    cidr: "100.${64 + i}.0.0/16"
    perNodeMaskSize: 24
---
apiVersion: networking.gke.io/v1
kind: NetworkGatewayGroup
metadata:
  name: default
  namespace: cluster-c${i}
spec:
  floatingIPs:
  - 10.${i}.0.100
---
apiVersion: baremetal.cluster.gke.io/v1alpha1
kind: FlatIPMode
metadata:
  name: default
  namespace: cluster-c${i}
spec:
  enableBGPIPv4: true
  peerSelector:
    flatip-peer: "true"
---
apiVersion: networking.gke.io/v1
kind: BGPPeer
metadata:
  name: tor # a comment
  namespace: cluster-c${i}
  labels:
    flatip-peer: "true"
spec:
  localASN: ${65000 + i}
  peerASN: 65000
  peerIP: 10.${i}.0.254
  sessions: 1
`;

const WEIRD_VALUES = ['null', '~', '[]', '{}', '"x"', '-1', '4294967296', '1.5', 'true', "'010.0.0.1'", '"::ffff:1.2.3.4"', '[a, b]', '{a: 1}', '!!binary aGk=', '&x 1', '*x', '"\\u0000"', "''", '__proto__', '{__proto__: {polluted: true}}', '0x1F', '.inf'];

export type Corruption =
  | { kind: 'truncate'; at: number }
  | { kind: 'replace-value'; line: number; value: string }
  | { kind: 'duplicate-line'; line: number }
  | { kind: 'tabs' }
  | { kind: 'crlf' }
  | { kind: 'bom' }
  | { kind: 'delete-line'; line: number }
  | { kind: 'nest'; depth: number }
  | { kind: 'garbage'; at: number; text: string };

export const corruption: fc.Arbitrary<Corruption> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('replace-value' as const), line: fc.nat(), value: fc.constantFrom(...WEIRD_VALUES) }),
  fc.record({ kind: fc.constant('duplicate-line' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('tabs' as const) }),
  fc.record({ kind: fc.constant('crlf' as const) }),
  fc.record({ kind: fc.constant('bom' as const) }),
  fc.record({ kind: fc.constant('delete-line' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('nest' as const), depth: fc.integer({ min: 1, max: 3000 }) }),
  fc.record({ kind: fc.constant('garbage' as const), at: fc.nat(), text: fc.string({ maxLength: 12 }) }),
);

export function corrupt(text: string, c: Corruption): string {
  const lines = text.split('\n');
  const pick = (n: number): number => n % Math.max(lines.length, 1);
  switch (c.kind) {
    case 'truncate':
      return text.slice(0, c.at % (text.length + 1));
    case 'replace-value': {
      const i = pick(c.line);
      lines[i] = lines[i]!.replace(/:( .*)?$/, `: ${c.value}`);
      return lines.join('\n');
    }
    case 'duplicate-line': {
      const i = pick(c.line);
      lines.splice(i, 0, lines[i]!);
      return lines.join('\n');
    }
    case 'tabs':
      return text.replace(/^( {2})/gm, '\t');
    case 'crlf':
      return text.replace(/\n/g, '\r\n');
    case 'bom':
      return `\ufeff${text}`;
    case 'delete-line':
      lines.splice(pick(c.line), 1);
      return lines.join('\n');
    case 'nest': {
      return text.replace('sessions: 1', `sessions: ${'['.repeat(c.depth)}${']'.repeat(c.depth)}`);
    }
    case 'garbage': {
      const at = c.at % (text.length + 1);
      return text.slice(0, at) + c.text + text.slice(at);
    }
  }
}

export const fleetText = fc
  .record({ n: fc.integer({ min: 1, max: 3 }), dual: fc.boolean() })
  .map(({ n, dual }) => Array.from({ length: n }, (_, i) => clusterText(i + 1, dual && i === 0)).join('---\n'));

/** A file's text as a kpt ResourceList entry list. */
export function asResourceList(fileText: string): string {
  const docs = fileText.split(/^---\n/m);
  const items = docs
    .map((d, index) => {
      const withPath = d.replace(/^metadata:\n/m, `metadata:\n  annotations:\n    config.kubernetes.io/path: 'fleet.yaml'\n    config.kubernetes.io/index: '${index}'\n`);
      return withPath
        .trimEnd()
        .split('\n')
        .map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`))
        .join('\n');
    })
    .join('\n');
  return `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${items}\n`;
}
