/**
 * FLAT-YML-001 beyond its suite: through the function's ResourceList protocol (kpt's input), its
 * severities (warnings in labels, selectors and annotations; overrides and `failOnWarnings`),
 * and what it leaves alone (other kinds, local config, items a function rewrote).
 */
import { execute, readFileItems, type Result, type Severity } from '@flatnet/krm';
import { parse } from 'yaml';
import { makeValidateFunction } from '../src/function';
import { validateConfigSpec } from '../src/config';
import { validateFlatNetwork } from '../src/validate';

const PEER = `apiVersion: networking.gke.io/v1
kind: BGPPeer
metadata:
  name: bgppeer1
  namespace: cluster-bm
  labels:
    flatip-peer: yes
spec:
  localASN: 065001
  peerASN: 65000
  peerIP: 10.0.1.254
  sessions: 2
`;

function yml(items: ReturnType<typeof readFileItems>, opts: { severity?: Record<string, Severity>; failOnWarnings?: boolean } = {}): Result[] {
  const config = validateConfigSpec(() => '2026-06-01').defaults({});
  return validateFlatNetwork(items, { params: config.params, disable: new Set(), severity: opts.severity ?? {}, failOnWarnings: opts.failOnWarnings ?? false, only: new Set(['FLAT-YML-001']) });
}

const brief = (rs: Result[]) => rs.map((r) => `${r.severity} ${r.field?.path} ${JSON.stringify(r.field?.proposedValue)}`);

describe('FLAT-YML-001', () => {
  it('reports through the ResourceList protocol, with the field, the proposed value and the severity', () => {
    const input = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${PEER.replace(/^/gm, '  ').replace(/^  apiVersion/, '- apiVersion').replace('  labels:\n', "  annotations:\n      internal.config.kubernetes.io/path: 'peers.yaml'\n    labels:\n")}`;
    const out = execute(makeValidateFunction(() => '2026-06-01'), input);
    expect(out.exitCode).toBe(1);
    const results = (parse(out.stdout) as { results: Result[] }).results.filter((r) => r.tags?.policy === 'FLAT-YML-001');
    expect(brief(results)).toEqual(['error spec.localASN 65001', 'warning metadata.labels.flatip-peer "yes"']); // sorted: errors first
    expect(results[0]!.message).toBe('BGPPeer "bgppeer1": `spec.localASN` 065001 is read by kubectl and Argo CD (YAML 1.1) as the octal 27137, not 65001: write 65001, or "065001" if a string is meant');
    expect(results[0]!.file).toEqual({ path: 'peers.yaml' });
  });

  it('takes a severity override for all its findings, and `failOnWarnings` for its warnings', () => {
    const items = readFileItems('peers.yaml', PEER);
    expect(brief(yml(items, { severity: { 'FLAT-YML-001': 'warning' } }))).toEqual(['warning metadata.labels.flatip-peer "yes"', 'warning spec.localASN 65001']);
    expect(yml(items, { failOnWarnings: true }).map((r) => r.severity)).toEqual(['error', 'error']);
  });

  it('judges keys, selectors and every kind the gate reads, and nothing else', () => {
    const text = `${PEER}---
apiVersion: baremetal.cluster.gke.io/v1alpha1
kind: ClusterCIDRConfig
metadata:
  name: pool
  namespace: cluster-bm
spec:
  nodeSelector:
    matchLabels:
      y: "1"
  ipv4: {cidr: 10.4.0.0/16, perNodeMaskSize: 0x18}
---
apiVersion: networking.gke.io/v1
kind: BGPLoadBalancer
metadata:
  name: lb
  namespace: cluster-bm
spec:
  peerSelector:
    peer: on
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: flags
data:
  verbose: yes
---
apiVersion: networking.gke.io/v1
kind: BGPPeer
metadata:
  name: intent-copy
  namespace: cluster-bm
  annotations:
    config.kubernetes.io/local-config: "true"
spec:
  localASN: 065001
`;
    expect(brief(yml(readFileItems('all.yaml', text)))).toEqual([
      'warning metadata.labels.flatip-peer "yes"',
      'error spec.localASN 65001',
      'warning spec.nodeSelector.matchLabels.y "y"',
      'warning spec.peerSelector.peer "on"',
    ]);
  });

  it('says nothing of an item a function edited: it is written anew', () => {
    const items = readFileItems('peers.yaml', PEER);
    items[0]!.setAnnotation('flatnet.dev/cluster', 'bm');
    expect(yml(items)).toEqual([]);
  });
});
