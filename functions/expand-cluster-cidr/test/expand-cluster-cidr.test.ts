import { join } from 'node:path';
import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { execute, loadConfig, parseResourceList, serializeResourceList, type JsonObject, type KubeObject, type ResourceList, type Result } from '@flatnet/krm';
import { findCases, itemsOf, runCase } from '@flatnet/krm/testing';
import { contains, overlaps, parseCidr, perNodeBlocks, type Cidr } from '@flatnet/net';
import { configSpec } from '../src/config';
import { expandClusterCidr, NODE_POOL_LABEL } from '../src/expand-cluster-cidr';
import { expandClusterCidrFunction } from '../src/function';
import { makeValidateFunction } from '../../validate-flat-network/src/function';

// ---------------------------------------------------------------------------------------------
// Builders: plain objects, sent as a JSON ResourceList (kpt's path annotations are not needed here).

const NS = 'cluster-bm';
const CCC = { apiVersion: 'baremetal.cluster.gke.io/v1alpha1', kind: 'ClusterCIDRConfig' };

const addresses = (n: number, subnet: number): { address: string }[] =>
  Array.from({ length: n }, (_, i) => ({ address: `10.0.${subnet}.${10 + i}` }));

function cluster(cpNodes: number, name = 'bm', namespace = NS): JsonObject {
  return {
    apiVersion: 'baremetal.cluster.gke.io/v1',
    kind: 'Cluster',
    metadata: { name, namespace },
    spec: { type: 'user', controlPlane: { nodePoolSpec: { nodes: addresses(cpNodes, 200) } } },
  };
}

function nodePool(name: string, nodes: number, namespace = NS, clusterName = 'bm'): JsonObject {
  return {
    apiVersion: 'baremetal.cluster.gke.io/v1',
    kind: 'NodePool',
    metadata: { name, namespace },
    spec: { clusterName, nodes: addresses(nodes, 1) },
  };
}

interface Ranges {
  ipv4?: [string, number];
  ipv6?: [string, number];
}
const spec = (r: Ranges): JsonObject => ({
  ...(r.ipv4 ? { ipv4: { cidr: r.ipv4[0], perNodeMaskSize: r.ipv4[1] } } : {}),
  ...(r.ipv6 ? { ipv6: { cidr: r.ipv6[0], perNodeMaskSize: r.ipv6[1] } } : {}),
});

function template(r: Ranges, annotations: Record<string, string> = {}, name = 'pods', namespace = NS): JsonObject {
  return { ...CCC, metadata: { name, namespace, annotations: { 'flatnet.dev/expand': 'per-node-pool', ...annotations } }, spec: spec(r) };
}

function config(name: string, r: Ranges, pool?: string, annotations?: Record<string, string>, namespace = NS): JsonObject {
  return {
    ...CCC,
    metadata: { name, namespace, ...(annotations ? { annotations } : {}) },
    spec: { ...spec(r), ...(pool !== undefined ? { nodeSelector: { matchLabels: { [NODE_POOL_LABEL]: pool } } } : {}) },
  };
}

const fnConfig = (fields: JsonObject): JsonObject => ({
  apiVersion: 'fn.flatnet.dev/v1alpha1',
  kind: 'ExpandClusterCIDR',
  metadata: { name: 'expand' },
  ...fields,
});

const input = (items: JsonObject[], functionConfig?: JsonObject): string =>
  JSON.stringify({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items, ...(functionConfig ? { functionConfig } : {}) });

interface Run {
  items: KubeObject[];
  results: Result[];
  exitCode: number;
  stdout: string;
}
function run(items: JsonObject[], functionConfig?: JsonObject): Run {
  const out = execute(expandClusterCidrFunction, input(items, functionConfig));
  const parsed = parseResourceList(out.stdout);
  const results = ((parseYaml(out.stdout) as { results?: Result[] }).results ?? []);
  return { items: parsed.list.items, results, exitCode: out.exitCode, stdout: out.stdout };
}

