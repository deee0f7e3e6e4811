/** Regressions: messages and time bounded whatever the number of Clusters (docs/reliability.md). */
import { execute } from '@flatnet/krm';
import { setClusterNamespaceFunction } from '../src/function';

it('clusters-2000-in-one-file: an ambiguous object names a handful of Clusters and counts the rest (was 224 MB of messages; 4,000 crashed)', () => {
  const n = 2000;
  let input = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n';
  const at = (i: number) => `    annotations:\n      internal.config.kubernetes.io/path: clusters.yaml\n      internal.config.kubernetes.io/index: '${i}'\n`;
  for (let i = 0; i < n; i++) input += `- apiVersion: baremetal.cluster.gke.io/v1\n  kind: Cluster\n  metadata:\n    name: cluster-name-${String(i).padStart(5, '0')}\n    namespace: cluster-${i}\n${at(i)}  spec:\n    type: user\n`;
  for (let i = 0; i < n; i++) input += `- apiVersion: networking.gke.io/v1\n  kind: BGPPeer\n  metadata:\n    name: peer-${i}\n${at(n + i)}  spec:\n    peerIP: 10.0.0.1\n`;
  const start = performance.now();
  const out = execute(setClusterNamespaceFunction, input);
  const ms = performance.now() - start;
  expect(out.exitCode).toBe(1);
  expect(out.stdout.length).toBeLessThan(4 * input.length);
  expect(out.stdout).toContain('file "clusters.yaml" holds Clusters "cluster-name-00000", "cluster-name-00001", "cluster-name-00002", "cluster-name-00003", "cluster-name-00004", and 1,995 more;');
  expect(ms).toBeLessThan(5000);
});
