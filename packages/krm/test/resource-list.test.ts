import { KrmInputError, parseResourceList, serializeResourceList } from '@flatnet/krm';

const header = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n';
const roundTrip = (text: string): string => {
  const { list, layout } = parseResourceList(text);
  return serializeResourceList(list, layout);
};

describe('parseResourceList / serializeResourceList', () => {
  it.each([
    ['comments, quoting and odd spacing', `${header}items:\n- apiVersion: v1 # c\n  kind: ConfigMap\n  metadata:\n    name: "x"   # spaced\n  data:\n    'k': 'v'\n`],
    ['kpt head comment after the dash', `${header}items:\n- # head\n  # two\n  apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: x\n`],
    ['wide (indented) list entries', `${header}items:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: x\n  - apiVersion: v1\n    kind: Secret\n    metadata:\n      name: y\n`],
    ['comments between entries', `${header}items:\n- apiVersion: v1\n  kind: A\n# between\n- apiVersion: v1\n  kind: B\n`],
    ['block scalars and anchors', `${header}items:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: &m\n    name: x\n  data:\n    a: |\n      one\n\n        two\n    b: >-\n      folded\n      text\n`],
    ['flow maps and CRLF-free unicode', `${header}items:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: "ü"}}\n`],
    ['an empty list', `${header}items: []\n`],
  ])('writes untouched items back byte for byte: %s', (_name, text) => {
    expect(roundTrip(text)).toBe(text);
  });

  it('keeps the functionConfig exactly as it came', () => {
    const text = `${header}items: []\nfunctionConfig:\n  apiVersion: v1\n  kind: ConfigMap # c\n  data: {a: b}\n`;
    expect(roundTrip(text)).toBe(text);
  });

  it('reads JSON input and writes block YAML', () => {
    const json = JSON.stringify({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'j' } }] });
    expect(roundTrip(json)).toBe(`${header}items:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: j\n`);
  });

  it('strips a byte-order mark', () => {
    expect(parseResourceList(`\ufeff${header}items: []\n`).list.items).toEqual([]);
  });

  it('accepts `items: null` as an empty list', () => {
    expect(parseResourceList(`${header}items:\n`).list.items).toEqual([]);
  });

  it.each([
    ['', 'empty', /input is empty/],
    ['   \n\n', 'empty', /input is empty/],
    ['a: [', 'yaml', /not valid YAML: input, line 1/],
    [`${header}items:\n- apiVersion: v1\n  kind: A\n  kind: B\n`, 'yaml', /item 1, line 6: Map keys must be unique/],
    ['apiVersion: v1\nkind: ConfigMap\n', 'not-resource-list', /it is a ConfigMap/],
    ['apiVersion: nope/v1\nkind: ResourceList\nitems: []\n', 'not-resource-list', /`apiVersion` "nope\/v1" must be "config.kubernetes.io\/v1"/],
    [`${header}`, 'not-resource-list', /no `items`/],
    [`${header}items: {a: 1}\n`, 'not-resource-list', /`items` must be a list/],
    [`${header}items:\n- just a string\n`, 'not-krm-object', /item 1 \(line 4\).*not a mapping/],
    [`${header}items:\n- kind: A\n`, 'not-krm-object', /item 1 \(line 4\).*no `apiVersion`/],
    [`${header}items:\n- apiVersion: v1\n  kind: A\n- apiVersion: v1\n`, 'not-krm-object', /item 2 \(line 6\).*no `kind`/],
    [`${header}items:\n- apiVersion: v1\n  kind: A\n  metadata: [x]\n`, 'not-krm-object', /`metadata` must be a mapping/],
    [`${header}items:\n- apiVersion: v1\n  kind: A\n  metadata:\n    name: 5\n`, 'not-krm-object', /`metadata.name` must be a string/],
    [`${header}items:\n- apiVersion: v1\n  kind: A\n  metadata:\n    labels: {a: 1}\n`, 'not-krm-object', /`metadata.labels` value of "a" must be a string/],
    [`${header}items: []\n---\n${header}items: []\n`, 'not-resource-list', /2 YAML documents/],
  ])('rejects bad input %#: %s', (text, code, message) => {
    let error: unknown;
    try {
      parseResourceList(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KrmInputError);
    expect(error).toMatchObject({ code, message: expect.stringMatching(message) });
  });

  it('refuses an alias bomb instead of expanding it', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) lines.push(`    ${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    const text = `${header}items:\n- apiVersion: v1\n  kind: ConfigMap\n  data:\n    ${lines.join('\n')}\n`;
    expect(() => parseResourceList(text)).toThrow(KrmInputError);
  });
});
