/**
 * A gate that cries wolf gets switched off. Correct configurations must give no error and no
 * warning: the three shapes of GDC's docs (made complete), published shapes that are not flat mode
 * with BGP (dual-stack without BGP, a standalone cluster's egress NAT gateway), and a synthetic fleet
 * written by the shared benchmark script (correct by construction, every fourth cluster dual-stack).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileItems, type KubeObject } from '@flatnet/krm';
import { validateConfigSpec } from '../../functions/validate-flat-network/src/config';
import { validateFlatNetwork } from '../../functions/validate-flat-network/src/validate';

const ROOT = join(__dirname, '..', '..');
const SEEDS = join(ROOT, 'test', 'fixtures', 'seeds');
/** Published shapes that are not flat mode with BGP, or not aimed at an admin cluster. */
const PUBLISHED = join(ROOT, 'test', 'fixtures', 'published');
const MAKE_FLEET = join(ROOT, 'bench', 'make-fleet.mjs');

function validate(items: KubeObject[]) {
  const spec = validateConfigSpec(() => '2026-06-01');
  const c = spec.defaults({});
  return validateFlatNetwork(items, { params: c.params, disable: new Set(), severity: {}, failOnWarnings: false });
}
const loud = (rs: ReturnType<typeof validate>) => rs.filter((r) => r.severity !== 'info').map((r) => `${r.tags?.policy} ${r.file?.path}: ${r.message}`);

describe('no false positives', () => {
  it.each(['ipv4-flat.yaml', 'dual-stack-ipv4-island-ipv6-flat.yaml', 'dual-stack-both-flat.yaml'])('the docs\' %s passes with no error or warning', (file) => {
    const items = readFileItems(file, readFileSync(join(SEEDS, file), 'utf8'));
    expect(loud(validate(items))).toEqual([]);
  });

  it.each(['dual-stack-without-bgp.yaml', 'standalone-egress-nat.yaml', 'egress-nat-only.yaml'])('the published %s passes with no error or warning', (file) => {
    const items = readFileItems(file, readFileSync(join(PUBLISHED, file), 'utf8'));
    expect(loud(validate(items))).toEqual([]);
  });

  it('a synthetic fleet of 40 clusters passes with no error or warning', () => {
    const out = mkdtempSync(join(tmpdir(), 'flatnet-fleet-'));
    execFileSync(process.execPath, [MAKE_FLEET, out, '40', '3']);
    const items = readdirSync(out)
      .sort()
      .flatMap((f) => readFileItems(f, readFileSync(join(out, f), 'utf8')));
    expect(items.length).toBe(40 * 9);
    expect(loud(validate(items))).toEqual([]);
  });
});