const cidrConfigs = (items: readonly KubeObject[]): KubeObject[] => items.filter((i) => i.kind === 'ClusterCIDRConfig' && !i.isLocalConfig());
const rangesOf = (items: readonly KubeObject[]): Record<string, { ipv4?: string; ipv6?: string }> =>
  Object.fromEntries(
    cidrConfigs(items).map((i) => [
      i.name,
      {
        ...(i.get(['spec', 'ipv4', 'cidr']) ? { ipv4: i.get(['spec', 'ipv4', 'cidr']) as string } : {}),
        ...(i.get(['spec', 'ipv6', 'cidr']) ? { ipv6: i.get(['spec', 'ipv6', 'cidr']) as string } : {}),
      },
    ]),
  );
const errors = (r: Run): string[] => r.results.filter((x) => x.severity === 'error').map((x) => x.message);

// ---------------------------------------------------------------------------------------------

describe('expand-cluster-cidr: sizing and allocation', () => {
  it('gives each pool the power-of-two range covering its nodes plus headroom, pools in name order', () => {
    const r = run([cluster(1), nodePool('b', 5), nodePool('a', 3), template({ ipv4: ['10.200.0.0/16', 24] }, { 'flatnet.dev/headroom-percent': '10' })]);
    expect(r.exitCode).toBe(0);
    // a: ceil(3.3) = 4 -> /22; b: ceil(5.5) = 6 -> 8 -> /21; bm: ceil(1.1) = 2 -> /23.
    expect(rangesOf(r.items)).toEqual({ 'a-pods': { ipv4: '10.200.0.0/22' }, 'b-pods': { ipv4: '10.200.8.0/21' }, 'bm-pods': { ipv4: '10.200.4.0/23' } });
  });

  it('gives a pool with no nodes one block', () => {
    const r = run([nodePool('empty', 0), template({ ipv4: ['10.200.0.0/16', 24] })]);
    expect(rangesOf(r.items)).toEqual({ 'empty-pods': { ipv4: '10.200.0.0/24' } });
  });

  it('serves no control plane when the Cluster lists no control-plane nodes, and never calls its config orphaned', () => {
    const r = run([
      cluster(0),
      nodePool('np1', 1),
      config('bm-pods', { ipv4: ['10.200.9.0/24', 24] }, 'bm', { 'flatnet.dev/expanded-from': 'pods', 'flatnet.dev/node-pool': 'bm' }),
      template({ ipv4: ['10.200.0.0/16', 24] }, { 'flatnet.dev/prune': 'true' }),
    ]);
    expect(rangesOf(r.items)).toEqual({ 'bm-pods': { ipv4: '10.200.9.0/24' }, 'np1-pods': { ipv4: '10.200.0.0/24' } });
    expect(r.results.map((x) => x.message).join('\n')).not.toMatch(/kept|removed/);
  });

  it('knows the control-plane pool from NodePools\' `spec.clusterName` when the Cluster is not in the package', () => {
    const r = run([
      nodePool('np1', 1),
      config('bm-pods', { ipv4: ['10.200.9.0/24', 24] }, 'bm', { 'flatnet.dev/expanded-from': 'pods', 'flatnet.dev/node-pool': 'bm' }),
      template({ ipv4: ['10.200.0.0/16', 24] }, { 'flatnet.dev/prune': 'true' }),
    ]);
    expect(Object.keys(rangesOf(r.items))).toEqual(['bm-pods', 'np1-pods']);
  });

  it('skips names already taken, local configs included', () => {
    const r = run([
      nodePool('np1', 2),
      config('np1-pods', { ipv4: ['10.201.0.0/24', 24] }, 'other'),
      { ...config('np1-pods-2', { ipv4: ['10.202.0.0/24', 24] }), metadata: { name: 'np1-pods-2', namespace: NS, annotations: { 'config.kubernetes.io/local-config': 'true' } } },
      template({ ipv4: ['10.200.0.0/16', 24] }),
    ]);
    expect(Object.keys(rangesOf(r.items))).toContain('np1-pods-3');
  });

  it('counts configs bound to exactly the pool, whoever wrote them; not configs with other labels or expressions', () => {
    const withExpr = config('np1-expr', { ipv4: ['10.200.64.0/24', 24] });
    (withExpr.spec as JsonObject).nodeSelector = {
      matchLabels: { [NODE_POOL_LABEL]: 'np1' },
      matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }],
    };
    const r = run([
      nodePool('np1', 4),
      config('np1-hand', { ipv4: ['10.200.32.0/23', 24] }, 'np1'), // 2 blocks: counts
      { ...config('np1-zone', { ipv4: ['10.200.48.0/23', 24] }), spec: { ipv4: { cidr: '10.200.48.0/23', perNodeMaskSize: 24 }, nodeSelector: { matchLabels: { [NODE_POOL_LABEL]: 'np1', zone: 'a' } } } },
      withExpr,
      template({ ipv4: ['10.200.0.0/16', 24] }),
    ]);
    // needs 4, has 2 -> one /23, first fit from the bottom.
    expect(rangesOf(r.items)['np1-pods']).toEqual({ ipv4: '10.200.0.0/23' });
  });

  it('carves around every applied range of the namespace, cluster-wide ones included, but not local ones', () => {
    const r = run([
      nodePool('np1', 1),
      config('cluster-wide', { ipv4: ['10.200.0.0/24', 24] }),
      { ...config('draft', { ipv4: ['10.200.1.0/24', 24] }), metadata: { name: 'draft', namespace: NS, annotations: { 'config.kubernetes.io/local-config': 'true' } } },
      config('elsewhere', { ipv4: ['10.200.2.0/24', 24] }, undefined, undefined, 'cluster-other'),
      template({ ipv4: ['10.200.0.0/16', 24] }),
    ]);
    expect(rangesOf(r.items)['np1-pods']).toEqual({ ipv4: '10.200.1.0/24' });
  });

  it('adds both families in one config, with the same number of blocks, and IPv6-only works alike', () => {
    const dual = run([nodePool('np1', 3), template({ ipv4: ['10.200.0.0/16', 24], ipv6: ['fd00:10:200::/104', 120] })]);
    expect(rangesOf(dual.items)).toEqual({ 'np1-pods': { ipv4: '10.200.0.0/22', ipv6: 'fd00:10:200::/118' } });
    const v6 = run([nodePool('np1', 3)], fnConfig({ ipv6: { cidr: 'FD00:10:200::/104', perNodeMaskSize: 120 } }));
    expect(rangesOf(v6.items)).toEqual({ 'np1-pods': { ipv6: 'fd00:10:200::/118' } });
  });

  it('with both families, a pool lacking one family in its configs gets a config with both', () => {
    const r = run([
      nodePool('np1', 2),
      config('np1-v4', { ipv4: ['10.200.0.0/23', 24] }, 'np1'),
      template({ ipv4: ['10.200.0.0/16', 24], ipv6: ['fd00:10:200::/104', 120] }),
    ]);
    expect(rangesOf(r.items)['np1-pods']).toEqual({ ipv4: '10.200.2.0/23', ipv6: 'fd00:10:200::/119' });
  });
});

