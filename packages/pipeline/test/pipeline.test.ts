import { mkdtempSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KrmInputError, readFileItems, type KrmFunction } from '@flatnet/krm';
import { allFiles, allHoldings, applyChanges, changedFiles, functionName, readPackage, readPipeline, renderTree } from '@flatnet/pipeline';
import { FUNCTIONS } from '../../cli/src/registry';

const lookup = (name: string) => FUNCTIONS.get(name);

function pkg(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'flatnet-pkg-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}
const kptfile = (pipeline: string) => `apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: p\n  annotations:\n    config.kubernetes.io/local-config: "true"\npipeline:\n${pipeline}`;
const snapshot = (dir: string): Record<string, string> => {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string): void => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      try {
        walk(p, `${rel}${n}/`);
      } catch {
        out[`${rel}${n}`] = readFileSync(p, 'utf8');
      }
    }
  };
  walk(dir, '');
  return out;
};

const CLUSTER = '# the cluster\napiVersion: baremetal.cluster.gke.io/v1\nkind: Cluster\nmetadata:\n  name: bm # no namespace yet\nspec:\n  type: user\n';
const PEER = "apiVersion: networking.gke.io/v1\nkind: BGPPeer\nmetadata:\n  name: p1\nspec:\n  peerIP: '10.0.0.1'   # odd spacing kept\n";

function renderInPlace(dir: string) {
  const tree = readPackage(dir);
  const out = renderTree(tree, lookup);
  if (out.ok) applyChanges(dir, changedFiles(out.items, allFiles(tree), allHoldings(tree)));
  return out;
}

describe('Kptfile pipeline', () => {
  it('reports every problem, naming the field', () => {
    const [k] = readFileItems('Kptfile', kptfile('  mutators:\n  - exec: a\n    image: b\n  - configMap: [x]\n    exec: c\n  validators: {}\n'));
    expect(readPipeline(k!).problems).toEqual([
      'Kptfile: `pipeline.mutators[0]` must have exactly one of `image` and `exec`',
      'Kptfile: `pipeline.mutators[1].configMap` must be a mapping of strings',
      'Kptfile: `pipeline.validators` must be a list',
    ]);
  });

  it.each([
    [{ exec: './dist/fn/set-cluster-namespace.js' }, 'set-cluster-namespace'],
    [{ exec: '/opt/flatnet/fn/validate-flat-network.js --flag' }, 'validate-flat-network'],
    [{ exec: 'flatnet fn inject-peer-labels' }, 'inject-peer-labels'],
    [{ exec: 'node_modules/.bin/flatnet.js fn expand-cluster-cidr' }, 'expand-cluster-cidr'],
    [{ image: 'ghcr.io/flatnet/generate-flat-network:v0.1.0' }, 'generate-flat-network'],
    [{ image: 'ghcr.io/flatnet/generate-flat-network@sha256:abc' }, 'generate-flat-network'],
    [{ exec: 'cat' }, undefined],
  ])('names the function of %j', (step, name) => {
    expect(functionName({ where: 'x', role: 'mutator', selectors: [], exclude: [], ...step })).toBe(name);
  });
});

