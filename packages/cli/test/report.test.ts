import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Result } from '@flatnet/krm';
import { runCheck } from '../src/check';
import { escapeLineStart, escapeText, fileUri, format, formatText, resultLine, FORMATS, type Report } from '../src/report';

// File names that forge a line, start a workflow command, or need XML escaping.
const NEWLINE = 'a\n::error file=x.yaml::forged.yaml';
const COMMAND = '::error::b.yaml';
const MARKUP = 'c<&">\'.yaml';
const NAMES = [NEWLINE, COMMAND, MARKUP];
// A resource name with NUL, ESC, a line separator, a bidi override and a workflow command.
const HOSTILE = 'gw\u0000\u001b[31m\u2028::error::x\u202e';

const ngg = (ns: string, name = 'gw') => `apiVersion: networking.gke.io/v1\nkind: NetworkGatewayGroup\nmetadata:\n  name: ${JSON.stringify(name)}\n  namespace: ${ns}\nspec:\n  floatingIPs:\n  - 10.0.${ns.length}.100\n`;

function hostileRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'flatnet-report-'));
  NAMES.forEach((n, i) => writeFileSync(join(dir, n), ngg(`cluster-${'x'.repeat(i + 1)}`, i === 0 ? HOSTILE : 'gw')));
  return dir;
}

const env = (cwd: string) => ({ cwd, version: 't', today: () => '2026-06-01' });

