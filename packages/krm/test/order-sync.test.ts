import { readFileItems } from '@flatnet/krm';

const read = (text: string) => readFileItems('x.yaml', text)[0]!;
const CLUSTER = `apiVersion: v1
kind: Thing
metadata:
  name: a
spec:
  network:
    services: {cidrBlocks: [10.96.0.0/12]}
    pods: x
  list:
  - {b: 1, a: 2}
`;

describe('kpt order sync around a step (kyaml SyncOrder)', () => {
  it('keys a step added come after the keys the object had, in the order the step left them', () => {
    const o = read(CLUSTER);
    o.beginStep();
    o.set(['spec', 'network', 'advancedNetworking'], true, { first: true });
    o.set(['spec', 'network', 'flatIPv4'], true, { after: 'advancedNetworking' });
    o.set(['metadata', 'namespace'], 'ns', { after: 'name' });
    o.endStep();
    expect(o.renderDocument(false)).toBe(`apiVersion: v1
kind: Thing
metadata:
  name: a
  namespace: ns
spec:
  network:
    services: {cidrBlocks: [10.96.0.0/12]}
    pods: x
    advancedNetworking: true
    flatIPv4: true
  list:
  - {b: 1, a: 2}
`);
  });

  it('a key removed and set again keeps its old place; a whole map replaced keeps its old key order', () => {
    const o = read(CLUSTER);
    o.beginStep();
    o.delete(['spec', 'network']);
    o.set(['spec', 'network'], { pods: 'y', extra: 1, services: { cidrBlocks: ['10.96.0.0/12'] } });
    o.set(['spec', 'list', 0], { a: 3, c: 4, b: 5 });
    o.endStep();
    expect(Object.keys(o.get(['spec']) as object)).toEqual(['network', 'list']);
    expect(o.renderDocument(false)).toBe("apiVersion: v1\nkind: Thing\nmetadata:\n  name: a\nspec:\n  network:\n    services:\n      cidrBlocks:\n      - 10.96.0.0/12\n    pods: 'y'\n    extra: 1\n  list:\n  - b: 5\n    a: 3\n    c: 4\n");
  });

  it('outside a step nothing is reordered, and a step that edits nothing parses nothing', () => {
    const o = read(CLUSTER);
    o.set(['spec', 'network', 'first'], 1, { first: true });
    expect(Object.keys(o.get(['spec', 'network']) as object)[0]).toBe('first');
    const p = read(CLUSTER);
    p.beginStep();
    p.endStep();
    expect(p.renderDocument(false)).toBe(CLUSTER);
  });
});
