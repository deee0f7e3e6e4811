/**
 * Configs as people publish them (issue 15), written for this corpus in the shapes they take:
 * bmctl-made cluster configs with their key-path header (filled in, and as `bmctl create config`
 * leaves them, with `<…>` placeholders), a shell heredoc, Terraform, Helm and Jinja templates,
 * docs snippets with `...` elision lines and UPPER_CASE placeholders, an object published without
 * `metadata`, rendered manifests that merely look templated, and GDC's three documented flat-mode
 * examples. Every file carries a 13-line Apache licence header.
 *
 * `flatnet check` must finish on each quickly and give exactly the findings listed (ids and lines):
 * one finding per bad file, naming the cause, never one per placeholder and never a stop. The
 * documented examples must pass once their `...` lines are removed. `render` must keep the bmctl
 * header byte for byte and refuse a package of the corpus listing its bad files.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCheck } from '../../packages/cli/src/check';
import { runRender } from '../../packages/cli/src/render';

const CORPUS = join(__dirname, '..', 'fixtures', 'public');
const env = (cwd: string) => ({ cwd, version: 't', today: () => '2026-06-01' });

/** Every finding of each file checked alone: [policy id, line]. */
const EXPECTED: Record<string, Array<[string, number]>> = {
  'blog-no-metadata.yaml': [['FLAT-INP-005', 15]],
  'bmctl-config-template.yaml': [
    ['FLAT-INP-006', 17],
    ['FLAT-INP-003', 38],
  ],
  'bmctl-hybrid-cluster.yaml': [['FLAT-INP-006', 14]],
  'docs-dual-stack-both-flat.yaml': [['FLAT-INP-004', 22]],
  'docs-dual-stack-ipv6-flat.yaml': [['FLAT-INP-004', 22]],
  'docs-ipv4-single-stack.yaml': [['FLAT-INP-004', 22]],
  'docs-placeholders.yaml': [['FLAT-INP-003', 22]],
  'helm-flat-mode.yaml': [['FLAT-INP-003', 14]],
  'jinja-peers.yaml': [['FLAT-INP-003', 15]],
  'kustomization.yaml': [],
  'rendered-lookalikes.yaml': [],
  'shell-heredoc-apply.yaml': [['FLAT-INP-003', 18]],
  'terraform-bgp-peers.yaml': [['FLAT-INP-003', 16]],
};

/** What the messages say, for the causes that matter most. */
const SAYS: Record<string, string[]> = {
  'blog-no-metadata.yaml': ['document 1 (FlatIPMode) is not a KRM object: it has no `metadata`: add `metadata.name`'],
  'bmctl-config-template.yaml': [
    "the first document is bmctl's header of key paths (`gcrKeyPath`, `sshPrivateKeyPath` and 3 more), not a KRM object: left as it is and not checked",
    'it holds "<project ID>" (line 38), "<Machine 1 IP>" (line 44), "<Control plane VIP>" (line 57), "<Ingress VIP>" (line 59), "<Machine 1 IP>/32" (line 65) and 3 more placeholders;',
  ],
  'docs-ipv4-single-stack.yaml': ['lines 22 and 29 are "...", a docs snippet\'s mark for omitted fields, which YAML reads as the end of a document or as a value: replace each with the fields it stands for, or remove them'],
  'docs-placeholders.yaml': ['it holds "CLUSTER_NAMESPACE" (line 22), "LOCAL_ASN" (line 26), "PEER_ASN" (line 27), "PEER_IP_1" (line 28), "CLUSTER_NAMESPACE" (line 35) and 3 more placeholders;'],
  'helm-flat-mode.yaml': ['"{{- if .Values.flatMode.enabled }}" (line 15)', 'and 10 more placeholders; render or fill it in first and give flatnet the result, or name only the other paths to check'],
  'jinja-peers.yaml': ['"{% for router in tor_routers %}" (line 16), "{{ router.hostname }}" (line 21)'],
  'shell-heredoc-apply.yaml': ['"cat <<EOF | kubectl apply --kubeconfig …" (line 18), "${CLUSTER_NAME}" (line 23)'],
  'terraform-bgp-peers.yaml': ['"%{ for peer in peers ~}" (line 16), "${peer.name}" (line 21)'],
};

interface Json {
  summary: { errors: number; files: number; resources: number };
  results: Array<{ severity: string; message: string; line?: number; file?: { path: string }; tags?: { policy: string } }>;
}

const files = readdirSync(CORPUS).filter((f) => f.endsWith('.yaml')).sort();
const LICENCE = readFileSync(join(CORPUS, files[0]!), 'utf8').split('\n').slice(0, 13).join('\n');

function check(args: string[], cwd = CORPUS): { exitCode: number; json: Json; ms: number } {
  const started = process.hrtime.bigint();
  const out = runCheck([...args, '-f', 'json'], env(cwd));
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  expect(out.stderr).toBe('');
  return { exitCode: out.exitCode, json: JSON.parse(out.stdout) as Json, ms };
}