describe('expand-cluster-cidr: exhaustion', () => {
  it('says how many blocks are missing, adds nothing for that pool, and still serves the others', () => {
    const r = run([nodePool('big', 9), nodePool('small', 1), template({ ipv4: ['10.200.0.0/22', 24] })]);
    expect(r.results).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          severity: 'error',
          message: expect.stringMatching(/^node pool "big" must get 16 \/24 blocks \(9 rounded up to a power of two\) in one aligned \/20, .* only 4 are free in IPv4 range "10\.200\.0\.0\/22": 12 missing/),
          field: { path: 'spec.ipv4.cidr', currentValue: '10.200.0.0/22' },
          tags: { function: 'expand-cluster-cidr' },
        }),
      ]),
    );
    expect(rangesOf(r.items)).toEqual({ 'small-pods': { ipv4: '10.200.0.0/24' } });
  });

  it('tells fragmentation from lack of space', () => {
    const r = run([
      nodePool('np1', 2),
      config('a', { ipv4: ['10.200.0.0/24', 24] }),
      config('b', { ipv4: ['10.200.2.0/24', 24] }),
      template({ ipv4: ['10.200.0.0/22', 24] }),
    ]);
    expect(errors(r)).toEqual([expect.stringMatching(/no aligned \/23 is free in IPv4 range "10\.200\.0\.0\/22": its 2 free \/24 blocks are scattered/)]);
    expect(rangesOf(r.items)['np1-pods']).toBeUndefined();
  });

  it('never adds half a dual-stack config', () => {
    const r = run([nodePool('np1', 4), template({ ipv4: ['10.200.0.0/16', 24], ipv6: ['fd00:10:200::/119', 120] })]);
    expect(errors(r)).toEqual([expect.stringMatching(/IPv6 range "fd00:10:200::\/119": 2 missing/)]);
    expect(cidrConfigs(r.items)).toEqual([]);
  });

  it('reports a headroom too large for any range as exhaustion, not a crash', () => {
    const r = run([nodePool('np1', 3)], fnConfig({ ipv4: { cidr: '10.200.0.0/16', perNodeMaskSize: 24 }, headroomPercent: 1000000000000 }));
    expect(errors(r)).toEqual([expect.stringMatching(/in one aligned range, .* only 256 are free in IPv4 range "10.200.0.0\/16": 34359738112 missing/)]);
  });
});

