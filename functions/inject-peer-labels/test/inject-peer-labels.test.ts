import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { execute, parseResourceList, type KubeObject, type Result } from '@flatnet/krm';
import { findCases, itemsOf } from '@flatnet/krm/testing';
import { makeValidateFunction } from '../../validate-flat-network/src/function';
import { configSpec, labelKeyProblem, labelValueProblem } from '../src/config';
import { injectPeerLabelsFunction } from '../src/function';
import { selects } from '../src/inject-peer-labels';

const TESTDATA = join(__dirname, '..', 'testdata');

/** Strips the common indentation of a template literal, so test YAML reads as it is written. */
function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').replace(/\n\s*$/, '\n').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

/** A ResourceList of the given documents (`---`-separated, each indented as it likes), with an optional functionConfig. */
function resourceList(docs: string, functionConfig?: string): string {
  const items = docs
    .split(/^[ \t]*---[ \t]*$/m)
    .filter((d) => d.trim())
    .map((d) => dedent(d).replace(/\n$/, '').split('\n').map((l, i) => (i === 0 ? `- ${l}` : l ? `  ${l}` : l)).join('\n'))
    .join('\n');
  let out = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${items}\n`;
  if (functionConfig) out += `functionConfig:\n${dedent(functionConfig).replace(/^(?=.)/gm, '  ')}`;
  return out;
}

interface Run {
  items: KubeObject[];
  results: Result[];
  exitCode: number;
  stdout: string;
}

function run(docs: string, functionConfig?: string): Run {
  const out = execute(injectPeerLabelsFunction, resourceList(docs, functionConfig));
  const parsed = parseResourceList(out.stdout);
  return { items: parsed.list.items, results: (parse(out.stdout) as { results?: Result[] }).results ?? [], exitCode: out.exitCode, stdout: out.stdout };
}

const byName = (r: Run, kind: string, name: string, namespace = 'cluster-bm'): KubeObject =>
  r.items.find((i) => i.kind === kind && i.name === name && i.namespace === namespace)!;

const MODE = `
  apiVersion: baremetal.cluster.gke.io/v1alpha1
  kind: FlatIPMode
  metadata:
    name: default
    namespace: cluster-bm
  spec:
    peerSelector:
      flatip-peer: "true"
`;
const peer = (name: string, labels = ''): string => `
  apiVersion: networking.gke.io/v1
  kind: BGPPeer
  metadata:
    name: ${name}
    namespace: cluster-bm${labels ? `\n    labels:\n${labels.split(',').map((l) => `      ${l.trim()}`).join('\n')}` : ''}
  spec:
    peerIP: 10.0.1.254
`;

describe('inject-peer-labels', () => {
  it('puts a new labels map right after the name and namespace, keeping comments', () => {
    const r = run(`${MODE}---
      apiVersion: networking.gke.io/v1
      kind: BGPPeer
      metadata:
        name: tor-1 # rack 1
        namespace: cluster-bm
        annotations:
          note: kept
      spec:
        peerIP: 10.0.1.254
      ---
      apiVersion: networking.gke.io/v1
      kind: BGPPeer
      metadata:
        name: tor-2
        namespace: cluster-bm
      spec:
        peerIP: 10.0.3.254
    `);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('    name: tor-1 # rack 1\n    namespace: cluster-bm\n    labels:\n      flatip-peer: \'true\'\n    annotations:\n      note: kept\n');
    expect(r.stdout).toContain('    name: tor-2\n    namespace: cluster-bm\n    labels:\n      flatip-peer: \'true\'\n');
  });

  it('puts a new labels map after the name when there is no namespace', () => {
    const r = run(`
      apiVersion: baremetal.cluster.gke.io/v1alpha1
      kind: FlatIPMode
      metadata:
        name: default
      spec:
        peerSelector: {flatip-peer: "true"}
      ---
      apiVersion: networking.gke.io/v1
      kind: BGPPeer
      metadata:
        name: tor-1
        annotations:
          note: kept
      spec:
        peerIP: 10.0.1.254
    `);
    expect(r.stdout).toContain("    name: tor-1\n    labels:\n      flatip-peer: 'true'\n    annotations:\n");
  });

  it('fills an empty labels map in place, and keeps existing labels and their order', () => {
    const r = run(`${MODE}---${peer('tor-1').replace('namespace: cluster-bm', 'namespace: cluster-bm\n    labels:')}---${peer('tor-2', 'b: "2", a: "1"')}`);
    expect(byName(r, 'BGPPeer', 'tor-1').labels()).toEqual({ 'flatip-peer': 'true' });
    expect(Object.keys(byName(r, 'BGPPeer', 'tor-2').labels())).toEqual(['b', 'a', 'flatip-peer']);
  });

  it('quotes label values that YAML 1.1 readers (kubectl) would take for booleans or numbers', () => {
    const r = run(`${MODE.replace('flatip-peer: "true"', 'flat: "yes"\n      sw: "on"\n      n: "0b11"\n      plain: par1')}---${peer('tor-1')}---${peer('tor-2', 'x: y')}`);
    expect(r.exitCode).toBe(0);
    for (const name of ['tor-1', 'tor-2']) {
      const text = byName(r, 'BGPPeer', name).render(0);
      expect(text).toContain("flat: 'yes'");
      expect(text).toContain("sw: 'on'");
      expect(text).toContain("'n': '0b11'"); // `n` is a YAML 1.1 boolean too
      expect(text).toContain('plain: par1\n');
    }
  });

  it('defaults a missing or empty selector, from the config when it sets one', () => {
    const noSelector = MODE.replace(/ {4}peerSelector:\n.*\n/, '    enableBGPIPv4: true\n');
    const empty = MODE.replace(/peerSelector:\n.*\n/, 'peerSelector: {}\n');
    for (const mode of [noSelector, empty]) {
      const r = run(`${mode}---${peer('tor-1')}`);
      expect(byName(r, 'FlatIPMode', 'default').get(['spec', 'peerSelector'])).toEqual({ 'flatip-peer': 'true' });
      expect(byName(r, 'BGPPeer', 'tor-1').labels()).toEqual({ 'flatip-peer': 'true' });
      expect(r.results).toContainEqual(expect.objectContaining({ severity: 'info', field: { path: 'spec.peerSelector', proposedValue: { 'flatip-peer': 'true' } } }));
    }
    const r = run(`${noSelector}---${peer('tor-1')}`, `
      apiVersion: fn.flatnet.dev/v1alpha1
      kind: InjectPeerLabels
      metadata:
        name: c
      defaultSelector:
        example.com/flat-peer: "yes"
    `);
    expect(byName(r, 'FlatIPMode', 'default').get(['spec', 'peerSelector'])).toEqual({ 'example.com/flat-peer': 'yes' });
    expect(byName(r, 'BGPPeer', 'tor-1').labels()).toEqual({ 'example.com/flat-peer': 'yes' });
    expect(r.stdout).toContain("example.com/flat-peer: 'yes'");
  });

  it('refuses a selector that is not a label map, and labels nothing', () => {
    for (const [selector, path] of [
      ['peerSelector: [flatip-peer]', 'spec.peerSelector'],
      ['peerSelector:\n      flatip-peer: true', 'spec.peerSelector'],
      ['peerSelector:\n      "flat peer": "true"', 'spec.peerSelector["flat peer"]'],
      ['peerSelector:\n      flat: "a b"', 'spec.peerSelector["flat"]'],
    ] as const) {
      const r = run(`${MODE.replace(/peerSelector:\n.*\n/, `${selector}\n`)}---${peer('tor-1')}`);
      expect(r.results).toEqual([expect.objectContaining({ severity: 'error', field: expect.objectContaining({ path }), tags: { function: 'inject-peer-labels' } })]);
      expect(byName(r, 'BGPPeer', 'tor-1').labels()).toEqual({});
    }
  });

  it('never changes a label: a conflicting peer is an error and left untouched, the others are labelled', () => {
    const r = run(`${MODE.replace('flatip-peer: "true"', 'flatip-peer: "true"\n      site: par1')}---${peer('tor-1', 'flatip-peer: "false"')}---${peer('tor-2')}`);
    expect(r.exitCode).toBe(1);
    expect(byName(r, 'BGPPeer', 'tor-1').labels()).toEqual({ 'flatip-peer': 'false' });
    expect(byName(r, 'BGPPeer', 'tor-1').modified).toBe(false);
    expect(byName(r, 'BGPPeer', 'tor-2').labels()).toEqual({ 'flatip-peer': 'true', site: 'par1' });
    expect(r.results.filter((x) => x.severity === 'error')).toEqual([
      expect.objectContaining({
        resourceRef: expect.objectContaining({ name: 'tor-1' }),
        field: { path: 'metadata.labels["flatip-peer"]', currentValue: 'false', proposedValue: 'true' },
      }),
    ]);
  });

  it('skips local-config objects and the user-cluster FlatIPMode copy', () => {
    const r = run(`
      apiVersion: baremetal.cluster.gke.io/v1alpha1
      kind: FlatIPMode
      metadata:
        name: default
        namespace: cluster-bm
        annotations:
          config.kubernetes.io/local-config: "true"
      spec:
        peerSelector:
          local: "true"
      ---
      apiVersion: networking.gke.io/v1alpha1
      kind: FlatIPMode
      metadata:
        name: default
        namespace: cluster-bm
      spec:
        peerSelector:
          user: "true"
      ---${peer('tor-1')}`);
    expect(r.results).toEqual([]);
    expect(r.items.every((i) => !i.modified)).toBe(true);
  });

  it('by default leaves peers of a BGPLoadBalancer alone; named ones are labelled with a warning, once', () => {
    const lb = `
      apiVersion: networking.gke.io/v1
      kind: BGPLoadBalancer
      metadata:
        name: default
        namespace: cluster-bm
      spec:
        peerSelector:
          lb: "true"
    `;
    const docs = `${MODE}---${lb}---${peer('lb-1', 'lb: "true"')}---${peer('tor-1')}`;
    const byDefault = run(docs);
    expect(byName(byDefault, 'BGPPeer', 'lb-1').modified).toBe(false);
    expect(byName(byDefault, 'BGPPeer', 'tor-1').labels()).toEqual({ 'flatip-peer': 'true' });

    const config = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  peers: lb-1\n';
    const named = run(docs, config);
    expect(byName(named, 'BGPPeer', 'lb-1').labels()).toEqual({ lb: 'true', 'flatip-peer': 'true' });
    expect(byName(named, 'BGPPeer', 'tor-1').modified).toBe(false);
    expect(named.results.filter((x) => x.severity === 'warning')).toEqual([
      expect.objectContaining({ resourceRef: expect.objectContaining({ name: 'lb-1' }), message: expect.stringContaining('BGPLoadBalancer "default"') }),
    ]);
    // Already labelled: nothing to do and nothing to warn about.
    const again = execute(injectPeerLabelsFunction, named.stdout.replace(/\nresults:\n[\s\S]*$/, '\n'));
    expect(parse(again.stdout).results ?? []).toEqual([]);
  });

  it('reports several FlatIPModes named "default" in one namespace as an error', () => {
    const r = run(`${MODE}---${MODE.replace('flatip-peer', 'other')}---${peer('tor-1')}`);
    expect(r.results).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringContaining('2 FlatIPModes are named "default"') }),
      expect.objectContaining({ severity: 'error' }),
    ]);
    expect(byName(r, 'BGPPeer', 'tor-1').modified).toBe(false);
  });

  it('reads a ConfigMap config: a comma list and JSON maps', () => {
    const cm = (data: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n${data}`;
    const r = run(`${MODE}---${peer('tor-1', 'role: tor')}---${peer('spine-1', 'role: spine')}`, cm("  peerSelector: '{\"role\": \"tor\"}'\n"));
    expect(byName(r, 'BGPPeer', 'tor-1').labels()).toEqual({ role: 'tor', 'flatip-peer': 'true' });
    expect(byName(r, 'BGPPeer', 'spine-1').modified).toBe(false);

    const bad = run(`${MODE}---${peer('tor-1')}`, cm("  peers: tor-1\n  peerSelector: '{\"role\": \"tor\"}'\n  defaultSelector: 'not json'\n"));
    expect(bad.exitCode).toBe(1);
    expect(bad.results.map((x) => x.field?.path)).toEqual(['data.defaultSelector']);
  });

  it('checks the config: exclusive choices and label keys, all at once', () => {
    const config = configSpec.defaults({ peers: ['a'], peerSelector: { 'a/b/c': 'x' }, defaultSelector: { _x: 'y' } });
    expect(configSpec.check!(config).map((i) => i.path)).toEqual(['peerSelector', 'peerSelector["a/b/c"]', 'defaultSelector["_x"]']);
    expect(configSpec.defaults({}).defaultSelector).toEqual({ 'flatip-peer': 'true' });
  });

  it.each([
    ['flatip-peer', true],
    ['example.com/flat-peer', true],
    ['baremetal.cluster.gke.io/node-pool', true],
    ['Flat_Peer.v1', true],
    ['-flat', false],
    ['flat peer', false],
    ['Example.com/x', false],
    ['/x', false],
    ['x'.repeat(64), false],
  ])('label key %s valid: %s', (key, ok) => {
    expect(labelKeyProblem(key) === undefined).toBe(ok);
  });

  it.each([
    ['true', true],
    ['', true],
    ['a.b_c-d', true],
    ['a b', false],
    ['-a', false],
    ['x'.repeat(64), false],
  ])('label value %j valid: %s', (value, ok) => {
    expect(labelValueProblem(value) === undefined).toBe(ok);
  });
});

