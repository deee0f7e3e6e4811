/**
 * Reports of `flatnet check`, pure functions of the findings: text for people (grouped by file,
 * with line numbers), and JSON, SARIF 2.1.0 and JUnit XML for machines.
 */
import { LONE_SURROGATE, codeEscape, escapeControls, escapeLineStart } from '@flatnet/fs';
import type { KrmInputError, Result, Severity } from '@flatnet/krm';
import type { PolicyMeta } from '../../../functions/validate-flat-network/src/catalog';

export interface Located {
  readonly result: Result;
  readonly line?: number;
  readonly column?: number;
}

export interface Report {
  readonly findings: readonly Located[];
  readonly files: readonly string[];
  readonly resources: number;
  readonly skipped: number;
  readonly version: string;
  readonly catalog: readonly PolicyMeta[];
}

/** The one escaper of user text in lines (see @flatnet/fs): reports use it under these names. */
export const escapeText = escapeControls;
export { escapeLineStart };

/** One finding on one line, for stderr: `file: [POLICY-ID] severity: message` (severity left out for errors). */
export function resultLine(r: Result): string {
  const file = r.file?.path ? `${escapeLineStart(r.file.path)}: ` : '';
  return `${file}[${escapeText(r.tags?.policy ?? r.severity)}] ${r.severity === 'error' ? '' : `${r.severity}: `}${escapeText(r.message)}`;
}

/**
 * An input error as lines for stderr, `flatnet <command>: ` before each: the files it lists (a
 * package with several bad files), then its own words.
 */
export function inputErrorLines(command: string, e: KrmInputError): string {
  return [...(e.problems ?? []), e].map((p) => `flatnet ${command}: ${escapeText(p.message)}\n`).join('');
}

export type Format = 'text' | 'json' | 'sarif' | 'junit';
export const FORMATS: readonly Format[] = ['text', 'json', 'sarif', 'junit'];

export function counts(findings: readonly Located[]): Record<Severity, number> {
  const c: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) c[f.result.severity]++;
  return c;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function summaryLine(r: Report): string {
  const c = counts(r.findings);
  const skipped = r.skipped ? `; skipped ${r.skipped === 1 ? '1 document that is not a KRM object' : `${r.skipped} documents that are not KRM objects`}` : '';
  return `${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}, ${c.info} info in ${plural(r.files.length, 'file')} (${plural(r.resources, 'resource')} checked${skipped})`;
}

export function formatText(r: Report): string {
  const byFile = new Map<string, Located[]>();
  for (const f of r.findings) {
    const key = f.result.file?.path ?? '';
    const list = byFile.get(key);
    if (list) list.push(f);
    else byFile.set(key, [f]);
  }
  let out = '';
  for (const file of [...byFile.keys()].sort()) {
    // One finding, one line; and no line a CI runner would read as a command.
    out += `${file ? escapeLineStart(file) : '(input)'}\n`;
    const list = byFile.get(file)!.slice().sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
    for (const f of list) {
      const where = f.line !== undefined ? `${f.line}:${f.column ?? 1}` : '-';
      const policy = escapeText(f.result.tags?.policy ?? '');
      out += `  ${where.padEnd(8)} ${f.result.severity.padEnd(8)} ${policy.padEnd(13)} ${escapeText(f.result.message)}\n`;
    }
    out += '\n';
  }
  return out + summaryLine(r) + '\n';
}

// JSON.stringify escapes quotes, backslashes, C0 controls and lone surrogates. It leaves DEL, the
// C1 controls (NEL, CSI), the line and paragraph separators, the bidirectional controls and the
// BOM as they are (valid JSON), which some readers take for line breaks or terminal commands:
// written as \u escapes too (equally valid), so a report line is one line of JSON, as typed.
const JSON_INVISIBLE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;
const stringify = (value: unknown): string => JSON.stringify(value, null, 2).replace(JSON_INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export function formatJson(r: Report): string {
  const c = counts(r.findings);
  return (
    stringify(
      {
        tool: 'flatnet',
        version: r.version,
        summary: { errors: c.error, warnings: c.warning, infos: c.info, files: r.files.length, resources: r.resources, skipped: r.skipped },
        results: r.findings.map((f) => ({ ...f.result, ...(f.line !== undefined ? { line: f.line, column: f.column ?? 1 } : {}) })),
      },
    ) + '\n'
  );
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note' };
const INFO_URI = 'https://github.com/flatnet/flatnet';

export function formatSarif(r: Report): string {
  const rules = r.catalog.map((p) => ({
    id: p.id,
    name: p.name.replace(/(^|-)([a-z])/g, (_m, _d, ch: string) => ch.toUpperCase()),
    shortDescription: { text: stripTicks(p.title) },
    fullDescription: { text: p.description },
    help: { text: `${p.remedy}\n\nWhy: ${p.reason}`, markdown: `${p.remedy}\n\n**Why:** ${p.reason}` },
    helpUri: `${INFO_URI}/blob/main/docs/policies.md#${p.anchor}`,
    defaultConfiguration: { level: SARIF_LEVEL[p.severity] },
    properties: { category: p.category, tags: ['flat-mode', 'bgp', p.category] },
  }));
  const index = new Map(r.catalog.map((p, i) => [p.id, i]));
  const results = r.findings.map((f) => {
    const ruleId = f.result.tags?.policy ?? 'flatnet';
    const ref = f.result.resourceRef;
    const out: Record<string, unknown> = {
      ruleId,
      ...(index.has(ruleId) ? { ruleIndex: index.get(ruleId) } : {}),
      level: SARIF_LEVEL[f.result.severity],
      message: { text: f.result.message },
    };
    if (f.result.file) {
      out.locations = [
        {
          physicalLocation: {
            artifactLocation: { uri: fileUri(f.result.file.path), uriBaseId: '%SRCROOT%' },
            ...(f.line !== undefined ? { region: { startLine: f.line, startColumn: f.column ?? 1 } } : {}),
          },
          ...(ref ? { logicalLocations: [{ fullyQualifiedName: `${ref.kind}/${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`, kind: 'resource' }] } : {}),
        },
      ];
    }
    if (f.result.field) out.properties = { field: f.result.field.path };
    return out;
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'flatnet', version: r.version, informationUri: INFO_URI, rules } },
        originalUriBaseIds: { '%SRCROOT%': { uri: './' } },
        results,
      },
    ],
  };
  return stringify(sarif) + '\n';
}

