import { execute, formatPath, sortResults, type KrmFunction, type Result } from '@flatnet/krm';
import { parse } from 'yaml';

const cfg = {
  apiVersion: 'fn.test/v1',
  kind: 'T',
  validate: Object.assign((d: unknown) => typeof d === 'object', { errors: null }),
  configMapFields: {},
  defaults: () => ({}),
};
const input = 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a # keep me\n';

const fn = (kind: KrmFunction<object>['kind'], process: KrmFunction<object>['process']): KrmFunction<object> => ({
  name: 'test-fn',
  kind,
  description: 'test',
  config: cfg,
  process,
});

describe('execute', () => {
  it('exits 1 when a result is an error, 0 for warnings, and writes the list either way', () => {
    for (const [severity, code] of [['error', 1], ['warning', 0], ['info', 0]] as const) {
      const out = execute(fn('validator', (l) => [{ message: 'm', severity, resourceRef: l.items[0]!.resourceRef()! }]), input);
      expect(out.exitCode).toBe(code);
      expect(parse(out.stdout)).toMatchObject({ items: [{ metadata: { name: 'a' } }], results: [{ message: 'm', severity }] });
      expect(out.stdout.startsWith(input)).toBe(true);
    }
  });

  it('turns a crash into one error result and the untouched input items', () => {
    const out = execute(
      fn('mutator', (l) => {
        l.items[0]!.set(['metadata', 'name'], 'half-done');
        throw new TypeError('boom');
      }),
      input,
    );
    expect(out.exitCode).toBe(1);
    expect(out.stdout).toContain('name: a # keep me');
    expect(out.stdout).not.toContain('half-done');
    expect(out.stderr).toBe('test-fn: internal error in test-fn: boom\n');
  });

  it('refuses a validator that modifies an item', () => {
    const out = execute(fn('validator', (l) => (l.items[0]!.setLabel('x', 'y'), [])), input);
    expect(out.exitCode).toBe(1);
    expect(out.stderr).toMatch(/validator test-fn modified ConfigMap "a"/);
    expect(out.stdout).not.toContain('x: y');
  });

  it('summarises errors on one stderr line', () => {
    const errs: Result[] = [
      { message: 'first\nproblem', severity: 'error', file: { path: 'a.yaml' } },
      { message: 'second', severity: 'error', file: { path: 'b.yaml' } },
      { message: 'third', severity: 'error', file: { path: 'c.yaml' } },
    ];
    const out = execute(fn('validator', () => errs), input);
    expect(out.stderr).toBe('test-fn: a.yaml: first problem (and 2 more errors)\n');
  });

  it('reports config problems on the functionConfig and does not run the processor', () => {
    let ran = false;
    const f = fn('mutator', () => ((ran = true), []));
    const withConfig = `${input}functionConfig:\n  apiVersion: other/v1\n  kind: Other\n  metadata:\n    name: c\n`;
    const out = execute(f, withConfig);
    expect(ran).toBe(false);
    expect(out.exitCode).toBe(1);
    expect(parse(out.stdout).results).toEqual([
      expect.objectContaining({ severity: 'error', message: expect.stringContaining('other/v1/Other is not understood by test-fn') }),
    ]);
  });
});

describe('results', () => {
  it('sort by file, index, severity, resource, field, message', () => {
    const r = (message: string, extra: Partial<Result> = {}): Result => ({ message, severity: 'info', ...extra });
    const sorted = sortResults([
      r('d', { file: { path: 'b.yaml', index: 0 } }),
      r('c', { file: { path: 'a.yaml', index: 1 } }),
      r('b', { file: { path: 'a.yaml', index: 1 }, severity: 'error' }),
      r('a'),
    ]);
    expect(sorted.map((x) => x.message)).toEqual(['a', 'b', 'c', 'd']);
  });

  it.each([
    [['spec', 'nodes', 2, 'address'], 'spec.nodes[2].address'],
    [['metadata', 'labels', 'baremetal.cluster.gke.io/node-pool'], 'metadata.labels["baremetal.cluster.gke.io/node-pool"]'],
    [[], ''],
  ])('formatPath(%j) = %s', (path, text) => {
    expect(formatPath(path)).toBe(text);
  });
});
