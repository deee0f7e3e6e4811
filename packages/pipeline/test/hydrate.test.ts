import { readFileItems } from '@flatnet/krm';
import { asStream, hydrate } from '@flatnet/pipeline';
import { parseAllDocuments } from 'yaml';

const items = (text: string) => readFileItems('pkg.yaml', text);
const CLUSTER = (name: string, ns = `cluster-${name}`) => `apiVersion: baremetal.cluster.gke.io/v1\nkind: Cluster\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  type: user\n`;
const PEER = (name: string, ns: string, extra = '') => `apiVersion: networking.gke.io/v1\nkind: BGPPeer\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n${extra}spec:\n  peerIP: 10.0.0.1\n`;
const LOCAL = 'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: p\n  annotations:\n    config.kubernetes.io/local-config: "true"\n';

describe('hydrate', () => {
  it('writes one file per cluster, in a fixed order, without local config or kpt annotations', () => {
    const text = [
      LOCAL,
      PEER('b-peer', 'cluster-b', "  annotations:\n    internal.config.kubernetes.io/path: 'x.yaml'\n    config.kubernetes.io/index: '0'\n    flatnet.dev/generated-by: FlatNetwork/b\n"),
      CLUSTER('b'),
      PEER('a-peer', 'cluster-a'),
      CLUSTER('a'),
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: extra\n',
    ].join('---\n');
    const h = hydrate(items(text));
    expect(h.problems).toEqual([]);
    expect([...h.files.keys()]).toEqual(['a.yaml', 'b.yaml', 'cluster-scoped.yaml']);
    const b = parseAllDocuments(h.files.get('b.yaml')!).map((d) => d.toJS());
    expect(b.map((o) => o.kind)).toEqual(['Cluster', 'BGPPeer']);
    expect(b[1].metadata.annotations).toEqual({ 'flatnet.dev/generated-by': 'FlatNetwork/b' });
    expect(asStream(h)).not.toContain('kpt.dev');
    expect(parseAllDocuments(asStream(h)).filter((d) => d.contents === null)).toEqual([]);
  });

  it('gives the same bytes whatever the input order', () => {
    const docs = [CLUSTER('a'), PEER('p1', 'cluster-a'), PEER('p2', 'cluster-a'), CLUSTER('b')];
    const one = asStream(hydrate(items(docs.join('---\n'))));
    const two = asStream(hydrate(items([...docs].reverse().join('---\n'))));
    expect(two).toBe(one);
  });

  it.each([
    ['an empty result', LOCAL, /nothing to apply/],
    ['a flat-mode object without namespace', PEER('p', '').replace('  namespace: \n', ''), /`metadata.namespace` must be set/],
    ['Config Sync\'s own annotations', PEER('p', 'cluster-a', '  annotations:\n    configsync.gke.io/declared-fields: x\n'), /annotation "configsync.gke.io\/declared-fields" is Config Sync's own/],
    ['Config Management labels', PEER('p', 'cluster-a', '  labels:\n    configmanagement.gke.io/managed: "true"\n'), /label "configmanagement.gke.io\/managed"/],
  ])('refuses %s', (_name, text, problem) => {
    const h = hydrate(items(text));
    expect(h.files.size).toBe(0);
    expect(h.problems).toEqual([expect.stringMatching(problem)]);
  });
});

describe('regressions found by the fuzz suite', () => {
  it('three-boms-through-argocd: byte-order marks at the head of a file do not reach the stream', () => {
    const h = hydrate(items(`\ufeff\ufeff${CLUSTER('a')}---\n${PEER('p', 'cluster-a')}`));
    expect(h.problems).toEqual([]);
    expect(asStream(h)).not.toContain('\ufeff');
    expect(parseAllDocuments(asStream(h)).map((d) => d.toJS().kind)).toEqual(['Cluster', 'BGPPeer']);
  });
});

describe('regressions found by the fuzz suite (line ends)', () => {
  it('crlf-intent-through-argocd: an object read from a CRLF file joins the stream with LF line ends', () => {
    const h = hydrate([...readFileItems('crlf.yaml', `---\n${CLUSTER('a')}`.replace(/\n/g, '\r\n')), ...items(PEER('p', 'cluster-a'))]);
    expect(h.problems).toEqual([]);
    const stream = asStream(h);
    expect(stream).not.toContain('\r');
    expect(stream).toMatch(/^(#.*\n)*apiVersion: /);
    expect(parseAllDocuments(stream).map((d) => d.toJS().kind)).toEqual(['Cluster', 'BGPPeer']);
  });
});

describe("Config Sync's own metadata", () => {
  const CM = (meta: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: cluster-a\n${meta}`;
  const base = 'apiVersion: baremetal.cluster.gke.io/v1\nkind: Cluster\nmetadata:\n  name: a\n  namespace: cluster-a\nspec:\n  type: user\n';
  it.each([
    'configmanagement.gke.io/namespace-selector',
    'configmanagement.gke.io/cluster-selector',
    'configsync.gke.io/cluster-name-selector',
    'configmanagement.gke.io/managed',
    'configsync.gke.io/deletion-propagation-policy',
  ])('the source annotation %s, which users set on purpose, is accepted', (key) => {
    const h = hydrate(readFileItems('p.yaml', `${base}---\n${CM(`  annotations:\n    ${key}: x\n`)}`));
    expect(h.problems).toEqual([]);
  });
  it.each([
    ['label', 'configsync.gke.io/declared-version'],
    ['label', 'configmanagement.gke.io/managed'],
    ['annotation', 'configsync.gke.io/declared-fields'],
    ['annotation', 'configmanagement.gke.io/token'],
  ])('a %s %s is refused (KNV1010)', (what, key) => {
    const h = hydrate(readFileItems('p.yaml', `${base}---\n${CM(`  ${what}s:\n    ${key}: x\n`)}`));
    expect(h.problems).toEqual([expect.stringContaining(`${what} "${key}" is Config Sync's own`)]);
  });
});

describe('deletion protection', () => {
  const POOL = 'apiVersion: baremetal.cluster.gke.io/v1\nkind: NodePool\nmetadata:\n  name: np\n  namespace: cluster-a\nspec:\n  clusterName: a\n';
  const wet = (text: string, deletionProtection?: 'confirm' | 'false' | 'off') =>
    parseAllDocuments(asStream(hydrate(items(text), deletionProtection ? { deletionProtection } : {}))).map((d) => d.toJS() as { kind: string; metadata: { annotations?: Record<string, string> } });
  it('marks every Cluster and NodePool, by default for a person to confirm, and nothing else', () => {
    const objs = wet([CLUSTER('a'), POOL, PEER('p', 'cluster-a')].join('---\n'));
    for (const o of objs.filter((x) => x.kind !== 'BGPPeer')) {
      expect(o.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-options': 'Prune=confirm,Delete=confirm', 'client.lifecycle.config.k8s.io/deletion': 'detach' });
    }
    expect(objs.find((o) => o.kind === 'BGPPeer')!.metadata.annotations).toBeUndefined();
  });
  it('false for Argo CD before 2.14, off for none', () => {
    expect(wet(CLUSTER('a'), 'false')[0]!.metadata.annotations!['argocd.argoproj.io/sync-options']).toBe('Prune=false,Delete=false');
    expect(wet(CLUSTER('a'), 'off')[0]!.metadata.annotations).toBeUndefined();
  });
  it("keeps what an object sets for itself, and adds what it lacks", () => {
    const own = CLUSTER('a').replace('  namespace: cluster-a\n', "  namespace: cluster-a\n  annotations:\n    argocd.argoproj.io/sync-options: 'ServerSideApply=true, Prune=false'\n    client.lifecycle.config.k8s.io/deletion: orphan\n");
    expect(wet(own)[0]!.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-options': 'ServerSideApply=true,Prune=false,Delete=confirm', 'client.lifecycle.config.k8s.io/deletion': 'orphan' });
  });
});

describe('namespaces', () => {
  it('adds a marked Namespace for each namespace used and not declared, in that cluster\'s file, none for built-in ones', () => {
    const sys = 'apiVersion: networking.gke.io/v1\nkind: NetworkGatewayGroup\nmetadata:\n  name: default\n  namespace: kube-system\nspec:\n  floatingIPs:\n  - 10.0.0.9\n';
    const declared = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: cluster-b\n';
    const h = hydrate(items([CLUSTER('a'), CLUSTER('b'), declared, sys].join('---\n')), { namespaces: true });
    expect(h.problems).toEqual([]);
    const kinds = (f: string) => parseAllDocuments(h.files.get(f)!).map((d) => d.toJS() as { kind: string; metadata: { name: string; annotations?: Record<string, string> } });
    expect(kinds('a.yaml').map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Namespace/cluster-a', 'Cluster/a']);
    expect(kinds('b.yaml').map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Namespace/cluster-b', 'Cluster/b']);
    expect(kinds('a.yaml')[0]!.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-options': 'Prune=confirm,Delete=confirm', 'client.lifecycle.config.k8s.io/deletion': 'detach' });
    expect([...h.files.keys()]).toEqual(['a.yaml', 'b.yaml', 'kube-system.yaml']);
    expect(kinds('kube-system.yaml').map((o) => o.kind)).toEqual(['NetworkGatewayGroup']);
  });
  it('adds none unless asked', () => {
    expect(asStream(hydrate(items(CLUSTER('a'))))).not.toContain('kind: Namespace');
  });
});
