import { isDnsSubdomain, labelKeyProblem, labelSelectorMatches, labelValueProblem, type LabelSelector } from '../src/labels';

describe('label keys (apimachinery IsQualifiedName)', () => {
  it.each([
    ['flatip-peer', true],
    ['example.com/flat-peer', true],
    ['baremetal.cluster.gke.io/node-pool', true],
    ['Flat_Peer.v1', true],
    ['a', true],
    ['a/b', true],
    [`${'a'.repeat(63)}`, true],
    [`${'a.'.repeat(126)}a/x`, true], // a 253-character prefix
    ['-flat', false],
    ['flat-', false],
    ['flat peer', false],
    ['Example.com/x', false],
    ['example..com/x', false],
    ['-example.com/x', false],
    ['example.com-/x', false],
    ['/x', false],
    ['x/', false],
    ['a/b/c', false],
    ['', false],
    ['x'.repeat(64), false],
    [`${'a.'.repeat(126)}ab/x`, false], // a 254-character prefix
  ])('%j valid: %s', (key, ok) => {
    expect(labelKeyProblem(key) === undefined).toBe(ok);
  });

  it('says which part is wrong', () => {
    expect(labelKeyProblem('a/b/c')).toMatch(/at most one '\/'/);
    expect(labelKeyProblem('Example.com/x')).toMatch(/DNS subdomain/);
    expect(labelKeyProblem('example.com/-x')).toMatch(/must be a label key/);
  });

  it('takes linear time on long hostile text', () => {
    const hostile = `${'a-'.repeat(200_000)}!`;
    const t = Date.now();
    expect(labelKeyProblem(hostile)).toBeDefined();
    expect(labelValueProblem(hostile)).toBeDefined();
    expect(isDnsSubdomain(`${'a-a.'.repeat(100_000)}-`)).toBe(false);
    expect(Date.now() - t).toBeLessThan(500);
  });
});

describe('label values (apimachinery IsValidLabelValue)', () => {
  it.each([
    ['true', true],
    ['', true],
    ['a.b_c-d', true],
    ['A', true],
    ['a b', false],
    ['-a', false],
    ['a.', false],
    ['a/b', false],
    ['x'.repeat(64), false],
  ])('%j valid: %s', (value, ok) => {
    expect(labelValueProblem(value) === undefined).toBe(ok);
  });
});

describe('label selectors', () => {
  const sel = (s: Partial<LabelSelector>): LabelSelector => ({ matchLabels: {}, matchExpressions: [], ...s });
  it.each<[string, LabelSelector, Record<string, string>, boolean]>([
    ['empty selects all', sel({}), {}, true],
    ['matchLabels', sel({ matchLabels: { a: '1' } }), { a: '1', b: '2' }, true],
    ['matchLabels, other value', sel({ matchLabels: { a: '1' } }), { a: '2' }, false],
    ['matchLabels, empty value needs the key', sel({ matchLabels: { a: '' } }), {}, false],
    ['In', sel({ matchExpressions: [{ key: 'a', operator: 'In', values: ['1', '2'] }] }), { a: '2' }, true],
    ['In, absent', sel({ matchExpressions: [{ key: 'a', operator: 'In', values: ['1'] }] }), {}, false],
    ['NotIn, absent', sel({ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] }), {}, true],
    ['NotIn, listed', sel({ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] }), { a: '1' }, false],
    ['Exists', sel({ matchExpressions: [{ key: 'a', operator: 'Exists', values: [] }] }), { a: '' }, true],
    ['DoesNotExist', sel({ matchExpressions: [{ key: 'a', operator: 'DoesNotExist', values: [] }] }), { a: 'x' }, false],
    ['__proto__ is a key like any other', sel({ matchExpressions: [{ key: '__proto__', operator: 'Exists', values: [] }] }), {}, false],
  ])('%s', (_name, selector, labels, matches) => {
    expect(labelSelectorMatches(selector, labels)).toBe(matches);
  });
});
