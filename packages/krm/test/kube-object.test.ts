import { KubeObject, parseResourceList, serializeResourceList } from '@flatnet/krm';

const header = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n';
const one = (item: string): { obj: KubeObject; out: () => string } => {
  const { list, layout } = parseResourceList(`${header}items:\n${item}`);
  return { obj: list.items[0]!, out: () => serializeResourceList(list, layout).slice(header.length + 'items:\n'.length) };
};

describe('KubeObject', () => {
  it('reads identity and file annotations', () => {
    const { obj } = one("- apiVersion: networking.gke.io/v1\n  kind: BGPPeer\n  metadata:\n    name: p\n    namespace: ns\n    annotations:\n      internal.config.kubernetes.io/path: 'a/b.yaml'\n      config.kubernetes.io/index: '3'\n");
    expect([obj.group, obj.kind, obj.name, obj.namespace]).toEqual(['networking.gke.io', 'BGPPeer', 'p', 'ns']);
    expect(obj.fileRef()).toEqual({ path: 'a/b.yaml', index: 3 });
    expect(obj.resourceRef()).toEqual({ apiVersion: 'networking.gke.io/v1', kind: 'BGPPeer', name: 'p', namespace: 'ns' });
    expect(obj.describe()).toBe('BGPPeer "p"');
  });

  it('keeps comments and order when a field is set, and inserts after a sibling', () => {
    const { obj, out } = one('- # head\n  apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: x # keep\n    labels:\n      a: "1"\n  data: {}\n');
    obj.set(['metadata', 'namespace'], 'ns', { after: 'name' });
    expect(out()).toBe('- # head\n  apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: x # keep\n    namespace: ns\n    labels:\n      a: "1"\n  data: {}\n');
    expect(obj.modified).toBe(true);
    expect(obj.namespace).toBe('ns');
  });

  it('creates metadata right after kind, and can put a key first', () => {
    const { obj, out } = one('- apiVersion: v1\n  kind: ConfigMap\n  data:\n    a: b\n');
    obj.set(['metadata', 'annotations', 'x'], 'z');
    obj.set(['metadata', 'name'], 'default', { first: true });
    expect(out()).toBe("- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: default\n    annotations:\n      x: z\n  data:\n    a: b\n");
  });

  it('setting an equal value changes nothing (idempotence)', () => {
    const text = "- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: 'x'   # odd\n";
    const { obj, out } = one(text);
    obj.set(['metadata', 'name'], 'x');
    expect(obj.modified).toBe(false);
    expect(out()).toBe(text);
  });

  it('quotes new strings that need quotes the way kpt does', () => {
    const { obj, out } = one('- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: x\n');
    obj.setLabel('enabled', 'true');
    obj.setAnnotation('config.kubernetes.io/index', '0');
    expect(out()).toContain("labels:\n      enabled: 'true'\n");
    expect(out()).toContain("config.kubernetes.io/index: '0'\n");
  });

  it('turns an empty flow map into a block map when it gets keys', () => {
    const { obj, out } = one('- apiVersion: v1\n  kind: ConfigMap\n  metadata: {}\n');
    obj.set(['metadata', 'name'], 'x');
    expect(out()).toBe('- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: x\n');
  });

  it('deletes fields through the node', () => {
    const { obj, out } = one('- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: x\n  data:\n    a: b # gone\n    c: d # stays\n');
    obj.delete(['data', 'a']);
    obj.delete(['data', 'missing']);
    expect(out()).toBe('- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: x\n  data:\n    c: d # stays\n');
  });

  it('renders an edited entry at the list indentation of its input', () => {
    const { obj, out } = one('  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: x\n');
    obj.set(['data', 'k'], 'v');
    expect(out()).toBe('  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: x\n    data:\n      k: v\n');
  });

  it('creates new items with kpt path annotations, current and legacy', () => {
    const obj = KubeObject.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'n' } }, { path: 'gen/n.yaml', index: 2 });
    expect(obj.annotations()).toEqual({
      'internal.config.kubernetes.io/path': 'gen/n.yaml',
      'internal.config.kubernetes.io/index': '2',
      'config.kubernetes.io/path': 'gen/n.yaml',
      'config.kubernetes.io/index': '2',
    });
    expect(obj.render(0)).toMatch(/^- apiVersion: v1\n {2}kind: ConfigMap\n/);
  });

  it.each([
    ['"true"', true],
    ['"false"', false],
    ['"yes"', true],
    ['""', true],
  ])('local-config %s means local: %s', (value, local) => {
    const { obj } = one(`- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: x\n    annotations:\n      config.kubernetes.io/local-config: ${value}\n`);
    expect(obj.isLocalConfig()).toBe(local);
  });
});
