/**
 * "Linear in everything", through the entry points: inputs inside the documented limits that
 * once crashed or took seconds (sizes and old times in docs/reliability.md, Limits).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runArgocd } from '../../packages/cli/src/argocd';
import { runCheck } from '../../packages/cli/src/check';
import { runRender } from '../../packages/cli/src/render';

const KPTFILE = 'apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: many\n  annotations:\n    config.kubernetes.io/local-config: "true"\npipeline: {}\n';
const today = () => '2026-06-01';

function timed<T>(f: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = f();
  return { value, ms: performance.now() - start };
}

describe('documents-250000-in-one-file: every entry point reads them (was "Maximum call stack size exceeded")', () => {
  // `items.push(...readFileItems(…))` spread one argument per document: past about 125,000
  // (it depends on the stack) every entry point crashed. 250,000 small documents are 11 MiB.
  const dir = mkdtempSync(join(tmpdir(), 'flatnet-many-'));
  let text = '';
  for (let i = 0; i < 250_000; i++) text += `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\n  namespace: ns\n---\n`;
  writeFileSync(join(dir, 'many.yaml'), text);
  writeFileSync(join(dir, 'Kptfile'), KPTFILE);

  it('flatnet check', () => {
    const out = timed(() => runCheck(['--format', 'json', dir], { cwd: dir, version: 'test', today }));
    expect(out.value.stderr).toBe('');
    expect(JSON.parse(out.value.stdout).summary).toMatchObject({ errors: 0, resources: 250_000 });
    expect(out.ms).toBeLessThan(20_000);
  });

  it('flatnet render (readPackage, the pipeline) and flatnet argocd generate', () => {
    const render = runRender([dir, '--output', 'unwrap'], dir);
    expect(render.stderr).not.toMatch(/internal error|call stack/);
    expect(render.exitCode).toBe(0);
    const argocd = runArgocd(['generate'], dir, {}, today);
    expect(argocd.stderr).not.toMatch(/internal error|call stack/);
    expect(argocd.exitCode).toBe(0);
    expect(argocd.stdout.split('\nkind: ConfigMap\n').length - 1).toBe(250_000);
  });
});
