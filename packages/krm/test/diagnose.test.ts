/**
 * Naming the real cause (issue 15): unrendered templates and docs elisions are found by where
 * they stand, real manifests are not taken for templates, and every scan is linear.
 */
import { KrmInputError, readFileItems } from '@flatnet/krm';
import { holdsTemplateSyntax, scanText, shapedPlaceholder } from '../src/diagnose';

const READ = { readGroups: new Set(['networking.gke.io', 'baremetal.cluster.gke.io']), typedFields: new Set(['peerIP', 'peerASN', 'localASN', 'clusterName', 'address']), exclude: 'leave it out' };

function failure(text: string, opts = READ): KrmInputError {
  try {
    readFileItems('f.yaml', text, opts);
  } catch (e) {
    if (e instanceof KrmInputError) return e;
    throw e;
  }
  throw new Error('read without error');
}

const PEER = (spec: string, meta = '  name: p1\n  namespace: cluster-bm\n') => `apiVersion: networking.gke.io/v1\nkind: BGPPeer\nmetadata:\n${meta}spec:\n${spec}`;

describe('placeholder shapes', () => {
  it.each([
    ['$VAR', true],
    ['$PEER_ASN', true],
    ['<Machine 1 IP>', true],
    ['CLUSTER_NAME', true],
    ['PEER_IP_2', true],
    ['NAMESPACE', false], // one capitalised word may be a real value
    ['NoSchedule', false],
    ['_X', false],
    ['A__B', false],
    ['A_', false],
    ['$', false],
    ['$1', false],
    ['<>', false],
    ['<Machine 1 IP>/32', true],
    ['<=5', false],
    ['10.0.0.1', false],
  ])('%s: %s', (value, shaped) => expect(shapedPlaceholder(value)).toBe(shaped));

  it.each([
    ['cluster-${var.name}', true],
    ['{{ .Values.x }}', true],
    ['{% if x %}', true],
    ['%{ if x ~}', true],
    ['<%= x %>', true],
    ['{}', false],
    ['a{b}', false],
    ['$HOME/bin', false],
  ])('template syntax in %s: %s', (value, holds) => expect(holdsTemplateSyntax(value)).toBe(holds));
});

describe('scanText', () => {
  const syntax = (text: string) => scanText(text).syntax.first.map((s) => [s.line, s.text]);

  it('finds template syntax in plain text, with lines', () => {
    expect(syntax('a: {{ .Values.a }}\n{% for x in y %}\nb: ${var.b}\n%{ if c ~}\nd: <%= d %>\n')).toEqual([
      [1, '{{ .Values.a }}'],
      [2, '{% for x in y %}'],
      [3, '${var.b}'],
      [4, '%{ if c ~}'],
      [5, '<%= d %>'],
    ]);
  });

  it('passes over comments, quoted strings and block scalars', () => {
    const text = [
      '# {{ not this }}',
      'a: "${HOME}/bin" # ${nor this}',
      "b: 'it''s {{ quoted }}'",
      'c: |',
      '  echo ${HOME}',
      '  {{ $labels.instance }} is down',
      '  cat <<EOF',
      'd: "a multi-line',
      '  ${still quoted}"',
      'e: >-',
      '',
      '  {% folded %}',
      'f: x',
    ].join('\n');
    expect(scanText(text).syntax.count).toBe(0);
    expect(scanText(text).shaped.count).toBe(0);
  });

  it('finds a shell heredoc and its end', () => {
    expect(syntax('cat <<EOF | kubectl apply -f -\napiVersion: v1\nEOF\n')).toEqual([
      [1, 'cat <<EOF | kubectl apply -f -'],
      [3, 'EOF'],
    ]);
    expect(syntax("kubectl apply -f - <<-'END'\nx: 1\nEND\n")).toHaveLength(2);
    expect(syntax('<<: *defaults\n')).toEqual([]); // a YAML merge key
  });

  it('finds placeholder-shaped values as weaker evidence', () => {
    const s = scanText('- address: <Machine 1 IP>\nname: $NAME\nns: CLUSTER_NS # comment\nq: "<quoted>"\nk: NoSchedule\n');
    expect(s.shaped.first.map((x) => [x.line, x.text])).toEqual([
      [1, '<Machine 1 IP>'],
      [2, '$NAME'],
      [3, 'CLUSTER_NS'],
    ]);
  });

  it('finds elision lines, and not document end markers', () => {
    expect(scanText('a:\n  ...\n  b: 1\n...\nc: 2\n').elisions.first).toEqual([2, 4]);
    expect(scanText('a: 1\n...\n---\nb: 2\n...\n').elisions.count).toBe(0);
    expect(scanText('a: 1\n...\n# trailing comment\n').elisions.count).toBe(0);
    expect(scanText('a: |\n  ...\n').elisions.count).toBe(0);
  });

  it('keeps the first few and counts the rest', () => {
    const s = scanText('x: ${a}\n'.repeat(1000));
    expect(s.syntax.first).toHaveLength(5);
    expect(s.syntax.count).toBe(1000);
  });

  it.each([
    ['openers without closers', '{{'.repeat(200_000) + '\n' + 'a: {% ${ %{ <%\n'.repeat(50_000)],
    ['unclosed quotes', `a: "${'x'.repeat(10)}\n`.repeat(100_000)],
    ['heredoc-like runs', '<<'.repeat(300_000)],
    ['dollar runs', '$a'.repeat(300_000)],
    ['colons and dashes', '- : - : '.repeat(200_000)],
    ['long indented dots', ' '.repeat(500_000) + '...\n'],
  ])('is linear: %s', (_what, text) => {
    const started = process.hrtime.bigint();
    scanText(text);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1000);
  });
});

