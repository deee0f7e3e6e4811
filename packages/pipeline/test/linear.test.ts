/** Regressions: hydrate in time linear in the objects (sizes and old times in docs/reliability.md). */
import { readFileItems } from '@flatnet/krm';
import { asStream, hydrate } from '@flatnet/pipeline';

it('objects-40000-in-one-namespace: hydrate groups them without copying a list per object (was quadratic: 18 s, and 27 s through argocd generate)', () => {
  let text = 'apiVersion: baremetal.cluster.gke.io/v1\nkind: Cluster\nmetadata:\n  name: a\n  namespace: cluster-a\nspec:\n  type: user\n';
  for (let i = 0; i < 40_000; i++) text += `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\n  namespace: cluster-a\n`;
  const items = readFileItems('many.yaml', text);
  const start = performance.now();
  const h = hydrate(items);
  const ms = performance.now() - start;
  expect(h.problems).toEqual([]);
  expect([...h.files.keys()]).toEqual(['a.yaml']);
  expect(asStream(h).split('kind: ConfigMap').length - 1).toBe(40_000);
  expect(ms).toBeLessThan(3000);
});
