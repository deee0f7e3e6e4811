import { readFileItems } from '@flatnet/krm';
import { validateConfigSpec } from '../src/config';
import { validateFlatNetwork } from '../src/validate';

// The selector and pool policies stay linear-ish in one large cluster: no config is tried against
// every pool, no pool entry against every other (STYLE.md, "bounded work").
function cluster(n: number): string {
  const docs: string[] = [];
  const addresses = Array.from({ length: n }, (_, i) => `      - 10.${100 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32`).join('\n');
  docs.push(`apiVersion: baremetal.cluster.gke.io/v1
kind: Cluster
metadata: {name: big, namespace: cluster-big}
spec:
  type: user
  loadBalancer:
    addressPools:
    - name: pool1
      addresses:
${addresses}`);
  for (let i = 0; i < n; i++) {
    docs.push(`apiVersion: baremetal.cluster.gke.io/v1
kind: NodePool
metadata: {name: np${i}, namespace: cluster-big}
spec: {clusterName: big, labels: {rack: r${i}}}`);
    docs.push(`apiVersion: baremetal.cluster.gke.io/v1alpha1
kind: ClusterCIDRConfig
metadata: {name: np${i}, namespace: cluster-big}
spec:
  ipv4: {cidr: "100.${64 + (i >> 8)}.${i & 255}.0/24", perNodeMaskSize: 28}
  nodeSelector:
    matchLabels: {rack: r${i}}
    matchExpressions: [{key: baremetal.cluster.gke.io/node-pool, operator: In, values: [np${i}]}]`);
  }
  return docs.join('\n---\n');
}

it('FLAT-CCC-007, FLAT-CCC-008 and FLAT-ADR-009 judge 3,000 pools, configs and pool entries quickly', () => {
  const items = readFileItems('big.yaml', cluster(3000));
  const c = validateConfigSpec(() => '2026-06-01').defaults({});
  const t = Date.now();
  const results = validateFlatNetwork(items, { params: c.params, disable: new Set(), severity: {}, failOnWarnings: false, only: new Set(['FLAT-CCC-007', 'FLAT-CCC-008', 'FLAT-ADR-009']) });
  expect(Date.now() - t).toBeLessThan(3000);
  expect(results.map((r) => r.message)).toEqual([]);
});