describe('renderTree and write-back', () => {
  it('writes back only what changed, keeping the bytes of untouched documents', () => {
    const dir = pkg({ Kptfile: kptfile('  mutators:\n  - exec: ./dist/fn/set-cluster-namespace.js\n'), 'cluster.yaml': CLUSTER, 'other.yaml': PEER.replace('BGPPeer', 'Thing') });
    const out = renderInPlace(dir);
    expect(out.ok).toBe(true);
    const files = snapshot(dir);
    expect(files['cluster.yaml']).toBe(CLUSTER.replace('  name: bm # no namespace yet\n', '  name: bm # no namespace yet\n  namespace: cluster-bm\n'));
    expect(files['other.yaml']).toBe(PEER.replace('BGPPeer', 'Thing'));
    expect(files.Kptfile).toBe(kptfile('  mutators:\n  - exec: ./dist/fn/set-cluster-namespace.js\n'));
  });

  it('keeps multi-document files byte for byte around an edited document', () => {
    const other = PEER.replace('networking.gke.io/v1', 'v1').replace('BGPPeer', 'ConfigMap');
    const text = `${CLUSTER}---\n# second\n${other}...\n`;
    const dir = pkg({ Kptfile: kptfile('  mutators:\n  - exec: flatnet fn set-cluster-namespace\n'), 'all.yaml': text });
    expect(renderInPlace(dir).ok).toBe(true);
    expect(snapshot(dir)['all.yaml']).toBe(
      text.replace('  name: bm # no namespace yet\n', '  name: bm # no namespace yet\n  namespace: cluster-bm\n'),
    );
  });

  it('a failing function stops the render and nothing is written', () => {
    const files = {
      Kptfile: kptfile('  mutators:\n  - exec: ./dist/fn/set-cluster-namespace.js\n  validators:\n  - exec: ./dist/fn/validate-flat-network.js\n'),
      'cluster.yaml': CLUSTER,
      'bad.yaml': 'apiVersion: networking.gke.io/v1\nkind: NetworkGatewayGroup\nmetadata:\n  name: wrong\n  namespace: cluster-bm\nspec:\n  floatingIPs: [10.0.0.9]\n',
    };
    const dir = pkg(files);
    const out = renderInPlace(dir);
    expect(out.ok).toBe(false);
    expect(out.error).toMatch(/validate-flat-network failed/);
    expect(out.steps.map((s) => s.exitCode)).toEqual([0, 1]);
    expect(snapshot(dir)).toEqual(files);
  });

  it('honours configMap, selectors and exclude', () => {
    const dir = pkg({
      Kptfile: kptfile('  mutators:\n  - exec: ./dist/fn/set-cluster-namespace.js\n    configMap:\n      cluster: edge\n    selectors:\n    - kind: BGPPeer\n    exclude:\n    - name: p2\n'),
      'peers.yaml': `${PEER}---\n${PEER.replace('p1', 'p2')}`,
    });
    expect(renderInPlace(dir).ok).toBe(true);
    const items = readFileItems('peers.yaml', snapshot(dir)['peers.yaml']!);
    expect(items.map((i) => [i.name, i.namespace])).toEqual([
      ['p1', 'cluster-edge'],
      ['p2', ''],
    ]);
  });

  it('renders subpackages first, each with its own pipeline, then the parent over all', () => {
    const dir = pkg({
      Kptfile: kptfile('  validators:\n  - exec: ./dist/fn/validate-flat-network.js\n'),
      'a/Kptfile': kptfile('  mutators:\n  - exec: ./dist/fn/set-cluster-namespace.js\n'),
      'a/cluster.yaml': CLUSTER,
      'b/Kptfile': kptfile('  mutators:\n  - exec: ./dist/fn/set-cluster-namespace.js\n'),
      'b/cluster.yaml': CLUSTER.replace('name: bm', 'name: bm2'),
    });
    const out = renderInPlace(dir);
    expect(out.ok).toBe(true);
    expect(out.steps.map((s) => s.pkg)).toEqual(['a', 'b', '']);
    expect(snapshot(dir)['b/cluster.yaml']).toContain('namespace: cluster-bm2');
  });

  it.each([
    ['an unknown function', kptfile('  mutators:\n  - exec: cat\n'), /exec "cat" is not a flatnet function/],
    ['a validator listed as a mutator', kptfile('  mutators:\n  - exec: ./dist/fn/validate-flat-network.js\n'), /validate-flat-network is a validator: list it under `pipeline.validators`/],
    ['a missing configPath', kptfile('  mutators:\n  - exec: ./dist/fn/set-cluster-namespace.js\n    configPath: nope.yaml\n'), /configPath: "nope.yaml" must be a file of the package/],
  ])('refuses %s with the field at fault', (_name, text, error) => {
    const dir = pkg({ Kptfile: text, 'cluster.yaml': CLUSTER });
    const out = renderTree(readPackage(dir), lookup);
    expect(out.ok).toBe(false);
    expect(out.error).toMatch(error);
  });

  it('never writes outside the package', () => {
    expect(() => applyChanges(mkdtempSync(join(tmpdir(), 'x-')), [{ path: '../evil.yaml', text: 'x' }])).toThrow(/outside/);
  });

  it('refuses a validator that changes items, even after mutators changed them', () => {
    const sneaky: KrmFunction<object> = { ...FUNCTIONS.get('validate-flat-network')!, process: (l) => (l.items[0]!.setLabel('x', 'y'), []) };
    const dir = pkg({ Kptfile: kptfile('  mutators:\n  - exec: ./dist/fn/set-cluster-namespace.js\n  validators:\n  - exec: ./dist/fn/validate-flat-network.js\n'), 'cluster.yaml': CLUSTER });
    const out = renderTree(readPackage(dir), (n) => (n === 'validate-flat-network' ? sneaky : lookup(n)));
    expect(out.ok).toBe(false);
    expect(out.error).toMatch(/validator validate-flat-network modified/);
  });
});

