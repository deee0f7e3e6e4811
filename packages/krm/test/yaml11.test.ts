/**
 * The YAML 1.1 classifier (src/yaml11.ts) against go-yaml v2 itself — a table of its readings,
 * written by the real library (yaml11/go-yaml-v2.go) — and against a second implementation
 * ported statement by statement from go-yaml's and Go's source (yaml11/reference.ts), on
 * generated text. Then: the text test misses no scalar that differs, and what flatnet writes
 * go-yaml reads as written. `npm run fuzz` runs many more cases.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Document, isMap, isScalar, parseDocument, Scalar } from 'yaml';
import { resolvePlainScalar } from '../src/core-scalars';
import { readFileItems } from '../src/files';
import { DOC_OPTIONS, PARSE_OPTIONS, renderOptions } from '../src/kube-object';
import { parseResourceList } from '../src/resource-list';
import { formatPath } from '../src/result';
import { mayHoldYaml11Difference, readYaml11, yaml11Difference, yaml11MayMistype, type Yaml11Reading } from '../src/yaml11';
import { resolve, type Ref } from './yaml11/reference';

const RUNS = Number(process.env.FLATNET_FUZZ_RUNS ?? 150) * 10;
const SEED = Number(process.env.FLATNET_FUZZ_SEED ?? 15);

/** A reading as one comparable string: `int 20`, `float NaN`, `str`. */
function show(r: Yaml11Reading | Ref): string {
  switch (r.tag) {
    case 'null':
    case 'str':
      return r.tag;
    case 'bool':
      return `bool ${r.value}`;
    case 'int':
      return `int ${r.value}`;
    case 'float':
      return `float ${Object.is(r.value, -0) ? '-0' : String(r.value)}`;
  }
}

/** go-yaml-v2.tsv's value column in the same form (Go prints floats as %g: 1e+20, +Inf, NaN). */
function showGo(tag: string, value: string): string {
  if (tag === 'float') {
    const f = value === '+Inf' ? Infinity : value === '-Inf' ? -Infinity : Number(value);
    return `float ${Object.is(f, -0) ? '-0' : String(f)}`;
  }
  return value === '' ? tag : `${tag} ${value}`;
}

const TABLE = readFileSync(join(__dirname, 'yaml11', 'go-yaml-v2.tsv'), 'utf8')
  .split('\n')
  .filter((l) => l !== '')
  .map((l) => l.split('\t') as [string, string, string]);

describe('go-yaml v2 readings', () => {
  it('are those of the real library on its table (every 1-3 character number-like text, words, edges, 3000 random)', () => {
    expect(TABLE.length).toBeGreaterThan(8000);
    const wrong: string[] = [];
    for (const [text, tag, value] of TABLE) {
      if (tag === 'error') continue; // not a plain scalar go-yaml accepts (`-` alone)
      const want = showGo(tag, value);
      const got = show(readYaml11(text));
      if (got !== want) wrong.push(`${JSON.stringify(text)}: go-yaml ${want}, ours ${got}`);
      const ref = show(resolve(text));
      if (ref !== want) wrong.push(`${JSON.stringify(text)}: go-yaml ${want}, reference ${ref}`);
    }
    expect(wrong).toEqual([]);
  });

  it.each([
    ['024', 'int 20'],
    ['065001', 'int 27137'],
    ['0o17', 'int 15'],
    ['0O17', 'int 15'],
    ['0X1F', 'int 31'],
    ['+0x1F', 'int 31'],
    ['0b11', 'int 3'],
    ['0b-1', 'int -1'],
    ['1_000', 'int 1000'],
    ['+_1', 'int 1'],
    ['1_000.5', 'float 1000.5'],
    ['.5_0', 'float 0.5'],
    ['09', 'float 9'],
    ['1e400', 'str'],
    ['0x10000000000000000', 'str'],
    ['1:20', 'str'],
    ['2001-12-14', 'str'],
    ['yes', 'bool true'],
    ['y', 'bool true'],
    ['OFF', 'bool false'],
    ['oN', 'str'],
    ['~', 'null'],
    ['', 'null'],
    ['.inf', 'float Infinity'],
    ['-.INF', 'float -Infinity'],
    ['10.0.0.1', 'str'],
  ])('%j is %s', (text, want) => {
    expect(show(readYaml11(text))).toBe(want);
  });
});

/** Text made mostly of what numbers are made of, with words and their near misses. */
const numberish = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: fc.constantFrom(...'0123456789_.-+eExXoObBaAfF:'.split('')), minLength: 1, maxLength: 30 }) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('', '+', '-', '.', '0', '0x', '0X', '0o', '0O', '0b', '0B', '0b-', '-0b', '1_', '.5e'), fc.string({ unit: fc.constantFrom(...'0123456789_'.split('')), minLength: 0, maxLength: 25 }), fc.constantFrom('', 'e5', 'e400', 'E-3', '.', '.5', '_', 'e1_0'))
      .map(([a, b, c]) => a + b + c),
  },
  { weight: 1, arbitrary: fc.constantFrom('y', 'Y', 'yes', 'Yes', 'YES', 'yEs', 'n', 'no', 'NO', 'nO', 'on', 'On', 'ON', 'oN', 'off', 'Off', 'OFF', 'true', 'False', 'null', 'Null', '~', '.inf', '-.Inf', '.NaN', '.nan', 'o', 'O', '<<', '') },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

