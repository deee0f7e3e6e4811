import { join } from 'node:path';
import fc from 'fast-check';
import { parse } from 'yaml';
import { execute } from '@flatnet/krm';
import { buildInput, itemsOf } from '@flatnet/krm/testing';
import { setClusterNamespaceFunction } from '../../set-cluster-namespace/src/function';
import { makeValidateFunction } from '../../validate-flat-network/src/function';
import { generateFlatNetworkFunction } from '../src/function';

const validator = makeValidateFunction(() => '2026-06-01');
const TESTDATA = join(__dirname, '..', 'testdata');

/** Errors and warnings of the rest of the pipeline (set-cluster-namespace, then the gate). */
function gateFindings(stdout: string): string[] {
  const namespaced = execute(setClusterNamespaceFunction, itemsOf(stdout)); // each step has its own config
  const gate = execute(validator, namespaced.stdout);
  const results = (parse(gate.stdout) as { results?: Array<{ severity: string; message: string; tags?: { policy?: string } }> }).results ?? [];
  return results.filter((r) => r.severity !== 'info').map((r) => `${r.tags?.policy}: ${r.message}`);
}

describe('generate-flat-network output passes validate-flat-network', () => {
  it.each(['seeds-ipv4-flat', 'seeds-dual-stack-ipv6-flat', 'seeds-dual-stack-flat', 'two-clusters', 'intent-as-function-config', 'cluster-flags-set'])('%s', (name) => {
    const out = execute(generateFlatNetworkFunction, buildInput(join(TESTDATA, name)));
    expect(out.exitCode).toBe(0);
    expect(gateFindings(out.stdout)).toEqual([]);
  });
});

describe('properties', () => {
  const octet = fc.integer({ min: 1, max: 250 });
  const intent = fc
    .record({
      shape: fc.constantFrom('ipv4-flat', 'dual-stack-ipv6-flat', 'dual-stack-flat'),
      a: octet,
      peers: fc.uniqueArray(fc.integer({ min: 1, max: 250 }), { minLength: 1, maxLength: 4 }),
      floating: fc.integer({ min: 1, max: 3 }),
      asn: fc.integer({ min: 64512, max: 65534 }),
      mask: fc.integer({ min: 20, max: 24 }), // /25 and longer cannot hold 110 pods per node
      withCluster: fc.boolean(),
    })
    .map((r) => {
      const v6 = r.shape !== 'ipv4-flat';
      const pods = [`    ipv4: {cidr: 100.${64 + (r.a % 60)}.0.0/16, perNodeMaskSize: ${r.mask}}`];
      if (v6) pods.push(`    ipv6: {cidr: "fd00:${r.a.toString(16)}::/112", perNodeMaskSize: ${128 - (32 - r.mask)}}`);
      const intentText = [
        'apiVersion: flatnet.dev/v1alpha1',
        'kind: FlatNetwork',
        'metadata:',
        '  name: c1',
        '  annotations:',
        '    config.kubernetes.io/local-config: "true"',
        'spec:',
        '  cluster: c1',
        `  shape: ${r.shape}`,
        `  floatingIPs: [${Array.from({ length: r.floating }, (_, i) => `10.${r.a}.9.${i + 1}`).join(', ')}]`,
        `  localASN: ${r.asn}`,
        '  peers:',
        ...r.peers.map((p) => `  - {address: 10.${r.a}.8.${p}, asn: 65000}`),
        '  pods:',
        ...pods,
        ...(v6 ? ['  services:', `    ipv6: "fd12:${r.a.toString(16)}::/112"`] : []),
      ].join('\n');
      const cluster = r.withCluster
        ? `- apiVersion: baremetal.cluster.gke.io/v1\n  kind: Cluster\n  metadata:\n    name: c1\n    namespace: cluster-c1\n  spec:\n    type: user\n    clusterNetwork:\n      services:\n        cidrBlocks:\n        - 10.96.0.0/20\n`
        : '';
      const entry = intentText.split('\n').map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`)).join('\n') + '\n';
      return `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${cluster}${entry}`;
    });

  it('a second run changes nothing, and the output passes the gate', () => {
    fc.assert(
      fc.property(intent, (input) => {
        const first = execute(generateFlatNetworkFunction, input);
        expect(first.exitCode).toBe(0);
        const second = execute(generateFlatNetworkFunction, first.stdout);
        expect(itemsOf(second.stdout)).toBe(itemsOf(first.stdout));
        expect(gateFindings(first.stdout)).toEqual([]);
      }),
      { seed: 42, numRuns: 60 },
    );
  });
});