describe('files flatnet did not create are never deleted', () => {
  const GENERATED = "apiVersion: networking.gke.io/v1\nkind: NetworkGatewayGroup\nmetadata:\n  name: default\n  annotations:\n    flatnet.dev/generated-by: FlatNetwork/x\n";

  it('leaves files that held no object (comments only, empty) as they are', () => {
    const dir = pkg({ Kptfile: kptfile('  mutators:\n  - exec: ./dist/fn/set-cluster-namespace.js\n'), 'cluster.yaml': CLUSTER, 'notes.yaml': '# notes only\n', 'empty.yaml': '', 'dashes.yaml': '---\n' });
    const out = renderInPlace(dir);
    expect(out.error).toBeUndefined();
    expect(out.ok).toBe(true);
    const after = snapshot(dir);
    expect(after['notes.yaml']).toBe('# notes only\n');
    expect(after['empty.yaml']).toBe('');
    expect(after['dashes.yaml']).toBe('---\n');
  });

  it('removes a file whose objects flatnet generated, all of them removed', () => {
    const dir = pkg({ Kptfile: kptfile('  mutators:\n  - exec: ./dist/fn/set-cluster-namespace.js\n'), 'gen.yaml': GENERATED, 'cluster.yaml': CLUSTER });
    const tree = readPackage(dir);
    const kept = tree.items.filter((i) => i.filePath() !== 'gen.yaml');
    const changes = changedFiles(kept, allFiles(tree), allHoldings(tree));
    expect(changes).toContainEqual({ path: 'gen.yaml', text: undefined });
  });

  it('refuses, writing nothing, when every object of a file someone else wrote was removed', () => {
    const dir = pkg({ Kptfile: kptfile('  mutators:\n  - exec: ./dist/fn/set-cluster-namespace.js\n'), 'mixed.yaml': `${GENERATED}---\n${PEER}`, 'cluster.yaml': CLUSTER });
    const tree = readPackage(dir);
    const kept = tree.items.filter((i) => i.filePath() !== 'mixed.yaml');
    expect(() => changedFiles(kept, allFiles(tree), allHoldings(tree))).toThrow(
      'the pipeline removed every object of "mixed.yaml", but flatnet did not create that file, so it will not delete it: nothing was written',
    );
    // Without what the files held, nothing is ever removed.
    expect(changedFiles(kept, allFiles(tree)).filter((c) => c.text === undefined)).toEqual([]);
  });
});

describe('files that do not read as manifests', () => {
  const HEADER = '# bmctl configuration variables.\ngcrKeyPath: bmctl-workspace/.sa-keys/gcr.json\nsshPrivateKeyPath: /home/u/.ssh/id_rsa\n---\n';

  it("keeps bmctl's key-path header byte for byte, notes it, and renders the objects after it", () => {
    const dir = pkg({ Kptfile: kptfile('  mutators:\n  - exec: ./dist/fn/set-cluster-namespace.js\n'), 'bm.yaml': HEADER + CLUSTER });
    const tree = readPackage(dir);
    expect(tree.notes).toEqual([expect.stringMatching(/^bm\.yaml:2: the first document is bmctl's header of key paths \(`gcrKeyPath` and `sshPrivateKeyPath`\), not a KRM object: left as it is/)]);
    expect(renderInPlace(dir).ok).toBe(true);
    expect(snapshot(dir)['bm.yaml']).toBe(HEADER + CLUSTER.replace('  name: bm # no namespace yet\n', '  name: bm # no namespace yet\n  namespace: cluster-bm\n'));
  });

  it('refuses a header-like document that is not the first, or has other keys', () => {
    for (const text of [`${CLUSTER}---\n${HEADER}`, `${HEADER.replace('gcrKeyPath', 'gcrKey')}${CLUSTER}`]) {
      const dir = pkg({ Kptfile: kptfile(''), 'bm.yaml': text });
      expect(() => readPackage(dir)).toThrow(/is not a KRM object: it has no `apiVersion`/);
    }
  });

  it('lists every file that cannot be read, a handful and a count, in one error', () => {
    const bad = (i: number) => [`t${i}.yaml`, `apiVersion: networking.gke.io/v1\nkind: BGPPeer\nmetadata:\n  name: {{ .Values.peer${i} }}\n`] as const;
    const two = pkg({ Kptfile: kptfile(''), 'cluster.yaml': CLUSTER, 'a.yaml': 'a: [1\n', ...Object.fromEntries([bad(1)]) });
    let err: unknown;
    try {
      readPackage(two);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KrmInputError);
    const e = err as KrmInputError;
    expect(e.message).toBe('2 files of the package cannot be read: fix them, or hide them with `.krmignore`');
    expect(e.problems?.map((p) => p.message)).toEqual([
      expect.stringMatching(/^a\.yaml:1: not valid YAML: /),
      't1.yaml:4: an unrendered template (Helm, Jinja, Terraform, a shell script or a docs sample), not manifests: it holds "{{ .Values.peer1 }}" (line 4); render or fill it in first and give flatnet the result, or hide it with `.krmignore`',
    ]);
    const many = pkg({ Kptfile: kptfile(''), ...Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map(bad)) });
    expect(() => readPackage(many)).toThrow('7 files of the package cannot be read (the first 5 listed, 2 more): fix them, or hide them with `.krmignore`');
  });
});
