/**
 * Every mutator, and the whole chain in-process, run twice over many generated packages: the
 * second run changes nothing. Packages are made of random clusters, with namespaces left out at
 * random, resources spread over files and directories at random, and intents for some clusters.
 */
import fc from 'fast-check';
import { execute, processList, readFileItems, type KubeObject } from '@flatnet/krm';
import { itemsOf } from '@flatnet/krm/testing';
import { FUNCTIONS } from '../../packages/cli/src/registry';

const MUTATORS = [...FUNCTIONS.values()].filter((f) => f.kind !== 'validator');
/** The canonical chain's order (the root Kptfile). */
const CHAIN = ['generate-flat-network', 'set-cluster-namespace', 'expand-cluster-cidr', 'inject-peer-labels'].map((n) => FUNCTIONS.get(n)!);

interface Cluster {
  i: number;
  pools: number[];
  dual: boolean;
  namespaced: boolean;
  intent: boolean;
  dir: boolean;
}

function files(clusters: Cluster[]): Array<[string, string]> {
  return clusters.map((c) => {
    const name = `c${c.i}`;
    const ns = c.namespaced ? `  namespace: cluster-${name}\n` : '';
    const docs: string[] = [];
    docs.push(`apiVersion: baremetal.cluster.gke.io/v1\nkind: Cluster\nmetadata:\n  name: ${name}\n${ns}spec:\n  type: user\n  controlPlane:\n    nodePoolSpec:\n      nodes:\n      - address: 10.${c.i}.0.10\n  clusterNetwork:\n    advancedNetworking: true\n    services:\n      cidrBlocks:\n      - 10.96.0.0/20${c.dual ? `\n      - fd12:${c.i}::/112` : ''}\n`);
    c.pools.forEach((n, p) => {
      const nodes = Array.from({ length: n }, (_, k) => `  - address: 10.${c.i}.${p + 1}.${k + 10}`).join('\n');
      docs.push(`apiVersion: baremetal.cluster.gke.io/v1\nkind: NodePool\nmetadata:\n  name: pool-${p} # a comment\n${ns}spec:\n  clusterName: ${name}\n  nodes:\n${nodes}\n`);
    });
    if (c.intent) {
      docs.push(
        `apiVersion: flatnet.dev/v1alpha1\nkind: FlatNetwork\nmetadata:\n  name: ${name}\n  annotations:\n    config.kubernetes.io/local-config: "true"\nspec:\n  cluster: ${name}\n  shape: ${c.dual ? 'dual-stack-flat' : 'ipv4-flat'}\n  floatingIPs: [10.${c.i}.0.100]\n  localASN: ${65000 + c.i}\n  peers:\n  - {address: 10.${c.i}.0.254, asn: 65000}\n  pods:\n    ipv4: {cidr: 100.${64 + c.i}.0.0/16, perNodeMaskSize: 24}\n${c.dual ? `    ipv6: {cidr: "fd00:${c.i}::/112", perNodeMaskSize: 120}\n` : ''}  expandPerNodePool:\n    headroomPercent: 25\n`,
      );
    } else {
      docs.push(`apiVersion: baremetal.cluster.gke.io/v1alpha1\nkind: FlatIPMode\nmetadata:\n  name: default\n${ns}spec:\n  enableBGPIPv4: true\n  peerSelector:\n    flatip-peer: "true"\n`);
      docs.push(`apiVersion: networking.gke.io/v1\nkind: BGPPeer\nmetadata:\n  name: tor\n${ns}spec:\n  localASN: ${65000 + c.i}\n  peerASN: 65000\n  peerIP: 10.${c.i}.0.254\n`);
    }
    return [c.dir ? `clusters/${name}/all.yaml` : `${name}.yaml`, docs.join('---\n')];
  });
}

const packages = fc
  .uniqueArray(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 4 })
  .chain((ids) =>
    fc.tuple(
      ...ids.map((i) =>
        fc.record({
          i: fc.constant(i),
          pools: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }),
          dual: fc.boolean(),
          namespaced: fc.boolean(),
          intent: fc.boolean(),
          dir: fc.boolean(),
        }),
      ),
    ),
  );

const asList = (fs: Array<[string, string]>): string => {
  let items = '';
  for (const [path, text] of fs) {
    readFileItems(path, text).forEach((obj, index) => {
      obj.setFile(path, index);
      items += obj.render(0);
    });
  }
  return `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${items}`;
};

describe('idempotence over generated packages', () => {
  it.each(MUTATORS.map((f) => [f.name, f]))('%s: a second run changes nothing', (_name, fn) => {
    fc.assert(
      fc.property(packages, (clusters) => {
        const input = asList(files(clusters));
        const first = execute(fn, input);
        const second = execute(fn, first.stdout.replace(/\nresults:\n[\s\S]*$/, '\n'));
        expect(itemsOf(second.stdout)).toBe(itemsOf(first.stdout));
      }),
      { seed: 42, numRuns: 40 },
    );
  });

  it('the whole chain, in-process: a second pass changes no item', () => {
    fc.assert(
      fc.property(packages, (clusters) => {
        const items: KubeObject[] = files(clusters).flatMap(([p, t]) => readFileItems(p, t));
        const pass = (list: KubeObject[]): KubeObject[] => {
          let cur = list;
          for (const fn of CHAIN) {
            const out = processList(fn, { items: cur, results: [] });
            if (out.exitCode !== 0) return cur;
            cur = out.list.items;
          }
          return cur;
        };
        const before = items.length; // the first function adds to this very array
        const once = pass(items);
        if (clusters.some((c) => c.intent)) expect(once.length).toBeGreaterThan(before); // it did generate
        const revisions = once.map((i) => i.revision);
        const count = once.length;
        const twice = pass(once);
        expect(twice.length).toBe(count);
        expect(twice.map((i) => i.revision)).toEqual(revisions);
      }),
      { seed: 42, numRuns: 40 },
    );
  });
});
