/**
 * The scaffolds and every Argo CD object of argocd/, against the hosts' own schemas: Argo CD's CRD
 * schemas as `@kubernetes-models/argo-cd` ships them (its validate()), and the RootSync schema we
 * wrote from the Config Sync CRD's published fields (test/fixtures/schemas). A scaffold is also
 * read back: each generator and template points at what `flatnet hydrate clusters/ -o deploy/` writes.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parseAllDocuments } from 'yaml';
import { runScaffold } from '../src/scaffold';

const { ApplicationSet } = require('@kubernetes-models/argo-cd/argoproj.io/v1alpha1/ApplicationSet') as { ApplicationSet: new (o: unknown) => { validate(): void } };
const { Application } = require('@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application') as { Application: new (o: unknown) => { validate(): void } };

const ROOT = join(__dirname, '..', '..', '..');
const rootSyncSchema = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'schemas', 'rootsync-v1beta1.json'), 'utf8')));
// `any` on purpose: the objects' shapes are what the schemas judge; the test reads them loosely.
type Loose = Record<string, any>;
const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as Loose);

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'flatnet-scaffold-'));
  for (const admin of ['west', 'east']) {
    mkdirSync(join(dir, 'clusters', admin), { recursive: true });
    writeFileSync(join(dir, 'clusters', admin, 'Kptfile'), `apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: ${admin}\n`);
  }
  return dir;
}

describe('flatnet scaffold', () => {
  it('argocd: an ApplicationSet over deploy/* that Argo CD\'s schema accepts, keeping resources when an app goes', () => {
    const r = runScaffold(['argocd', '--repo', 'https://git.example.com/platform/clusters.git'], repo());
    expect(r.stderr).toBe('');
    const [set, ...more] = docs(r.stdout);
    expect(more).toEqual([]);
    expect(() => new ApplicationSet(set).validate()).not.toThrow();
    expect(set!.spec.generators[0].git.directories).toEqual([{ path: 'deploy/*' }]);
    expect(set!.spec.syncPolicy.preserveResourcesOnDeletion).toBe(true);
    expect(set!.spec.template.spec.destination).toEqual({ name: '{{.path.basename}}' });
    expect(set!.spec.template.spec.source.plugin).toBeUndefined();
  });

  it('argocd --plugin: a matrix of labelled clusters × their packages, rendered by the plugin', () => {
    const r = runScaffold(['argocd', '--plugin', '--repo', 'https://git.example.com/c.git', '--revision', 'prod', '--namespace', 'gitops'], repo());
    const [set] = docs(r.stdout);
    expect(() => new ApplicationSet(set).validate()).not.toThrow();
    expect(set!.metadata.namespace).toBe('gitops');
    const [clusters, git] = set!.spec.generators[0].matrix.generators;
    expect(clusters.clusters.selector.matchLabels).toEqual({ 'flatnet.dev/admin-cluster': 'true' });
    expect(git.git).toMatchObject({ revision: 'prod', directories: [{ path: 'clusters/{{.name}}' }] });
    expect(set!.spec.template.spec.source.plugin.name).toBe('flatnet');
  });

  it('configsync: one RootSync per admin cluster, unstructured, each on its own folder, valid against the CRD\'s fields', () => {
    const r = runScaffold(['configsync', '--repo', 'git@git.example.com:c.git', '--auth', 'ssh', '--secret', 'git-creds'], repo());
    expect(r.stderr).toBe('');
    const syncs = docs(r.stdout);
    expect(syncs.map((s) => s.spec.git.dir)).toEqual(['deploy/east', 'deploy/west']);
    for (const s of syncs) {
      expect(rootSyncSchema(s) ? [] : rootSyncSchema.errors).toEqual([]);
      expect(s.spec.sourceFormat).toBe('unstructured');
      expect(s.spec.git.secretRef).toEqual({ name: 'git-creds' });
    }
    expect(r.stdout).toContain('# Apply on the admin cluster "east"');
  });

  it('the schema test can fail: a misspelt field or a wrong enum is refused', () => {
    const [s] = docs(runScaffold(['configsync', '--repo', 'r'], repo()).stdout);
    expect(rootSyncSchema({ ...s, spec: { ...s!.spec, sourceFormat: 'flat' } })).toBe(false);
    expect(rootSyncSchema({ ...s, spec: { ...s!.spec, git: { ...s!.spec.git, directory: 'x' } } })).toBe(false);
    const [set] = docs(runScaffold(['argocd', '--repo', 'r'], repo()).stdout);
    expect(() => new ApplicationSet({ ...set, spec: { ...set!.spec, generators: 'git' } }).validate()).toThrow();
  });

  it.each([
    [['configsync'], /needs --repo/],
    [['configsync', '--repo', 'r', '--auth', 'token'], /--auth token needs --secret NAME/],
    [['argocd', '--repo', 'r', '--deploy', '../x'], /must be a folder of the repository/],
    [['nothing', '--repo', 'r'], /argocd or configsync/],
  ])('refuses %j', (args, message) => {
    const r = runScaffold(args, repo());
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe('argocd/', () => {
  it('every Argo CD object there is valid against Argo CD\'s schemas', () => {
    const dir = join(ROOT, 'argocd');
    let checked = 0;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
      for (const o of docs(readFileSync(join(dir, file), 'utf8'))) {
        if (o.apiVersion !== 'argoproj.io/v1alpha1') continue;
        const Model = o.kind === 'Application' ? Application : o.kind === 'ApplicationSet' ? ApplicationSet : undefined;
        if (!Model) continue; // ConfigManagementPlugin is read by the sidecar, not an API object
        expect(() => new Model(o).validate()).not.toThrow();
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});
