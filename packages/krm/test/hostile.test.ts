/** Hostile input ends in a clear input error or passes through untouched: never a crash or a hang. */
import { checkInputSize, decodeInput, execute, KrmInputError, LIMITS, parseResourceList, readFileItems, type KrmFunction } from '@flatnet/krm';

const head = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n';
const noop: KrmFunction<object> = {
  name: 'noop',
  kind: 'mutator',
  description: '',
  config: { apiVersion: 'x/v1', kind: 'X', validate: Object.assign(() => true, { errors: null }), configMapFields: {}, defaults: () => ({}) },
  process: () => [],
};

describe('hostile input', () => {
  it('refuses pathological nesting with words, not a stack trace', () => {
    const deep = `${head}- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: x}\n  data: ${'['.repeat(20000)}${']'.repeat(20000)}\n`;
    const out = execute(noop, deep);
    expect(out.exitCode).toBe(1);
    expect(out.stderr).toMatch(/nested too deeply/);
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses an alias bomb in a file as in a ResourceList', () => {
    let text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndata:\n  a: &a [x,x,x,x,x,x,x,x,x,x]\n';
    for (const [n, p] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e']]) text += `  ${n}: &${n} [${Array(10).fill(`*${p}`).join(',')}]\n`;
    expect(() => readFileItems('bomb.yaml', text)).toThrow(KrmInputError);
    const list = `${head}${text.replace(/^/gm, '  ').replace(/^ {2}apiVersion/, '- apiVersion').trimEnd()}\n`;
    expect(execute(noop, list).stderr).toMatch(/Excessive alias count/);
  });

  it('keeps `__proto__` and `constructor` keys as data, polluting nothing', () => {
    const text = `${head}- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: p\n  __proto__: {polluted: true}\n  constructor: {x: 1}\n`;
    const { list } = parseResourceList(text);
    expect(list.items[0]!.get(['__proto__', 'polluted'])).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(execute(noop, text).stdout).toContain('  __proto__: {polluted: true}\n');
  });

  it('refuses a document larger than LIMITS.maxDocumentBytes, in a ResourceList and in a file, by name', () => {
    const big = 'x'.repeat(LIMITS.maxDocumentBytes);
    const item = `- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: big\n  data:\n    a: ${big}\n`;
    const out = execute(noop, `${head}- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: small\n${item}`);
    expect(out.exitCode).toBe(1);
    expect(out.stderr).toMatch(/^noop: item 2 \(line 8\) is 16 MiB: flatnet reads documents of at most 16 MiB/);
    expect(() => readFileItems('big.yaml', `apiVersion: v1\nkind: A\n---\n${item.replace(/^- |^  /gm, '')}`)).toThrow(/^big\.yaml:4: document 2 is 16 MiB/);
  });

  it('refuses input larger than LIMITS.maxInputBytes before parsing it', () => {
    expect(() => checkInputSize(LIMITS.maxInputBytes + 1, 'input')).toThrow('input is 256 MiB: flatnet reads at most 256 MiB at once; split it');
    expect(() => decodeInput(new Uint8Array(0), LIMITS.maxInputBytes + 1)).toThrow(KrmInputError);
    expect(() => checkInputSize(LIMITS.maxInputBytes, 'input')).not.toThrow();
  });

  it('reads CRLF input and keeps its bytes', () => {
    const text = `${head}- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: crlf # c\n`.replace(/\n/g, '\r\n');
    const out = execute(noop, text);
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toContain('    name: crlf # c\r\n');
  });

  it('reads files with CRLF, a BOM and comment-only head text, byte for byte', () => {
    const text = '\ufeff# head\r\n---\r\napiVersion: v1\r\nkind: A\r\nmetadata:\r\n  name: a\r\n---\r\napiVersion: v1\r\nkind: B\r\nmetadata:\r\n  name: b\r\n';
    const items = readFileItems('f.yaml', text);
    expect(items.map((i) => i.kind)).toEqual(['A', 'B']);
    expect(items.map((i) => i.renderDocument(false)).join('')).toBe(text.slice(1));
  });
});

describe('regressions found by the fidelity corpus', () => {
  it('keep-chomp-last-item: the blank lines a `|+` scalar keeps stay in the last item', () => {
    const text = `${head}- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: motd\n  data:\n    motd: |+\n      Sunday 02:00 UTC\n\n\n`;
    const { list } = parseResourceList(text);
    expect(list.items[0]!.get(['data', 'motd'])).toBe('Sunday 02:00 UTC\n\n\n');
    const out = execute(noop, text);
    expect(out.stdout).toBe(text);
  });
});

describe('regressions found by the fuzz suite', () => {
  it('binary-tag-in-intent: an edited item holding a `!!binary` value is written back, not a crash', () => {
    const [item] = readFileItems('c.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  x: !!binary aGk=\n  z: !!binary |\n    aGVsbG8gd29ybGQ=\n');
    item!.set(['metadata', 'namespace'], 'ns');
    const text = item!.renderDocument(false);
    expect(text).toContain('  x: !!binary aGk=\n');
    expect(text).toMatch(/ {2}z: !!binary \|-?\n {4}aGVsbG8gd29ybGQ=\n/);
    expect(text).toContain('  namespace: ns\n');
  });

  it('nest-1769-in-sessions-after-crlf: a stack overflow while reading is a worded input error', () => {
    const text = `${head}- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: x}\n  data:\n    a: ${'['.repeat(1769)}${']'.repeat(1769)}\n`.replace(/\n/g, '\r\n');
    const out = execute(noop, text);
    expect(out.exitCode).toBe(1);
    expect(out.stderr).not.toMatch(/internal error/);
    expect(out.stderr).toMatch(/nested too deeply|nests maps and lists more than 200 levels/);
  });

  it('double-crlf-with-garbage: text the fast reader accepts but YAML does not is an input error', () => {
    const text = 'apiVersion: v1\r\r\nkind: ConfigMap\r\r\nmetadata:\r\r\n  name: (x\r\r\n';
    let error: unknown;
    try {
      readFileItems('f.yaml', text)[0]?.positionOf(['metadata', 'name']);
    } catch (e) {
      error = e;
    }
    if (error !== undefined) expect(error).toBeInstanceOf(KrmInputError);
  });

  it('depth-201: an item nested deeper than the limit is refused when read', () => {
    const deep = `${'{a: '.repeat(201)}1${'}'.repeat(201)}`;
    expect(() => parseResourceList(`${head}- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: x}\n  data: ${deep}\n`)).toThrow(/more than 200 levels deep/);
  });
});

describe('more regressions found by the fuzz suite', () => {
  it('bom-and-stray-gt: an error inside the YAML library while reading is an input error', () => {
    const text = `\ufeff${head}- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: x}\n>- apiVersion: v1\n  kind: Secret\n`;
    const out = execute(noop, text);
    expect(out.exitCode).toBe(1);
    expect(out.stderr).not.toMatch(/internal error/);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
  });
});