/**
 * A file path as SARIF's `artifactLocation.uri`, a URI reference: each segment percent-encoded
 * (a lone surrogate, which has no UTF-8 form and would make encodeURIComponent throw, as U+FFFD), so
 * `#`, `?`, `%`, spaces and controls are part of the name, and a first segment with `:` does not
 * read as a scheme.
 */
export function fileUri(path: string): string {
  return path
    .replace(LONE_SURROGATE, '\ufffd')
    .split('/')
    .map(encodeURIComponent)
    .join('/');
}

const XML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
// Markup characters as entities. Tab, newline and carriage return as references: in an attribute
// a parser would make them spaces, and a raw newline would start a line of the log (where `::`
// is a workflow command); DEL, C1 controls, the line separators, bidirectional controls and BOM as
// references too, as in JSON. XML 1.0 cannot carry the other C0 controls, lone surrogates, U+FFFE
// and U+FFFF even as references: they are written as text escapes (`\u{0}`), as in the text
// report, rather than dropped.
const XML_CHAR_REF = /[\t\n\r\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;
const XML_SPECIAL = new RegExp(`[&<>"']|${XML_CHAR_REF.source}|[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\ufffe\\uffff]|${LONE_SURROGATE.source}`, 'g');

const xml = (s: string): string =>
  s.replace(XML_SPECIAL, (c) => XML_ENTITIES[c] ?? (XML_CHAR_REF.test(c) ? `&#x${c.charCodeAt(0).toString(16).toUpperCase()};` : codeEscape(c)));

/** JUnit: a suite per file, a failing case per error or warning, a passing case per clean file. */
export function formatJunit(r: Report): string {
  const byFile = new Map<string, Located[]>(r.files.map((f) => [f, []]));
  for (const f of r.findings) {
    const key = f.result.file?.path ?? '(input)';
    const list = byFile.get(key);
    if (list) list.push(f);
    else byFile.set(key, [f]);
  }
  const suites: string[] = [];
  let total = 0;
  let failures = 0;
  for (const file of [...byFile.keys()].sort()) {
    const list = byFile.get(file)!.filter((f) => f.result.severity !== 'info');
    const cases = list.length
      ? list.map((f) => {
          const ref = f.result.resourceRef;
          const name = `${f.result.tags?.policy ?? 'flatnet'} ${ref ? `${ref.kind}/${ref.name}` : ''}`.trim();
          const where = f.line !== undefined ? `${file}:${f.line}:${f.column ?? 1}` : file;
          return `    <testcase classname="${xml(file)}" name="${xml(name)}"><failure type="${f.result.severity}" message="${xml(f.result.message)}">${xml(`${where}: ${f.result.message}`)}</failure></testcase>`;
        })
      : [`    <testcase classname="${xml(file)}" name="valid"/>`];
    total += cases.length;
    failures += list.length;
    suites.push(`  <testsuite name="${xml(file)}" tests="${cases.length}" failures="${list.length}" errors="0">\n${cases.join('\n')}\n  </testsuite>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="flatnet check" tests="${total}" failures="${failures}" errors="0">\n${suites.join('\n')}\n</testsuites>\n`;
}

function stripTicks(s: string): string {
  return s.replace(/`/g, '');
}

export function format(r: Report, f: Format): string {
  switch (f) {
    case 'text':
      return formatText(r);
    case 'json':
      return formatJson(r);
    case 'sarif':
      return formatSarif(r);
    case 'junit':
      return formatJunit(r);
  }
}
