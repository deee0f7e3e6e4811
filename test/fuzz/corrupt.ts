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
  | { kind: 'garbage'; at: number; text: string }
  | { kind: 'comment-header'; at: number; lines: number; blank: number; indent: number }
  | { kind: 'blank-lines'; at: number; count: number; spaces: number };

/** A licence block as projects put at the head of every file: comment lines and `#` alone. */
const LICENCE = [
  'Copyright 2026 The flatnet Authors',
  '',
  'Licensed under the Apache License, Version 2.0 (the "License");',
  'you may not use this file except in compliance with the License.',
  'You may obtain a copy of the License at',
  '',
  '    http://www.apache.org/licenses/LICENSE-2.0',
  '',
  'Unless required by applicable law or agreed to in writing, software',
  'distributed under the License is distributed on an "AS IS" BASIS,',
  'WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.',
  'See the License for the specific language governing permissions and',
  'limitations under the License.',
  '',
];

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
  // Long comment headers and licence blocks (at the head of the text or of a document, with blank
  // lines between), and long runs of blank lines: what once made a document splitter and the
  // write-back of a document exponential (`licence-header-before-two-documents`, `blank-lines-before-a-document`).
  fc.record({ kind: fc.constant('comment-header' as const), at: fc.nat(), lines: fc.integer({ min: 1, max: 400 }), blank: fc.integer({ min: 0, max: 40 }), indent: fc.integer({ min: 0, max: 4 }) }),
  fc.record({ kind: fc.constant('blank-lines' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 200 }), spaces: fc.integer({ min: 0, max: 3 }) }),
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
    case 'comment-header': {
      // Before the text, or before one of its documents (after its `---`), or before any line.
      const starts = [0, ...lines.flatMap((l, i) => (l === '---' ? [i + 1] : []))];
      const i = c.at % 3 === 0 ? starts[pick(c.at) % starts.length]! : pick(c.at);
      const pad = ' '.repeat(c.indent);
      const header = Array.from({ length: c.lines }, (_, k) => LICENCE[k % LICENCE.length]!).map((l) => (l ? `${pad}# ${l}` : `${pad}#`));
      lines.splice(i, 0, ...Array.from({ length: c.blank }, () => ''), ...header);
      return lines.join('\n');
    }
    case 'blank-lines': {
      lines.splice(pick(c.at), 0, ...Array.from({ length: c.count }, () => ' '.repeat(c.spaces)));
      return lines.join('\n');
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
