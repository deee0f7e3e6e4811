/**
 * `flatnet scaffold argocd|configsync`: the objects that deliver a fleet of admin clusters with the
 * engines that already distribute work, printed as YAML to review and commit: nothing of ours runs
 * on the clusters.
 *
 * - `argocd` (wet): an ApplicationSet with a git directory generator over `deploy/*`, one
 *   Application per admin cluster, the folder's name being the cluster's name in Argo CD; no
 *   plugin needed (the wet output is committed by CI with `flatnet hydrate clusters/ -o deploy/`).
 * - `argocd --plugin` (dry): an ApplicationSet whose matrix generator pairs each Argo CD cluster
 *   labelled `flatnet.dev/admin-cluster: "true"` with its package `clusters/<name>`, rendered by
 *   the flatnet plugin in the repo server.
 * - `configsync`: one RootSync per admin cluster (`sourceFormat: unstructured`,
 *   `git.dir: deploy/<admin>`), each to apply on that admin cluster.
 * Both ApplicationSets keep resources when an Application goes (`preserveResourcesOnDeletion`),
 * so removing a folder never deletes a cluster; the Clusters' own marks do the rest.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Document } from 'yaml';
import { Root, escapeControls, worded } from '@flatnet/fs';
import { KrmInputError } from '@flatnet/krm';
import { parseArgs, UsageError } from './args';
import { findPackages } from './hydrate';
import type { CommandOutcome } from './render';

export const SCAFFOLD_HELP = `Usage: flatnet scaffold argocd [--plugin] --repo URL [options]
       flatnet scaffold configsync --repo URL [options]

Prints what delivers a fleet of admin clusters (DRY packages clusters/<admin>/, WET folders
deploy/<admin>/ written by flatnet hydrate clusters/ -o deploy/), to review and commit:
  argocd             an ApplicationSet over deploy/* (git directory generator; no plugin)
  argocd --plugin    an ApplicationSet pairing each Argo CD cluster labelled
                     flatnet.dev/admin-cluster: "true" with clusters/<name>, rendered by the plugin
  configsync         a RootSync per admin cluster (unstructured, git.dir deploy/<admin>)

Options:
      --repo URL           the Git repository (required)
      --revision REV       the branch, tag or commit to sync (default: main)
      --fleet DIR          the DRY packages (default: clusters)
      --deploy DIR         the WET folders (default: deploy)
      --namespace NS       argocd: the namespace of Argo CD (default: argocd)
      --project NAME       argocd: the AppProject (default: default)
      --auth KIND          configsync: git auth, none|ssh|token|cookiefile|gcenode|gcpserviceaccount (default: none)
      --secret NAME        configsync: the Secret with the git credentials (ssh, token, cookiefile)
  -h, --help               this help
`;

const AUTHS = ['none', 'ssh', 'token', 'cookiefile', 'gcenode', 'gcpserviceaccount'];
export const ADMIN_LABEL = 'flatnet.dev/admin-cluster';

export function runScaffold(argv: readonly string[], cwd: string): CommandOutcome {
  try {
    const [what, ...rest] = argv;
    if (what === '--help' || what === '-h') return { exitCode: 0, stdout: SCAFFOLD_HELP, stderr: '' };
    const { flags, positional } = parseArgs(rest, {
      values: ['--repo', '--revision', '--fleet', '--deploy', '--namespace', '--project', '--auth', '--secret'],
      switches: ['--help', '--plugin'],
      aliases: { '-h': '--help' },
    });
    if (flags.has('--help')) return { exitCode: 0, stdout: SCAFFOLD_HELP, stderr: '' };
    if (positional.length) throw new UsageError(`scaffold takes no other arguments: "${positional[0]}"`);
    const value = (name: string, fallback?: string): string => {
      const v = flags.get(name);
      if (v === true || v === '') throw new UsageError(`${name} needs a value`);
      if (v === undefined) {
        if (fallback === undefined) throw new UsageError(`scaffold ${what} needs ${name}`);
        return fallback;
      }
      return v;
    };
    const common = { repo: value('--repo'), revision: value('--revision', 'main'), fleet: dirOption(value('--fleet', 'clusters')), deploy: dirOption(value('--deploy', 'deploy')) };
    let docs: object[];
    if (what === 'argocd') {
      const opts = { ...common, namespace: value('--namespace', 'argocd'), project: value('--project', 'default') };
      docs = [flags.has('--plugin') ? pluginAppSet(opts) : wetAppSet(opts)];
    } else if (what === 'configsync') {
      const auth = value('--auth', 'none');
      if (!AUTHS.includes(auth)) throw new UsageError(`--auth must be one of ${AUTHS.join(', ')}, not "${auth}"`);
      const secret = flags.get('--secret');
      if (['ssh', 'token', 'cookiefile'].includes(auth) && typeof secret !== 'string') throw new UsageError(`--auth ${auth} needs --secret NAME (the Secret in config-management-system holding the credentials)`);
      docs = admins(cwd, common.fleet).map((admin) => rootSync({ ...common, auth, ...(typeof secret === 'string' ? { secret } : {}) }, admin));
    } else throw new UsageError('scaffold needs what to scaffold: argocd or configsync');
    const text = docs
      .map((d, i) => {
        const doc = new Document(d, { aliasDuplicateObjects: false });
        const admin = (d as { metadata?: { annotations?: Record<string, string> } }).metadata?.annotations?.[ADMIN_LABEL];
        if (admin !== undefined) doc.commentBefore = ` Apply on the admin cluster "${admin}" (kubectl --context <it> apply -f -): each admin cluster syncs its own folder.`;
        return (i ? '---\n' : '') + doc.toString({ lineWidth: 0 });
      })
      .join('');
    return { exitCode: 0, stdout: text, stderr: '' };
  } catch (e) {
    if (e instanceof UsageError) return { exitCode: 2, stdout: '', stderr: `flatnet scaffold: ${escapeControls(e.message)}\nRun 'flatnet scaffold --help' for usage.\n` };
    if (e instanceof KrmInputError) return { exitCode: 1, stdout: '', stderr: `flatnet scaffold: ${escapeControls(e.message)}\n` };
    const io = worded(e);
    if (io) return { exitCode: 1, stdout: '', stderr: `flatnet scaffold: ${escapeControls(io.message)}\n` };
    throw e;
  }
}

/** A repository path as Argo CD and Config Sync take it: relative, `/`-separated, no `..`. */
function dirOption(dir: string): string {
  const parts = dir.split('/').filter((p) => p !== '' && p !== '.');
  if (dir.startsWith('/') || parts.includes('..') || parts.length === 0) throw new UsageError(`"${dir}" must be a folder of the repository, relative to its root`);
  return parts.join('/');
}

