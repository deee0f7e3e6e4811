import { mkdtempSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCheck } from '../src/check';

const env = (cwd: string) => ({ cwd, version: '9.9.9', today: () => '2026-06-01' });

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'flatnet-check-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const BAD_NAME = `# gateways
apiVersion: networking.gke.io/v1
kind: NetworkGatewayGroup
metadata:
  name: gw
  namespace: cluster-bm
spec:
  floatingIPs:
  - 10.0.1.100
`;
const OK = BAD_NAME.replace('name: gw', 'name: default');

describe('flatnet check', () => {
  it('exits 0 on a clean repository and says what it checked', () => {
    const dir = repo({ 'a/gw.yaml': OK, 'README.yaml': 'not: krm\n', '.github/ci.yaml': 'x: 1\n', 'node_modules/x/y.yaml': BAD_NAME });
    const out = runCheck([], env(dir));
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toContain('0 errors, 0 warnings, 0 info in 2 files (1 resource checked; skipped 1 document that is not a KRM object)');
  });

  it('exits 1 on errors and reports them by file with line and column of the field', () => {
    const dir = repo({ 'gw.yaml': BAD_NAME });
    const out = runCheck(['.'], env(dir));
    expect(out.exitCode).toBe(1);
    expect(out.stdout).toMatch(/^gw\.yaml\n {2}5:9 +error +FLAT-NGG-001 +NetworkGatewayGroup "gw" must be named "default"/);
  });

  it('gives JSON with a summary and positions', () => {
    const out = runCheck(['--format', 'json'], env(repo({ 'gw.yaml': BAD_NAME })));
    const json = JSON.parse(out.stdout);
    expect(json.summary).toEqual({ errors: 1, warnings: 0, infos: 0, files: 1, resources: 1, skipped: 0 });
    expect(json.results[0]).toMatchObject({ severity: 'error', line: 5, column: 9, field: { path: 'metadata.name', currentValue: 'gw', proposedValue: 'default' }, file: { path: 'gw.yaml', index: 0 }, tags: { policy: 'FLAT-NGG-001' } });
  });

  it('gives SARIF 2.1.0 with rule metadata and regions', () => {
    const out = runCheck(['--format=sarif'], env(repo({ 'gw.yaml': BAD_NAME })));
    const sarif = JSON.parse(out.stdout);
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    expect(run.tool.driver).toMatchObject({ name: 'flatnet', version: '9.9.9' });
    const rule = run.tool.driver.rules[run.results[0].ruleIndex];
    expect(rule).toMatchObject({ id: 'FLAT-NGG-001', defaultConfiguration: { level: 'error' }, helpUri: expect.stringContaining('#flat-ngg-001') });
    expect(run.results[0]).toMatchObject({
      ruleId: 'FLAT-NGG-001',
      level: 'error',
      locations: [{ physicalLocation: { artifactLocation: { uri: 'gw.yaml' }, region: { startLine: 5, startColumn: 9 } }, logicalLocations: [{ fullyQualifiedName: 'NetworkGatewayGroup/cluster-bm/gw' }] }],
    });
  });

  it('gives JUnit XML with one failing case per finding and a passing case per clean file', () => {
    const out = runCheck(['-f', 'junit'], env(repo({ 'gw.yaml': BAD_NAME, 'ok.yaml': OK.replace('cluster-bm', 'cluster-x').replace('10.0.1.100', '10.0.2.100') })));
    expect(out.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="flatnet check" tests="2" failures="1" errors="0">/);
    expect(out.stdout).toContain('<testcase classname="ok.yaml" name="valid"/>');
    expect(out.stdout).toContain('<failure type="error" message="NetworkGatewayGroup &quot;gw&quot; must be named');
  });

  it('writes the report to --output and keeps stdout empty', () => {
    const dir = repo({ 'gw.yaml': BAD_NAME });
    const out = runCheck(['-o', 'report.json', '-f', 'json'], env(dir));
    expect(out.exitCode).toBe(1);
    expect(out.stdout).toBe('');
    expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).summary.errors).toBe(1);
  });

  it('uses the ValidateFlatNetwork config it finds, or --config', () => {
    const cfg = 'apiVersion: fn.flatnet.dev/v1alpha1\nkind: ValidateFlatNetwork\nmetadata:\n  name: gate\n  annotations:\n    config.kubernetes.io/local-config: "true"\nseverity:\n  FLAT-NGG-001: warning\n';
    const found = runCheck([], env(repo({ 'gw.yaml': BAD_NAME, 'gate.yaml': cfg })));
    expect(found.exitCode).toBe(0);
    expect(found.stdout).toContain('0 errors, 1 warning');
    const dir = repo({ 'gw.yaml': BAD_NAME, 'cfg/other.yaml': cfg.replace('warning', 'info') });
    expect(runCheck(['gw.yaml', '--config', 'cfg/other.yaml'], env(dir)).stdout).toContain('0 errors, 0 warnings, 1 info');
  });

  it('fails on warnings with --fail-on-warning', () => {
    const cfg = 'apiVersion: fn.flatnet.dev/v1alpha1\nkind: ValidateFlatNetwork\nmetadata:\n  name: gate\nseverity:\n  FLAT-NGG-001: warning\n';
    const dir = repo({ 'gw.yaml': BAD_NAME, 'gate.yaml': cfg });
    expect(runCheck([], env(dir)).exitCode).toBe(0);
    expect(runCheck(['--fail-on-warning'], env(dir)).exitCode).toBe(1);
  });

  it('reports a bad config as errors on the config', () => {
    const cfg = 'apiVersion: fn.flatnet.dev/v1alpha1\nkind: ValidateFlatNetwork\nmetadata:\n  name: gate\ndisable: [FLAT-NOPE-001]\n';
    const out = runCheck([], env(repo({ 'gw.yaml': OK, 'gate.yaml': cfg })));
    expect(out.exitCode).toBe(1);
    expect(out.stdout).toContain('`disable[0]` "FLAT-NOPE-001" is not a flatnet policy');
  });

  it.each([
    [['--format', 'xml'], /--format must be one of text, json, sarif, junit/],
    [['--nope'], /unknown option "--nope"/],
    [['missing.yaml'], /"missing.yaml" does not exist/],
    [['--config'], /--config needs a value/],
  ])('exits 2 on usage errors: %j', (args, message) => {
    const out = runCheck(args, env(repo({ 'gw.yaml': OK })));
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toMatch(message);
    expect(out.stderr.split('\n').filter(Boolean)).toHaveLength(2);
  });

  it.each([
    ['bad.yaml', 'a: [1\n', 'FLAT-INP-001', 1, /^not valid YAML: /],
    ['dup.yaml', 'apiVersion: v1\nkind: A\nkind: B\n', 'FLAT-INP-001', 3, /^not valid YAML: Map keys must be unique/],
    ['labels.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: {a: 1}\n', 'FLAT-INP-005', 1, /^document 1 \(ConfigMap\) is not a KRM object: `metadata.labels` value of "a" must be a string/],
    ['chart.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}\n', 'FLAT-INP-003', 4, /^an unrendered template .*: it holds "\{\{ \.Values\.name \}\}" \(line 4\); render or fill it in first .*, or name only the other paths to check$/],
    ['snippet.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  ...\ndata:\n  a: b\n', 'FLAT-INP-004', 5, /^line 5 is "\.\.\.", a docs snippet's mark for omitted fields/],
  ])('reports an unreadable file as a finding with its line, and checks the rest: %s', (file, text, id, line, message) => {
    const out = runCheck(['-f', 'json'], env(repo({ [file]: text, 'gw.yaml': BAD_NAME })));
    expect(out.exitCode).toBe(1);
    expect(out.stderr).toBe('');
    const json = JSON.parse(out.stdout) as { summary: Record<string, number>; results: Array<{ message: string; line?: number; file: { path: string }; tags: { policy: string } }> };
    expect(json.results.map((r) => [r.tags.policy, r.file.path, r.line])).toEqual([[id, file, line], ['FLAT-NGG-001', 'gw.yaml', 5]]);
    expect(json.results[0]!.message).toMatch(message);
    expect(json.summary).toMatchObject({ errors: 2, files: 2, resources: 1 });
  });

  it('reports every unreadable file in every format, and writes the report to --output', () => {
    const files = { 'a.yaml': 'a: [1\n', 'b.yaml': 'kind: [\n', 'gw.yaml': OK };
    const text = runCheck([], env(repo(files)));
    expect(text.exitCode).toBe(1);
    expect(text.stdout).toMatch(/^a\.yaml\n {2}1:1 +error +FLAT-INP-001 +not valid YAML: .*\n\nb\.yaml\n {2}1:1 +error +FLAT-INP-001 +not valid YAML: /);
    expect(text.stdout).toContain('2 errors, 0 warnings, 0 info in 3 files (1 resource checked)');
    const sarif = JSON.parse(runCheck(['-f', 'sarif'], env(repo(files))).stdout);
    const run = sarif.runs[0];
    expect(run.results.map((r: { ruleId: string }) => r.ruleId)).toEqual(['FLAT-INP-001', 'FLAT-INP-001']);
    expect(run.tool.driver.rules[run.results[0].ruleIndex]).toMatchObject({ id: 'FLAT-INP-001', helpUri: expect.stringContaining('#flat-inp-001') });
    expect(run.results[1].locations[0].physicalLocation).toMatchObject({ artifactLocation: { uri: 'b.yaml' }, region: { startLine: 1 } });
    const junit = runCheck(['-f', 'junit'], env(repo(files))).stdout;
    expect(junit).toContain('<testcase classname="a.yaml" name="FLAT-INP-001"><failure type="error" message="not valid YAML:');
    expect(junit).toContain('<testcase classname="gw.yaml" name="valid"/>');
    const dir = repo(files);
    const toFile = runCheck(['-f', 'sarif', '-o', 'flatnet.sarif'], env(dir));
    expect(toFile).toMatchObject({ exitCode: 1, stdout: '', stderr: 'flatnet check: 2 error(s): see flatnet.sarif\n' });
    expect(JSON.parse(readFileSync(join(dir, 'flatnet.sarif'), 'utf8')).runs[0].results).toHaveLength(2);
  });

  it("reports bmctl's key-path header as information, and checks the objects after it", () => {
    const header = 'gcrKeyPath: /ws/.sa-keys/gcr.json\nsshPrivateKeyPath: /home/u/.ssh/id_rsa\n---\n';
    const out = runCheck(['-f', 'json'], env(repo({ 'bm.yaml': header + BAD_NAME })));
    const json = JSON.parse(out.stdout) as { summary: Record<string, number>; results: Array<{ severity: string; line: number; message: string; tags: { policy: string } }> };
    expect(json.results.map((r) => [r.tags.policy, r.severity, r.line])).toEqual([['FLAT-INP-006', 'info', 1], ['FLAT-NGG-001', 'error', 8]]);
    expect(json.results[0]!.message).toBe("the first document is bmctl's header of key paths (`gcrKeyPath` and `sshPrivateKeyPath`), not a KRM object: left as it is and not checked (bmctl reads it; kubectl and Config Sync would refuse it)");
    expect(json.summary).toMatchObject({ skipped: 0, resources: 1 });
  });

  it('reports a file link out of the directory as a finding, and checks the rest', () => {
    const dir = repo({ 'in/gw.yaml': OK, 'outside.yaml': BAD_NAME });
    symlinkSync(join(dir, 'outside.yaml'), join(dir, 'in', 'link.yaml'));
    const out = runCheck(['in'], env(dir));
    expect(out.exitCode).toBe(1);
    expect(out.stdout).toMatch(/^in\/link\.yaml\n {2}- +error +FLAT-INP-002 [^\n]*"link\.yaml": it is a symbolic link to [^\n]*flatnet reads only inside/);
    expect(out.stdout).not.toContain('FLAT-NGG-001');
  });

  it.each([
    [['missing.yaml', '-f', 'sarif', '-o', 'out.sarif'], 'out.sarif', '"text": "flatnet check could not run: \\"missing.yaml\\" does not exist"'],
    [['missing.yaml', '-o', 'out.txt'], 'out.txt', 'error                  flatnet check could not run: "missing.yaml" does not exist\n'],
  ])('still writes the report on a usage error, holding it: %j', (args, file, holds) => {
    const dir = repo({ 'gw.yaml': OK });
    const out = runCheck(args, env(dir));
    expect(out).toMatchObject({ exitCode: 2, stdout: '' });
    expect(out.stderr).toMatch(/^flatnet check: "missing.yaml" does not exist\n/);
    expect(readFileSync(join(dir, file), 'utf8')).toContain(holds);
  });

  it('prints help', () => {
    expect(runCheck(['--help'], env(repo({}))).stdout).toContain('Usage: flatnet check');
  });
});
