import { loadConfig, parseResourceList, pointerToPath, type ConfigSpec } from '@flatnet/krm';
import { validators } from '@flatnet/api';

interface C {
  cluster?: string;
  nameSingletons: boolean;
}
const spec: ConfigSpec<C> = {
  apiVersion: 'fn.flatnet.dev/v1alpha1',
  kind: 'SetClusterNamespace',
  validate: validators.fnSetClusterNamespace,
  configMapFields: { cluster: 'string', namespace: 'string', nameSingletons: 'boolean' },
  defaults: (raw) => ({ ...(raw as object), nameSingletons: raw.nameSingletons !== false }),
  check: (c) => (c.cluster === 'forbidden' ? [{ path: 'cluster', message: '`cluster` must not be "forbidden"' }] : []),
};
const fc = (text: string) =>
  parseResourceList(`apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\nfunctionConfig:\n${text.replace(/^/gm, '  ')}`).list.functionConfig;

describe('loadConfig', () => {
  it('defaults when there is no functionConfig', () => {
    expect(loadConfig(undefined, spec, 'f')).toEqual({ config: { nameSingletons: true }, results: [] });
  });

  it('converts ConfigMap strings by declared type', () => {
    const got = loadConfig(fc('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: function-input\ndata:\n  cluster: bm\n  nameSingletons: "false"\n'), spec, 'f');
    expect(got).toEqual({ config: { cluster: 'bm', nameSingletons: false }, results: [] });
  });

  it('reports every ConfigMap problem at once, on `data.<key>`', () => {
    const got = loadConfig(fc('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  nameSingletons: "maybe"\n  colour: blue\n'), spec, 'f');
    expect(got.config).toBeUndefined();
    expect(got.results).toEqual([
      expect.objectContaining({ severity: 'error', field: { path: 'data.nameSingletons' }, message: '`data.nameSingletons` "maybe" must be "true" or "false"' }),
      expect.objectContaining({ severity: 'error', field: { path: 'data.colour' }, message: expect.stringContaining('is not a setting of f') }),
    ]);
  });

  it('schema-checks the typed form and reports every problem', () => {
    const got = loadConfig(fc('apiVersion: fn.flatnet.dev/v1alpha1\nkind: SetClusterNamespace\nmetadata:\n  name: x\ncluster: 7\nbogus: 1\n'), spec, 'f');
    expect(got.results.map((r) => [r.field?.path, r.message]).sort()).toEqual([
      ['bogus', '`bogus` is not a known field: remove it or check its spelling'],
      ['cluster', '`cluster` 7 must be a string'],
    ]);
  });

  it('runs semantic checks after defaults', () => {
    const got = loadConfig(fc('apiVersion: fn.flatnet.dev/v1alpha1\nkind: SetClusterNamespace\nmetadata:\n  name: x\ncluster: forbidden\n'), spec, 'f');
    expect(got.results).toEqual([expect.objectContaining({ message: '`cluster` must not be "forbidden"', field: { path: 'cluster' } })]);
  });

  it.each([
    ['', ''],
    ['/spec/nodes/0/address', 'spec.nodes[0].address'],
    ['/metadata/labels/a~1b', 'metadata.labels["a/b"]'],
  ])('pointerToPath(%s) = %s', (pointer, path) => {
    expect(pointerToPath(pointer)).toBe(path);
  });
});