describe('expand-cluster-cidr: declarations', () => {
  it('marks an applied template local config, and reads its headroom and prune annotations', () => {
    const r = run([nodePool('np1', 4), { ...template({ ipv4: ['10.200.0.0/16', 24] }, { 'flatnet.dev/headroom-percent': '100', 'config.kubernetes.io/local-config': 'false' }) }]);
    const t = r.items.find((i) => i.name === 'pods')!;
    expect(t.annotation('config.kubernetes.io/local-config')).toBe('true');
    expect(r.results).toEqual(
      expect.arrayContaining([expect.objectContaining({ severity: 'info', field: { path: 'metadata.annotations["config.kubernetes.io/local-config"]', proposedValue: 'true' } })]),
    );
    expect(rangesOf(r.items)).toEqual({ 'np1-pods': { ipv4: '10.200.0.0/21' } });
  });

  it('defaults the namespace of the function config to the only one holding pools, else asks for it', () => {
    const items = [nodePool('np1', 1, 'cluster-a'), nodePool('np1', 1, 'cluster-b')];
    const ambiguous = run(items, fnConfig({ ipv4: { cidr: '10.200.0.0/16', perNodeMaskSize: 24 } }));
    expect(errors(ambiguous)).toEqual([
      '`namespace` must be set: the package has NodePools or Clusters in namespaces "cluster-a" and "cluster-b"; name the cluster namespace whose pod range this config declares',
    ]);
    const named = run(items, fnConfig({ namespace: 'cluster-b', ipv4: { cidr: '10.200.0.0/16', perNodeMaskSize: 24 } }));
    expect(cidrConfigs(named.items).map((i) => `${i.namespace}/${i.name}`)).toEqual(['cluster-b/np1-pods']);
    const none = run([], fnConfig({ ipv4: { cidr: '10.200.0.0/16', perNodeMaskSize: 24 } }));
    expect(errors(none)).toEqual([expect.stringMatching(/^`namespace` must be set: the package has no NodePool or Cluster/)]);
  });

  it('warns when the declared namespace holds no pools, and then prunes nothing', () => {
    const r = run(
      [config('gone-pods', { ipv4: ['10.200.0.0/24', 24] }, 'gone', { 'flatnet.dev/expanded-from': 'function-config', 'flatnet.dev/node-pool': 'gone' })],
      fnConfig({ namespace: NS, ipv4: { cidr: '10.200.0.0/16', perNodeMaskSize: 24 }, prune: true }),
    );
    expect(r.results).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/holds no NodePool and no Cluster: nothing was expanded/) })]);
    expect(Object.keys(rangesOf(r.items))).toEqual(['gone-pods']);
  });

  it('expands each namespace from its own template', () => {
    const r = run([
      nodePool('np1', 1, 'cluster-b', 'b'),
      nodePool('np1', 1, 'cluster-a', 'a'),
      template({ ipv4: ['10.201.0.0/16', 24] }, {}, 'pods', 'cluster-b'),
      template({ ipv4: ['10.200.0.0/16', 24] }, {}, 'pods', 'cluster-a'),
    ]);
    expect(cidrConfigs(r.items).map((i) => `${i.namespace}/${i.name} ${i.get(['spec', 'ipv4', 'cidr']) as string}`)).toEqual([
      'cluster-a/np1-pods 10.200.0.0/24',
      'cluster-b/np1-pods 10.201.0.0/24',
    ]);
  });

  it('refuses two templates for one namespace, naming both', () => {
    const r = run([nodePool('np1', 1), template({ ipv4: ['10.200.0.0/16', 24] }, {}, 'a'), template({ ipv4: ['10.201.0.0/16', 24] }, {}, 'b')]);
    expect(errors(r)).toEqual([
      expect.stringContaining('ClusterCIDRConfig "a" and ClusterCIDRConfig "b" both declare it'),
      expect.stringContaining('ClusterCIDRConfig "a" and ClusterCIDRConfig "b" both declare it'),
    ]);
    expect(cidrConfigs(r.items)).toEqual([]);
  });

  it('stops for a namespace whose applied configs cannot be read, naming the config', () => {
    const r = run([nodePool('np1', 1), config('broken', { ipv4: ['10.200.0.1/24', 24] }), template({ ipv4: ['10.200.0.0/16', 24] })]);
    expect(errors(r)).toEqual([expect.stringMatching(/^ClusterCIDRConfig "broken": `spec.ipv4.cidr` "10.200.0.1\/24" must be a valid IPv4 CIDR/)]);
    expect(Object.keys(rangesOf(r.items))).toEqual(['broken']);
  });

  it('warns about NodePools without a namespace', () => {
    const pool = nodePool('np1', 1);
    delete (pool.metadata as JsonObject).namespace;
    const r = run([pool, nodePool('np2', 1), template({ ipv4: ['10.200.0.0/16', 24] })]);
    expect(r.results).toEqual(expect.arrayContaining([expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/^NodePool "np1" has no `metadata.namespace`/) })]));
    expect(Object.keys(rangesOf(r.items))).toEqual(['np2-pods']);
  });

  it('does nothing without a declaration', () => {
    const r = run([cluster(1), nodePool('np1', 3), config('wide', { ipv4: ['10.200.0.0/16', 24] })]);
    expect(r).toMatchObject({ exitCode: 0, results: [] });
    expect(r.items.every((i) => !i.modified)).toBe(true);
  });

  it.each([
    ['no range', { headroomPercent: 10 }, /^`ipv4` or `ipv6` \(or both\) must be set/],
    ['mask below the prefix', { ipv4: { cidr: '10.200.0.0/16', perNodeMaskSize: 8 } }, /must be at least the prefix length of `ipv4.cidr`/],
    ['too few host bits', { ipv4: { cidr: '10.200.0.0/16', perNodeMaskSize: 30 } }, /at least 4 host bits, so it must be at most 28/],
    ['host bits differ', { ipv4: { cidr: '10.200.0.0/16', perNodeMaskSize: 24 }, ipv6: { cidr: 'fd00::/104', perNodeMaskSize: 112 } }, /: use 120$/],
    ['IPv6 where IPv4 goes', { ipv4: { cidr: 'fd00::/104', perNodeMaskSize: 24 } }, /`ipv4.cidr`: "fd00::\/104" must be an IPv4 CIDR/],
  ])('config check: %s', (_name, fields, message) => {
    const r = run([nodePool('np1', 1)], fnConfig(fields));
    expect(errors(r)).toEqual([expect.stringMatching(message)]);
  });

  it('reads a ConfigMap config, ranges as JSON', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'expand' }, data: { ipv4: '{"cidr":"10.200.0.0/16","perNodeMaskSize":24}', prune: 'true' } };
    const r = run([nodePool('np1', 1)], cm);
    expect(rangesOf(r.items)).toEqual({ 'np1-pods': { ipv4: '10.200.0.0/24' } });
  });
});

