import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
    ['bad.yaml', 'a: [1\n', /bad\.yaml:1: not valid YAML/],
    ['dup.yaml', 'apiVersion: v1\nkind: A\nkind: B\n', /dup\.yaml:3: not valid YAML: Map keys must be unique/],
    ['labels.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: {a: 1}\n', /labels\.yaml:1: document 1 is not a KRM object: `metadata.labels` value of "a" must be a string/],
  ])('exits 2 with file and line on unreadable input: %s', (file, text, message) => {
    const out = runCheck([], env(repo({ [file]: text })));
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toMatch(message);
  });

  it('prints help', () => {
    expect(runCheck(['--help'], env(repo({}))).stdout).toContain('Usage: flatnet check');
  });
});