describe('output passes validate-flat-network', () => {
  const validate = makeValidateFunction(() => '2026-06-01');
  /** The goldens whose output is a complete, valid package (the others show errors on purpose). */
  const VALID = [
    'already-labelled-no-change',
    'load-balancer-peer-excluded',
    'peers-by-label',
    'peers-by-name',
    'seeds-label-mismatch-fixed',
    'selector-defaulted',
    'two-clusters',
  ];
  const errorsOf = (list: string): Result[] => {
    const doc = parse(list) as Record<string, unknown>;
    delete doc.functionConfig;
    delete doc.results;
    const out = execute(validate, stringify(doc));
    return ((parse(out.stdout) as { results?: Result[] }).results ?? []).filter((r) => r.severity === 'error');
  };

  it('lists only existing cases', () => {
    const names = findCases(TESTDATA).map((c) => c.name);
    for (const name of VALID) expect(names).toContain(name);
  });

  it.each(VALID)('%s', (name) => {
    expect(errorsOf(readFileSync(join(TESTDATA, name, '_expected.yaml'), 'utf8'))).toEqual([]);
  });

  it("fixes the seeds' flatip-peer / flatipmode-peer mismatch that FLAT-BGP-001 reports", () => {
    const seeds = readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'seeds', 'peer-label-mismatch.yaml'), 'utf8');
    const before = errorsOf(resourceList(seeds.replace(/^#.*\n/, '')));
    expect(before).toContainEqual(expect.objectContaining({ tags: expect.objectContaining({ policy: 'FLAT-BGP-001' }) }));
    const after = run(seeds.replace(/^#.*\n/, ''));
    expect(after.exitCode).toBe(0);
    expect(errorsOf(after.stdout)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties over generated packages.

const KEYS = ['flatip-peer', 'flatipmode-peer', 'site', 'lb'];
const VALUES = ['true', 'false', 'yes', 'par1'];
// Mostly "true", so that conflicts (runs that fail on purpose) do not crowd out successful runs.
const valueArb = fc.oneof({ arbitrary: fc.constant('true'), weight: 3 }, { arbitrary: fc.constantFrom(...VALUES), weight: 1 });
const labelsArb = fc.dictionary(fc.constantFrom(...KEYS), valueArb, { maxKeys: 2 });
const selectorArb = fc.oneof(fc.constant(undefined), fc.constant({}), fc.dictionary(fc.constantFrom(...KEYS), valueArb, { minKeys: 1, maxKeys: 2 }));
const PEER_NAMES = ['tor-1', 'tor-2', 'tor-3', 'spine-1'];

const namespaceArb = (ns: string) =>
  fc.record({
    modes: fc.uniqueArray(fc.record({ name: fc.constantFrom('default', 'old'), selector: selectorArb }), { selector: (m) => m.name, maxLength: 2 }),
    peers: fc.uniqueArray(fc.record({ name: fc.constantFrom(...PEER_NAMES), labels: labelsArb, local: fc.boolean() }), { selector: (p) => p.name, maxLength: 4 }),
    balancer: fc.option(fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { minKeys: 1, maxKeys: 1 })),
  }).map((spec) => ({ ns, ...spec }));

interface GeneratedConfig {
  peers?: string[];
  peerSelector?: Record<string, string>;
  defaultSelector?: Record<string, string>;
}
const configArb: fc.Arbitrary<GeneratedConfig | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.record({ peers: fc.uniqueArray(fc.constantFrom(...PEER_NAMES), { minLength: 1, maxLength: 2 }) }),
  fc.record({ peerSelector: fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { minKeys: 1, maxKeys: 1 }) }),
  fc.record({ defaultSelector: fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { minKeys: 1, maxKeys: 2 }) }),
);

type NamespaceSpec = ReturnType<typeof namespaceArb> extends fc.Arbitrary<infer T> ? T : never;

function packageText(spaces: NamespaceSpec[], config: GeneratedConfig | undefined): string {
  const items: unknown[] = [];
  for (const s of spaces) {
    for (const m of s.modes) {
      items.push({ apiVersion: 'baremetal.cluster.gke.io/v1alpha1', kind: 'FlatIPMode', metadata: { name: m.name, namespace: s.ns }, spec: m.selector === undefined ? { enableBGPIPv4: true } : { peerSelector: m.selector } });
    }
    if (s.balancer) items.push({ apiVersion: 'networking.gke.io/v1', kind: 'BGPLoadBalancer', metadata: { name: 'default', namespace: s.ns }, spec: { peerSelector: s.balancer } });
    for (const p of s.peers) {
      const metadata: Record<string, unknown> = { name: p.name, namespace: s.ns };
      if (Object.keys(p.labels).length > 0) metadata.labels = p.labels;
      if (p.local) metadata.annotations = { 'config.kubernetes.io/local-config': 'true' };
      items.push({ apiVersion: 'networking.gke.io/v1', kind: 'BGPPeer', metadata, spec: { peerIP: '10.0.1.254' } });
    }
  }
  const list: Record<string, unknown> = { apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items };
  if (config) list.functionConfig = { apiVersion: 'fn.flatnet.dev/v1alpha1', kind: 'InjectPeerLabels', metadata: { name: 'c' }, ...config };
  return stringify(list, { aliasDuplicateObjects: false });
}

const key = (i: KubeObject): string => `${i.kind}/${i.namespace}/${i.name}/${i.isLocalConfig()}`;

describe('properties (fast-check, seed 42)', () => {
  const packages = fc.tuple(namespaceArb('cluster-a'), namespaceArb('cluster-b'), configArb);

  it('a second run changes nothing', () => {
    fc.assert(
      fc.property(packages, ([a, b, config]) => {
        const first = execute(injectPeerLabelsFunction, packageText([a, b], config));
        const second = execute(injectPeerLabelsFunction, first.stdout);
        expect(itemsOf(second.stdout)).toBe(itemsOf(first.stdout));
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it('labels present before are never changed or removed, and nothing else changes but selectors that were missing', () => {
    fc.assert(
      fc.property(packages, ([a, b, config]) => {
        const input = packageText([a, b], config);
        const before = parseResourceList(input).list.items;
        const after = parseResourceList(execute(injectPeerLabelsFunction, input).stdout).list.items;
        expect(after.map(key)).toEqual(before.map(key));
        before.forEach((old, i) => {
          const now = after[i]!;
          expect(now.labels()).toMatchObject(old.labels());
          if (old.kind === 'BGPPeer') {
            expect({ ...now.value, metadata: { ...(now.value.metadata as object), labels: undefined } }).toEqual({ ...old.value, metadata: { ...(old.value.metadata as object), labels: undefined } });
            if (old.isLocalConfig()) expect(now.value).toEqual(old.value);
          } else if (old.kind === 'FlatIPMode' && Object.keys((old.get(['spec', 'peerSelector']) as object | undefined) ?? {}).length > 0) {
            expect(now.value).toEqual(old.value);
          } else if (old.kind !== 'FlatIPMode') {
            expect(now.value).toEqual(old.value);
          }
        });
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it('after a successful run, every selected peer carries every selector label', () => {
    let checked = 0;
    fc.assert(
      fc.property(packages, ([a, b, config]) => {
        const out = execute(injectPeerLabelsFunction, packageText([a, b], config));
        if (out.exitCode !== 0) return;
        const items = parseResourceList(out.stdout).list.items.filter((i) => !i.isLocalConfig());
        for (const ns of ['cluster-a', 'cluster-b']) {
          const modes = items.filter((i) => i.kind === 'FlatIPMode' && i.namespace === ns);
          const mode = modes.length === 1 ? modes[0] : modes.find((m) => m.name === 'default');
          if (!mode) continue;
          const selector = mode.get(['spec', 'peerSelector']) as Record<string, string>;
          const lbs = items.filter((i) => i.kind === 'BGPLoadBalancer' && i.namespace === ns).map((i) => i.get(['spec', 'peerSelector']) as Record<string, string>);
          const peers = items.filter((i) => i.kind === 'BGPPeer' && i.namespace === ns);
          const chosen = config?.peers
            ? peers.filter((p) => config.peers!.includes(p.name))
            : config?.peerSelector
              ? peers.filter((p) => selects(config.peerSelector!, p.labels()))
              : peers.filter((p) => !lbs.some((s) => selects(s, p.labels())));
          for (const p of chosen) {
            expect(selects(selector, p.labels())).toBe(true);
            checked++;
          }
        }
      }),
      { seed: 42, numRuns: 100 },
    );
    expect(checked).toBeGreaterThan(30); // the property is not vacuous
  });
});