describe('readFileItems names the real cause', () => {
  it('an unparsable template: one error, the placeholders by line', () => {
    const e = failure(PEER('  peerIP: {{ .Values.ip }}\n  peerASN: ${PEER_ASN}\n', '  name: {{ .Values.name }}\n'));
    expect(e).toMatchObject({ code: 'template', where: { path: 'f.yaml', line: 4 } });
    expect(e.message).toBe(
      'f.yaml:4: an unrendered template (Helm, Jinja, Terraform, a shell script or a docs sample), not manifests: it holds "{{ .Values.name }}" (line 4), "{{ .Values.ip }}" (line 6) and "${PEER_ASN}" (line 7); render or fill it in first and give flatnet the result, or leave it out',
    );
  });

  it('placeholders that parse, in a GDC object: one error, not one schema error each', () => {
    const e = failure(PEER('  localASN: $LOCAL_ASN\n  peerASN: PEER_ASN\n  peerIP: <peer IP>\n  sessions: 2\n', '  name: p1\n  namespace: cluster-${var.name}\n'));
    expect(e.code).toBe('template');
    expect(e.message).toContain('it holds "cluster-${var.name}" (line 5), "$LOCAL_ASN" (line 7), "PEER_ASN" (line 8) and "<peer IP>" (line 9);');
  });

  it('a {{ }} that YAML reads as a flow mapping, in a GDC object', () => {
    expect(failure(PEER('  peerASN: {{ .Values.asn }}\n')).message).toContain('"{{ .Values.asn }}" (line 7)');
  });

  it('real manifests are not templates: other kinds, annotations, quoted and block values', () => {
    const text = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: tools',
      '  annotations:',
      '    description: <set by CI>',
      'data:',
      '  PATH_VAR: $HOME/bin',
      '  MODE: FULL_SYNC',
      '  script: |',
      '    echo "${HOME}"',
      '---',
      PEER('  peerIP: 10.0.1.254\n', '  name: p1\n  namespace: cluster-bm\n  annotations:\n    owner: <network team>\n    tmpl: "{{ kept }}"\n'),
    ].join('\n');
    expect(readFileItems('f.yaml', text, READ)).toHaveLength(2);
  });

  it('UPPER_CASE counts only where names, addresses and numbers stand, never in labels or free strings', () => {
    const pool = [
      'apiVersion: baremetal.cluster.gke.io/v1',
      'kind: NodePool',
      'metadata:',
      '  name: np1',
      '  namespace: cluster-bm',
      '  labels:',
      '    address: RACK_A', // a label named like a typed field
      'spec:',
      '  clusterName: bm',
      '  labels:',
      '    rack: RACK_A',
      '  nodeSelector:',
      '    row: ROW_1',
      '  apiServerArgs:',
      '  - argument: tls-cipher-suites',
      '    value: TLS_AES_128_GCM_SHA256',
      '  nodes:',
      '  - address: 10.0.0.1',
    ].join('\n');
    expect(readFileItems('f.yaml', pool, READ)).toHaveLength(1);
    expect(failure(pool.replace('address: 10.0.0.1', 'address: NODE_IP_1')).message).toContain('"NODE_IP_1" (line 18)');
    expect(failure(pool.replace('  name: np1', '  name: NODE_POOL_NAME')).message).toContain('"NODE_POOL_NAME" (line 4)');
    expect(failure(pool.replace('  namespace: cluster-bm', '  namespace: cluster-CLUSTER_NAME')).message).toContain('"cluster-CLUSTER_NAME" (line 5)');
    expect(failure(pool.replace('clusterName: bm', 'clusterName: USER_CLUSTER_NAME')).message).toContain('"USER_CLUSTER_NAME" (line 9)');
  });

  it('without readGroups, values are not judged', () => {
    expect(readFileItems('f.yaml', PEER('  peerIP: <peer IP>\n'))).toHaveLength(1);
  });

  it('an elision line: named, with what to do', () => {
    const e = failure('apiVersion: baremetal.cluster.gke.io/v1\nkind: Cluster\nmetadata:\n  name: bm\nspec:\n  type: user\n  ...\n  clusterNetwork:\n    flatIPv4: true\n');
    expect(e).toMatchObject({ code: 'elision', where: { line: 7 } });
    expect(e.message).toBe('f.yaml:7: line 7 is "...", a docs snippet\'s mark for omitted fields, which YAML reads as the end of a document or as a value: replace it with the fields it stands for, or remove it');
  });

  it('an elision that parses, as a value of a GDC object', () => {
    expect(failure(PEER('  ...\n'))).toMatchObject({ code: 'elision', where: { line: 7 } });
    expect(failure(PEER('  peerIP: 10.0.0.1\n  extra:\n  - ...\n'))).toMatchObject({ code: 'elision', where: { line: 9 } });
  });

  it('a GDC object without metadata: one error naming it', () => {
    const e = failure('apiVersion: networking.gke.io/v1\nkind: BGPPeer\nspec:\n  peerIP: 10.0.0.1\n');
    expect(e).toMatchObject({ code: 'not-krm-object', where: { line: 1 } });
    expect(e.message).toBe("f.yaml:1: document 1 (BGPPeer) is not a KRM object: it has no `metadata`: add `metadata.name` (and `metadata.namespace`, its Cluster's namespace, for the kinds that live there)");
    // Other kinds need none (a kustomization has none).
    expect(readFileItems('k.yaml', 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n', READ)).toHaveLength(1);
  });

  it('a parse error with no template or elision keeps the parser\'s words', () => {
    expect(failure('a: [1\n')).toMatchObject({ code: 'yaml', where: { line: 1 } });
    // `$HOME` in a plain value is no evidence unless the parser stopped on its line.
    expect(failure('cmd: echo $HOME\nb: [\n').code).toBe('yaml');
    expect(failure('name: $NAME: x\n').code).toBe('template');
  });

  it("bmctl's header: kept with the next object, told once", () => {
    const notes: string[] = [];
    const text = 'gcrKeyPath: /a.json\nsshPrivateKeyPath:\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: cluster-bm\n';
    const items = readFileItems('bm.yaml', text, { ...READ, onNote: (line, m) => notes.push(`${line}: ${m}`) });
    expect(items).toHaveLength(1);
    expect(items[0]!.origin?.lead).toBe('gcrKeyPath: /a.json\nsshPrivateKeyPath:\n');
    expect(notes).toEqual(["1: the first document is bmctl's header of key paths (`gcrKeyPath` and `sshPrivateKeyPath`), not a KRM object: left as it is and not checked (bmctl reads it; kubectl and Config Sync would refuse it)"]);
  });
});