describe('the classifier', () => {
  it('reads as the port of go-yaml\'s source does, on generated text', () => {
    fc.assert(
      fc.property(numberish, (text) => {
        expect(show(readYaml11(text))).toBe(show(resolve(text)));
      }),
      { numRuns: RUNS * 4, seed: SEED },
    );
  });

  it.each([
    ['024', 'int 20'],
    ['065001', 'int 27137'],
    ['yes', 'bool true'],
    ['on', 'bool true'],
    ['n', 'bool false'],
    ['1_000', 'int 1000'],
    ['0X1F', 'int 31'],
    ['0b11', 'int 3'],
    ['1e400', 'str'],
  ])('says %j differs (go-yaml: %s)', (text, want) => {
    const d = yaml11Difference(text);
    expect(d && show(d)).toBe(want);
  });

  it.each(['24', '0', '-0', '00', '07', '09', '0o17', '0x1f', '1.5', '.5', '1e5', 'true', 'False', 'null', '~', '', '.inf', '1:20', '2001-12-14', '10.0.0.0/16', 'fd00::/112', 'oN', 'yess'])('says %j reads the same', (text) => {
    expect(yaml11Difference(text)).toBeUndefined();
  });

  it('differs exactly where the readings do, on generated text', () => {
    fc.assert(
      fc.property(numberish, (text) => {
        const r11 = resolve(text);
        const r12 = resolvePlainScalar(text);
        const same =
          r11.tag === 'str' ? typeof r12 === 'string'
          : r11.tag === 'null' ? r12 === null
          : r11.tag === 'bool' ? r12 === r11.value
          : typeof r12 === 'number' && (r12 === Number(r11.value) || (Number.isNaN(r12) && Number.isNaN(Number(r11.value))));
        expect(yaml11Difference(text) === undefined).toBe(same);
      }),
      { numRuns: RUNS * 4, seed: SEED },
    );
  });
});

describe('the text test', () => {
  const contexts: Array<(t: string) => string> = [
    (t) => `spec:\n  localASN: ${t}\n`,
    (t) => `spec:\n  localASN: ${t} # note\n`,
    (t) => `spec:\n  list:\n  - ${t}\n`,
    (t) => `spec:\n  key:\n    ${t}\n`,
    (t) => `metadata:\n  labels:\n    ${t}: x\n`,
    (t) => `spec: {a: ${t}, b: [${t},${t}]}\n`,
    (t) => `spec: {"a":${t}}\n`,
    (t) => `spec:\r\n  a: ${t}\r\n`,
    (t) => `spec: &a ${t}\n`,
    (t) => `${t}: 1\n`,
    (t) => t,
  ];

  /** Whether `doc` holds `text` as a plain scalar (where YAML reads it so), and the test saw it. */
  function missed(text: string, doc: string): boolean {
    const parsed = parseDocument(doc, PARSE_OPTIONS);
    if (parsed.errors.length) return false;
    let found = false;
    const visit = (n: unknown): void => {
      if (isScalar(n) && n.type === Scalar.PLAIN && n.source === text) found = true;
      else if (isMap(n)) for (const p of n.items) (visit(p.key), visit(p.value));
      else if (n && typeof n === 'object' && 'items' in n) for (const x of (n as { items: unknown[] }).items) visit(x);
    };
    visit(parsed.contents);
    return found && !mayHoldYaml11Difference(doc);
  }

  it('finds every plain scalar of the table that differs, in every place one stands', () => {
    const differing = TABLE.map(([text]) => text).filter((t) => yaml11Difference(t) !== undefined);
    expect(differing.length).toBeGreaterThan(250);
    expect(differing.flatMap((t) => contexts.map((c) => c(t)).filter((doc) => missed(t, doc)))).toEqual([]);
  });

  it.each([
    ['401 digits', `1${'0'.repeat(400)}`],
    ['251 digits e99', `-1${'0'.repeat(250)}e99`],
    ['251 digits .5e60', `1${'0'.repeat(250)}.5e60`],
    ['.5e400', '.5e400'],
    ['1e+0400', '1e+0400'],
  ])('finds the overflowing %s (YAML 1.2: infinity; go-yaml: a string)', (_label, text) => {
    expect(yaml11Difference(text)).toEqual({ tag: 'str' });
    expect(contexts.map((c) => c(text)).filter((doc) => missed(text, doc))).toEqual([]);
  });

  it('finds every plain scalar that differs, in every place one stands, on generated text', () => {
    fc.assert(
      fc.property(numberish, fc.nat(contexts.length - 1), (text, at) => {
        if (yaml11Difference(text) === undefined) return;
        const doc = contexts[at]!(text);
        expect({ doc, missed: missed(text, doc) }).toEqual({ doc, missed: false });
      }),
      { numRuns: RUNS * 4, seed: SEED },
    );
  });

  it('passes what manifests usually hold', () => {
    const clean = `apiVersion: networking.gke.io/v1
kind: BGPPeer
metadata:
  name: bgppeer-0001
  namespace: cluster-bm-0001
  labels:
    flatip-peer: "true"
  annotations:
    note: 'yes'
spec:
  localASN: 65001
  peerASN: 65000
  peerIP: 10.0.1.254
  sessions: 2
  version: 1.30.0
  cidr: fd12:3e8::/112
  enabled: true
  mask: 120
`;
    expect(mayHoldYaml11Difference(clean)).toBe(false);
  });
});