describe('the public-style corpus', () => {
  it('is the corpus the table describes, every file with its licence header', () => {
    expect(files).toEqual(Object.keys(EXPECTED).sort());
    expect(LICENCE).toMatch(/^# Copyright .*\n#\n# Licensed under the Apache License, Version 2\.0[^]*# limitations under the License\.$/);
    for (const f of files) expect(readFileSync(join(CORPUS, f), 'utf8').startsWith(`${LICENCE}\n`)).toBe(true);
  });

  it.each(files)('%s: check finishes quickly with exactly the expected findings', (file) => {
    const { exitCode, json, ms } = check([file]);
    expect(ms).toBeLessThan(3000);
    expect(json.results.map((r) => [r.tags?.policy, r.line])).toEqual(EXPECTED[file]);
    for (const r of json.results) expect(r.file?.path).toBe(file);
    for (const s of SAYS[file] ?? []) expect(json.results.map((r) => r.message)).toContainEqual(expect.stringContaining(s));
    expect(exitCode).toBe(json.results.some((r) => r.severity === 'error') ? 1 : 0);
  });

  it('check of the whole corpus reports every bad file and still checks the good ones', () => {
    const { exitCode, json, ms } = check(['.']);
    expect(ms).toBeLessThan(5000);
    expect(exitCode).toBe(1);
    const inputs = json.results.filter((r) => r.tags?.policy?.startsWith('FLAT-INP-')).map((r) => [r.file?.path, r.tags?.policy, r.line]);
    expect(inputs).toEqual(files.flatMap((f) => EXPECTED[f]!.map(([id, line]) => [f, id, line])));
    expect(json.summary).toMatchObject({ files: files.length, resources: 13 });
  });

  it.each(['docs-ipv4-single-stack.yaml', 'docs-dual-stack-ipv6-flat.yaml', 'docs-dual-stack-both-flat.yaml'])(
    "GDC's documented example %s gives no error once its `...` lines are removed",
    (file) => {
      const dir = mkdtempSync(join(tmpdir(), 'flatnet-public-'));
      const text = readFileSync(join(CORPUS, file), 'utf8');
      writeFileSync(join(dir, file), text.split('\n').filter((l) => l.trim() !== '...').join('\n'));
      const { exitCode, json } = check([file], dir);
      expect(json.results.filter((r) => r.severity !== 'info').map((r) => `${r.tags?.policy}: ${r.message}`)).toEqual([]);
      expect(exitCode).toBe(0);
      expect(json.summary.resources).toBe(6);
    },
  );

  const KPTFILE =
    'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: corpus\n  annotations:\n    config.kubernetes.io/local-config: "true"\npipeline:\n  mutators:\n  - exec: ./dist/fn/set-cluster-namespace.js\n  - exec: ./dist/fn/inject-peer-labels.js\n  validators:\n  - exec: ./dist/fn/validate-flat-network.js\n';

  it("render keeps a bmctl config's header byte for byte and says so once", () => {
    const dir = mkdtempSync(join(tmpdir(), 'flatnet-public-render-'));
    cpSync(join(CORPUS, 'bmctl-hybrid-cluster.yaml'), join(dir, 'cluster.yaml'));
    writeFileSync(join(dir, 'Kptfile'), KPTFILE);
    const out = runRender([dir], dir);
    expect(out.stderr).toContain("[info] cluster.yaml:14: the first document is bmctl's header of key paths");
    expect(out.stderr.split("bmctl's header").length - 1).toBe(1);
    expect(out.exitCode).toBe(0);
    expect(readFileSync(join(dir, 'cluster.yaml'), 'utf8')).toBe(readFileSync(join(CORPUS, 'bmctl-hybrid-cluster.yaml'), 'utf8'));
  });

  it('render of a package made of the corpus writes nothing and lists its bad files, a handful and a count', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flatnet-public-render-'));
    cpSync(CORPUS, dir, { recursive: true });
    writeFileSync(join(dir, 'Kptfile'), KPTFILE);
    const before = files.map((f) => readFileSync(join(dir, f), 'utf8'));
    const out = runRender([dir], dir);
    expect(out.exitCode).toBe(1);
    const lines = out.stderr.trim().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines.slice(0, 5).map((l) => l.replace(/:\d+: .*/, ''))).toEqual([
      'flatnet render: blog-no-metadata.yaml',
      'flatnet render: bmctl-config-template.yaml',
      'flatnet render: docs-dual-stack-both-flat.yaml',
      'flatnet render: docs-dual-stack-ipv6-flat.yaml',
      'flatnet render: docs-ipv4-single-stack.yaml',
    ]);
    expect(lines[5]).toBe('flatnet render: 10 files of the package cannot be read (the first 5 listed, 5 more): fix them, or hide them with `.krmignore`');
    expect(out.stderr).toContain('or hide it with `.krmignore`');
    expect(files.map((f) => readFileSync(join(dir, f), 'utf8'))).toEqual(before);
  });
});