/** No line of `out` may be read by a CI runner as a workflow command (GitHub `::`, Azure `##`). */
function expectNoCommandLine(out: string): void {
  for (const line of out.split(/\r\n|\r|\n/)) expect(line).not.toMatch(/^\s*(::|##)/);
}

/** Controls that must not reach the output raw (tab, newline are the report's own). */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202e]/;

describe('report escaping', () => {
  const dir = hostileRepo();
  const outputs = Object.fromEntries(FORMATS.map((f) => [f, runCheck(['-f', f], env(dir))]));

  it.each(FORMATS)('%s: no raw control character, no line a CI runner reads as a command', (f) => {
    const out = outputs[f]!;
    expect(out.exitCode).toBe(1);
    expect(out.stdout).not.toMatch(RAW_CONTROL);
    expectNoCommandLine(out.stdout);
  });

  it('text: one line per finding, names escaped, a leading `::` made harmless', () => {
    const text = outputs.text!.stdout;
    const json = JSON.parse(outputs.json!.stdout) as { results: unknown[] };
    const findingLines = text.split('\n').filter((l) => /^ {2}\S/.test(l));
    expect(findingLines).toHaveLength(json.results.length);
    const headers = text.split('\n').filter((l) => l && !l.startsWith(' ') && !/^\d+ errors?,/.test(l));
    expect(headers.sort()).toEqual(['\\u{3A}:error::b.yaml', 'a\\n::error file=x.yaml::forged.yaml', 'c<&">\'.yaml']);
    expect(text).toContain('NetworkGatewayGroup "gw\\u{0}\\u{1B}[31m\\u{2028}::error::x\\u{202E}" must be named "default"');
  });

  it('json and sarif: names and messages round-trip exactly; SARIF URIs are percent-encoded', () => {
    const json = JSON.parse(outputs.json!.stdout) as { results: Array<{ file: { path: string }; message: string }> };
    expect(new Set(json.results.map((r) => r.file.path))).toEqual(new Set(NAMES));
    expect(json.results.some((r) => r.message.includes(`"${HOSTILE}"`))).toBe(true);
    const sarif = JSON.parse(outputs.sarif!.stdout) as { runs: Array<{ results: Array<{ message: { text: string }; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> };
    const uris = sarif.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri);
    for (const uri of uris) expect(uri).toMatch(/^[A-Za-z0-9\-._~!$&'()*+,;=%/@]+$/);
    expect(new Set(uris.map(decodeURIComponent))).toEqual(new Set(NAMES));
    expect(uris).toContain('%3A%3Aerror%3A%3Ab.yaml');
    expect(sarif.runs[0]!.results.some((r) => r.message.text.includes(`"${HOSTILE}"`))).toBe(true);
  });

  it('junit: well-formed XML 1.0; what XML cannot carry is written as a text escape', () => {
    const xml = outputs.junit!.stdout;
    // Every `&` starts an entity or a character reference; no `<` or `"` inside an attribute.
    expect(xml).not.toMatch(/&(?!(amp|lt|gt|quot|apos|#x[0-9A-F]+);)/);
    for (const [, value] of xml.matchAll(/ [a-z]+="([^"]*)"/g)) expect(value).not.toMatch(/[<>]/);
    const attrs = [...xml.matchAll(/<testsuite name="([^"]*)"/g)].map((m) => decodeXml(m[1]!));
    expect(attrs.sort()).toEqual([...NAMES].sort());
    // NUL and ESC cannot be in XML 1.0 at all, even as &#0;: they are text escapes; the rest
    // (the line separator, the bidi override, the newline of the file name) round-trips.
    expect(decodeXml(xml)).toContain('"gw\\u{0}\\u{1B}[31m\u2028::error::x\u202e"');
    expect(xml).toContain('name="a&#xA;::error file=x.yaml::forged.yaml"');
  });

  it('stderr lines (render, hydrate, argocd): one line, no command', () => {
    const r: Result = { severity: 'error', message: `NetworkGatewayGroup "${HOSTILE}" must be named "default"`, file: { path: COMMAND }, tags: { policy: 'FLAT-NGG-001' } };
    const line = resultLine(r);
    expect(line).toBe('\\u{3A}:error::b.yaml: [FLAT-NGG-001] NetworkGatewayGroup "gw\\u{0}\\u{1B}[31m\\u{2028}::error::x\\u{202E}" must be named "default"');
    expect(resultLine({ ...r, file: { path: NEWLINE } })).not.toContain('\n');
  });
});

describe('escapes', () => {
  it.each([
    ['a\nb\tc\rd', 'a\\nb\\tc\\rd'],
    ['\u0000\u0007\u001b\u007f\u0085\u009f', '\\u{0}\\u{7}\\u{1B}\\u{7F}\\u{85}\\u{9F}'],
    ['\u2028\u2029\u202a\u202e\u2066\u2069\ufeff', '\\u{2028}\\u{2029}\\u{202A}\\u{202E}\\u{2066}\\u{2069}\\u{FEFF}'],
    ['lone \ud800 and \udc00, pair \ud83d\ude00', 'lone \\u{D800} and \\u{DC00}, pair \ud83d\ude00'],
    ['fd00::1 é 名前 back\\slash', 'fd00::1 é 名前 back\\slash'],
  ])('escapeText(%j)', (input, output) => expect(escapeText(input)).toBe(output));

  it.each([
    ['::error::x', '\\u{3A}:error::x'],
    ['  ::warning::x', '  \\u{3A}:warning::x'],
    ['##vso[task.logissue]x', '\\u{23}#vso[task.logissue]x'],
    ['##[error]x', '\\u{23}#[error]x'],
    ['\t::x', '\\t::x'],
    [':a', ':a'],
    ['a::b', 'a::b'],
  ])('escapeLineStart(%j)', (input, output) => expect(escapeLineStart(input)).toBe(output));

  it('fileUri: every segment percent-encoded, lone surrogates as U+FFFD', () => {
    expect(fileUri('clusters/bm.yaml')).toBe('clusters/bm.yaml');
    expect(fileUri('a b/#?%.yaml')).toBe('a%20b/%23%3F%25.yaml');
    expect(fileUri('x\ud800.yaml')).toBe('x%EF%BF%BD.yaml');
  });

  it('every format formats a report with hostile strings and no file', () => {
    const report: Report = { findings: [{ result: { severity: 'warning', message: `bad "${HOSTILE}"\n::error::forged` } }], files: [], resources: 0, skipped: 0, version: '1\n::error::v', catalog: [] };
    for (const f of FORMATS) {
      const out = format(report, f);
      expect(out).not.toMatch(RAW_CONTROL);
      expectNoCommandLine(out);
    }
    expect(formatText(report)).toMatch(/^\(input\)\n {2}- +warning +bad "gw\\u\{0\}\\u\{1B\}\[31m\\u\{2028\}::error::x\\u\{202E\}"\\n::error::forged\n/);
  });
});

/** Enough of XML's decoding for these tests: the five entities and hexadecimal references. */
function decodeXml(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|apos|#x[0-9A-F]+);/g, (_m, e: string) =>
    e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[e]!,
  );
}