/** The admin clusters: one per package below the fleet folder (its path, for deploy/<path>). */
function admins(cwd: string, fleet: string): string[] {
  const dir = resolve(cwd, fleet);
  if (!existsSync(dir)) throw new UsageError(`--fleet "${fleet}" does not exist here: run scaffold in the repository root, or name the folder of the packages`);
  if (existsSync(join(dir, 'Kptfile'))) throw new UsageError(`--fleet "${fleet}" is one package: a fleet is a folder of packages, one per admin cluster (clusters/<admin>/Kptfile)`);
  return findPackages(Root.open(dir, fleet));
}

interface AppSetOptions {
  repo: string;
  revision: string;
  fleet: string;
  deploy: string;
  namespace: string;
  project: string;
}

const safeSync = { automated: { prune: true, selfHeal: true }, syncOptions: ['ApplyOutOfSyncOnly=true'] };

/**
 * The ApplicationSet both scaffolds share: Go templates that fail on a missing key, resources kept
 * when an Application goes (its folder or cluster removed), and the same template around the
 * generator, the app name, the source and the destination each variant gives.
 */
function appSet(o: AppSetOptions, generator: object, name: string, source: object, destination: object): object {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: 'flatnet-fleet', namespace: o.namespace },
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      generators: [generator],
      syncPolicy: { preserveResourcesOnDeletion: true },
      template: {
        metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'flatnet' } },
        spec: { project: o.project, source: { repoURL: o.repo, targetRevision: o.revision, ...source }, destination, syncPolicy: safeSync },
      },
    },
  };
}

/** One Application per WET folder; the folder's name is the admin cluster's name in Argo CD. */
const wetAppSet = (o: AppSetOptions): object =>
  appSet(
    o,
    { git: { repoURL: o.repo, revision: o.revision, directories: [{ path: `${o.deploy}/*` }] } },
    'flatnet-{{.path.basename}}',
    { path: '{{.path.path}}', directory: { recurse: false } },
    { name: '{{.path.basename}}' },
  );

/** Each labelled Argo CD cluster with its DRY package, rendered by the plugin. */
const pluginAppSet = (o: AppSetOptions): object =>
  appSet(
    o,
    {
      matrix: {
        generators: [
          { clusters: { selector: { matchLabels: { [ADMIN_LABEL]: 'true' } } } },
          { git: { repoURL: o.repo, revision: o.revision, directories: [{ path: `${o.fleet}/{{.name}}` }] } },
        ],
      },
    },
    'flatnet-{{.name}}',
    { path: '{{.path.path}}', plugin: { name: 'flatnet', env: [{ name: 'FLATNET_FAIL_ON_WARNINGS', value: 'true' }] } },
    { server: '{{.server}}' },
  );

interface RootSyncOptions {
  repo: string;
  revision: string;
  deploy: string;
  auth: string;
  secret?: string;
}

function rootSync(o: RootSyncOptions, admin: string): object {
  return {
    apiVersion: 'configsync.gke.io/v1beta1',
    kind: 'RootSync',
    metadata: {
      name: 'flatnet',
      namespace: 'config-management-system',
      // For people and tools: which admin cluster this RootSync is applied to.
      annotations: { 'flatnet.dev/admin-cluster': admin },
    },
    spec: {
      sourceFormat: 'unstructured',
      sourceType: 'git',
      git: { repo: o.repo, revision: o.revision, dir: `${o.deploy}/${admin}`, auth: o.auth, ...(o.secret ? { secretRef: { name: o.secret } } : {}) },
    },
  };
}