describe('the writer', () => {
  /** A string's text as flatnet writes it, and whether it came out plain. */
  function written(value: string): { text: string; plain: boolean; back: unknown } {
    const doc = new Document({ k: value }, DOC_OPTIONS);
    const out = doc.toString(renderOptions());
    const again = parseDocument(out, PARSE_OPTIONS);
    const node = isMap(again.contents) ? again.contents.get('k', true) : undefined;
    return { text: out, plain: isScalar(node) && node.type === Scalar.PLAIN, back: isScalar(node) ? node.value : undefined };
  }

  it.each(['yes', 'on', 'n', '0b11', '0X1F', '+0o17', '1_000', '1e1_0', '0b-1', '12:30', '2001-12-14'])('quotes the new string %j', (value) => {
    expect(written(value).plain).toBe(false);
  });

  it.each(['oN', 'yess', '10.0.0.1', '1.30.0', 'fd00::/112', 'bm-0001', 'x_1'])('leaves %j plain', (value) => {
    expect(written(value).plain).toBe(true);
  });

  it('never writes plain a string that go-yaml reads as anything else', () => {
    fc.assert(
      fc.property(numberish, (value) => {
        const w = written(value);
        expect(w.back).toBe(value);
        if (w.plain) expect({ value, go: show(readYaml11(value)), flagged: yaml11Difference(value) }).toEqual({ value, go: 'str', flagged: undefined });
        expect(yaml11MayMistype(value) || resolvePlainScalar(value) !== value ? !w.plain : true).toBe(true);
      }),
      { numRuns: RUNS * 2, seed: SEED },
    );
  });
});

describe('KubeObject.plainScalars', () => {
  const TEXT = `apiVersion: networking.gke.io/v1
kind: BGPPeer
metadata:
  name: p # yes, a comment
  labels:
    yes: "no"
    quoted: 'on'
  annotations:
    note: |
      on
spec:
  localASN: 065001
  tagged: !!str 024
  list: [on, "off", 0x1F]
  anchored: &a 010
  again: *a
`;

  it('gives the plain keys and values with their paths, not quoted, tagged, block or aliased ones', () => {
    const [obj] = readFileItems('p.yaml', TEXT);
    const found = obj!.plainScalars(mayHoldYaml11Difference).filter((s) => yaml11Difference(s.text) !== undefined);
    expect(found.map((s) => [formatPath(s.path), s.text, s.isKey])).toEqual([
      ['metadata.labels.yes', 'yes', true],
      ['spec.localASN', '065001', false],
      ['spec.list[0]', 'on', false],
      ['spec.anchored', '010', false],
    ]);
  });

  it('parses nothing when the text holds nothing that may differ', () => {
    const [obj] = readFileItems('p.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: "yes"\n');
    const seen: string[] = [];
    expect(obj!.plainScalars((t) => (seen.push(t), false))).toEqual([]);
    expect(seen).toHaveLength(1);
  });

  it('finds them in the items of a ResourceList, fast path or not', () => {
    const input = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n${TEXT.replace(/^/gm, '  ').replace(/^  apiVersion/, '- apiVersion')}`;
    const { list } = parseResourceList(input);
    expect(list.items[0]!.plainScalars(mayHoldYaml11Difference).filter((s) => yaml11Difference(s.text)).map((s) => s.text)).toEqual(['yes', '065001', 'on', '010']);
    const plain = `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- apiVersion: v1\n  kind: X\n  metadata:\n    name: x\n  spec:\n    a: 024\n`;
    expect(parseResourceList(plain).list.items[0]!.plainScalars(mayHoldYaml11Difference).map((s) => s.text)).toContain('024');
  });

  it('has none in an edited item: it is written anew, and what it says kubectl reads the same', () => {
    const [obj] = readFileItems('p.yaml', TEXT.replace('  again: *a\n', ''));
    obj!.setAnnotation('flatnet.dev/touched', 'yes');
    expect(obj!.plainScalars()).toEqual([]);
    const [again] = readFileItems('p.yaml', obj!.renderDocument(false));
    expect(again!.plainScalars().filter((s) => yaml11Difference(s.text) !== undefined)).toEqual([]);
    expect(again!.get(['spec', 'localASN'])).toBe(65001);
    expect(again!.get(['metadata', 'annotations', 'flatnet.dev/touched'])).toBe('yes');
  });
});
