import { readFileItems } from '@flatnet/krm';
import { validateConfigSpec } from '../src/config';
import { validateFlatNetwork } from '../src/validate';

// Checks that walk one kind at a time must still report in input order, as the others do.
const TEXT = `apiVersion: networking.gke.io/v1
kind: BGPPeer
metadata: {name: peer-a, namespace: cluster-bm}
spec: {localASN: 65001, peerASN: 65002, peerIP: "FD00::1", sessions: 1}
---
apiVersion: baremetal.cluster.gke.io/v1alpha1
kind: ClusterCIDRConfig
metadata: {name: pods, namespace: cluster-bm}
spec:
  ipv6: {cidr: "2222:3:0:0:0:0:0:0/112", perNodeMaskSize: 120}
---
apiVersion: networking.gke.io/v1
kind: NetworkGatewayGroup
metadata: {name: default, namespace: cluster-bm}
spec:
  floatingIPs: ["FD00::A", "10.0.0.1", "FD00::B"]
---
apiVersion: networking.gke.io/v1
kind: BGPPeer
metadata: {name: peer-b, namespace: cluster-bm}
spec: {localASN: 65001, peerASN: 65002, peerIP: "FD00::2", sessions: 1}
`;

it('FLAT-ADR-008 reports in input order across kinds, then field order', () => {
  const spec = validateConfigSpec(() => '2026-06-01');
  const config = spec.defaults({});
  const results = validateFlatNetwork(readFileItems('order.yaml', TEXT), {
    params: config.params,
    disable: new Set(),
    severity: {},
    failOnWarnings: false,
    only: new Set(['FLAT-ADR-008']),
  });
  expect(results.map((r) => `${r.resourceRef?.name} ${r.field?.path}`)).toEqual([
    'peer-a spec.peerIP',
    'pods spec.ipv6.cidr',
    'default spec.floatingIPs[0]',
    'default spec.floatingIPs[2]',
    'peer-b spec.peerIP',
  ]);
});