describe('expand-cluster-cidr: output passes validate-flat-network', () => {
  const validate = makeValidateFunction(() => '2026-06-01');
  const cases = findCases(join(__dirname, '..', 'testdata'));
  for (const c of cases) {
    it(`${c.name}: no error result`, () => {
      const got = runCase(expandClusterCidrFunction, c);
      if (got.exitCode !== 0) return; // error cases are about the input, not a package to apply
      const items = parseResourceList(got.stdout).list.items;
      const config = loadConfig(undefined, validate.config, validate.name).config!;
      const findings = validate.process({ items, results: [] }, config);
      expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Properties: over random pools, node counts, headroom and applied configs (inside, across and
// outside the range, bound to pools or not, generated or hand-written, overlapping or not).

const V4_BASE = 0x0ac80000n; // 10.200.0.0
const V6_BASE = 0xfd000010020000000000000000000000n; // fd00:10:200::
const v4Text = (n: bigint, p: number): string => `${[24n, 16n, 8n, 0n].map((s) => (n >> s) & 255n).join('.')}/${p}`;
const v6Text = (n: bigint, p: number): string => {
  const parts = [];
  for (let s = 112n; s >= 0n; s -= 16n) parts.push(((n >> s) & 0xffffn).toString(16));
  return `${parts.join(':')}/${p}`;
};

const packages = fc.record({
  families: fc.constantFrom<Array<'ipv4' | 'ipv6'>>(['ipv4'], ['ipv6'], ['ipv4', 'ipv6']),
  /** The declared IPv4 prefix (IPv6: +96), per-node /24 (/120). */
  prefix: fc.integer({ min: 17, max: 22 }),
  headroom: fc.constantFrom(0, 10, 25, 50, 100),
  byTemplate: fc.boolean(),
  cpNodes: fc.integer({ min: 0, max: 3 }),
  pools: fc.uniqueArray(fc.record({ name: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), nodes: fc.integer({ min: 0, max: 12 }) }), {
    selector: (p) => p.name,
    maxLength: 5,
  }),
  existing: fc.array(
    fc.record({
      /** Block size as a prefix (IPv4), possibly larger than the declared range. */
      prefix: fc.integer({ min: 16, max: 24 }),
      /** Where, in blocks of that size from 10.200.0.0 (beyond the range too). */
      slot: fc.integer({ min: 0, max: 40 }),
      pool: fc.option(fc.constantFrom('a', 'b', 'c', 'bm', 'gone'), { nil: undefined }),
      generated: fc.boolean(),
    }),
    { maxLength: 6 },
  ),
});

type Pkg = typeof packages extends fc.Arbitrary<infer T> ? T : never;

function build(p: Pkg): { items: JsonObject[]; functionConfig?: JsonObject } {
  const items: JsonObject[] = [cluster(p.cpNodes)];
  for (const pool of p.pools) items.push(nodePool(pool.name, pool.nodes));
  p.existing.forEach((e, i) => {
    const size = 1n << BigInt(32 - e.prefix);
    const net4 = V4_BASE + BigInt(e.slot) * size;
    const net6 = V6_BASE + BigInt(e.slot) * size;
    const ranges: Ranges = {};
    if (p.families.includes('ipv4')) ranges.ipv4 = [v4Text(net4, e.prefix), 24];
    if (p.families.includes('ipv6')) ranges.ipv6 = [v6Text(net6, e.prefix + 96), 120];
    const annotations = e.generated && e.pool ? { 'flatnet.dev/expanded-from': 'pods', 'flatnet.dev/node-pool': e.pool } : undefined;
    items.push(config(`existing-${i}`, ranges, e.pool, annotations));
  });
  const declared: Ranges = {};
  if (p.families.includes('ipv4')) declared.ipv4 = [v4Text(V4_BASE, p.prefix), 24];
  if (p.families.includes('ipv6')) declared.ipv6 = [v6Text(V6_BASE, p.prefix + 96), 120];
  if (p.byTemplate) {
    items.push(template(declared, { 'flatnet.dev/headroom-percent': String(p.headroom) }));
    return { items };
  }
  const fields: JsonObject = { headroomPercent: p.headroom };
  for (const [fam, r] of Object.entries(declared)) fields[fam] = { cidr: r[0], perNodeMaskSize: r[1] };
  return { items, functionConfig: fnConfig(fields) };
}

const parse = (text: string): Cidr => {
  const r = parseCidr(text);
  if (!r.ok) throw new Error(text);
  return r.value;
};

/**
 * One run of the processor over `list`, checked: items that were there come out byte-identical
 * (a template may only gain its local-config annotation), every added item is a config of every
 * declared family inside the declared range and overlapping nothing applied nor any other added
 * range, and without exhaustion every pool has its blocks. Returns the results.
 */
function runAndCheck(p: Pkg, list: ResourceList, nodes: ReadonlyMap<string, number>): Result[] {
  const original = new Map(list.items.map((i) => [i.name + '/' + i.kind, i.render(0)]));
  const appliedBefore = cidrConfigs(list.items).filter((i) => !i.annotation('flatnet.dev/expand'));
  const loaded = loadConfig(list.functionConfig, configSpec, 'expand-cluster-cidr');
  expect(loaded.results).toEqual([]);
  const results = expandClusterCidr(list, loaded.config!);

  const added = list.items.filter((i) => !original.has(i.name + '/' + i.kind));
  const kept = list.items.filter((i) => original.has(i.name + '/' + i.kind));
  expect(kept.length).toBe(original.size); // nothing pruned: these packages never ask for it
  for (const item of kept) {
    if (item.annotation('flatnet.dev/expand')) continue;
    expect(item.render(0)).toBe(original.get(item.name + '/' + item.kind));
  }

  const declared = Object.fromEntries(p.families.map((f) => [f, parse(f === 'ipv4' ? v4Text(V4_BASE, p.prefix) : v6Text(V6_BASE, p.prefix + 96))]));
  const taken = appliedBefore.flatMap((i) => p.families.map((f) => parse(i.get(['spec', f, 'cidr']) as string)));
  for (const item of added) {
    expect(item.kind).toBe('ClusterCIDRConfig');
    for (const f of p.families) {
      const cidr = parse(item.get(['spec', f, 'cidr']) as string); // every declared family is there
      expect(contains(declared[f]!, cidr)).toBe(true);
      for (const other of taken) expect(overlaps(cidr, other)).toBe(false);
      taken.push(cidr);
    }
  }

  if (!results.some((r) => r.severity === 'error')) {
    for (const [name, count] of nodes) {
      const need = BigInt(Math.max(1, Math.ceil((count * (100 + p.headroom)) / 100)));
      for (const f of p.families) {
        const have = cidrConfigs(list.items)
          .filter((i) => i.get(['spec', 'nodeSelector', 'matchLabels', NODE_POOL_LABEL]) === name && i.get(['spec', f]) !== undefined)
          .reduce((sum, i) => sum + perNodeBlocks(parse(i.get(['spec', f, 'cidr']) as string), f === 'ipv4' ? 24 : 120), 0n);
        expect(have >= need).toBe(true);
      }
    }
  }
  return results;
}

const poolNodes = (p: Pkg, extra: readonly number[] = []): Map<string, number> =>
  new Map([...(p.cpNodes > 0 ? [['bm', p.cpNodes] as const] : []), ...p.pools.map((x, i) => [x.name, x.nodes + (extra[i] ?? 0)] as const)]);

describe('expand-cluster-cidr: properties', () => {
  it('never overlaps, stays inside the declared range, never changes an existing config, and a second run adds nothing', () => {
    fc.assert(
      fc.property(packages, (p) => {
        const { items, functionConfig } = build(p);
        const list = parseResourceList(input(items, functionConfig)).list;
        runAndCheck(p, list, poolNodes(p));

        // A second run, through the serialized list as kpt would send it, changes nothing.
        const once = serializeResourceList({ ...list, results: [] });
        const again = execute(expandClusterCidrFunction, once);
        expect(itemsOf(again.stdout)).toBe(itemsOf(once));
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it('when pools grow and new ones come, what the last run made never moves, and the new ranges overlap nothing', () => {
    fc.assert(
      fc.property(packages, fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 5, maxLength: 5 }), (p, extra) => {
        const { items, functionConfig } = build(p);
        const list = parseResourceList(input(items, functionConfig)).list;
        runAndCheck(p, list, poolNodes(p));
        // Grow every pool, and add one.
        p.pools.forEach((pool, i) => {
          const item = list.items.find((x) => x.kind === 'NodePool' && x.name === pool.name)!;
          item.set(['spec', 'nodes'], addresses(pool.nodes + extra[i]!, 1));
        });
        list.items.push(parseResourceList(input([nodePool('z-new', 3)])).list.items[0]!);
        const grown = new Map([...poolNodes(p, extra), ['z-new', 3]]);
        const next = parseResourceList(serializeResourceList({ ...list, results: [] })).list;
        runAndCheck(p, next, grown);
      }),
      { seed: 42, numRuns: 100 },
    );
  });
});
