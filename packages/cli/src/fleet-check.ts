/**
 * `flatnet check` over a fleet of packages, one per admin cluster (`clusters/<admin>/`, a Kptfile
 * and a ValidateFlatNetwork each): every package is judged with its own config, and the fleet
 * policies (unique pod ranges, unique floating IPs) across the packages of one routing domain
 * (`routingDomain` in each config; default: one domain), each finding with the options of the
 * package it belongs to. No config to choose by hand.
 *
 * A package is the folder of a Kptfile among the inputs; a config outside every package makes its
 * own folder one. Every other item belongs to the deepest package above it (or to none: checked
 * with the defaults).
 */
import { loadConfig, type KubeObject, type Result } from '@flatnet/krm';
import { CATALOG } from '../../../functions/validate-flat-network/src/catalog';
import type { ValidateConfig } from '../../../functions/validate-flat-network/src/config';
import type { makeValidateFunction } from '../../../functions/validate-flat-network/src/function';
import { validateFlatNetwork, type ValidateOptions } from '../../../functions/validate-flat-network/src/validate';
import { UsageError } from './args';

const FLEET_POLICIES = new Set(CATALOG.filter((p) => p.category === 'fleet').map((p) => p.id));

const isConfig = (i: KubeObject): boolean => i.kind === 'ValidateFlatNetwork' && i.group === 'fn.flatnet.dev';
const dirOf = (path: string | undefined): string => {
  const p = path ?? '';
  const at = p.lastIndexOf('/');
  return at < 0 ? '' : p.slice(0, at);
};

/** True when the input holds configs of more than one package: judge it as a fleet. */
export function isFleet(items: readonly KubeObject[]): boolean {
  let seen = 0;
  for (const i of items) if (isConfig(i) && ++seen > 1) return true;
  return false;
}

interface Unit {
  dir: string;
  items: KubeObject[];
  base: KubeObject[];
  config: ValidateConfig | undefined;
}

export function checkFleet(items: readonly KubeObject[], base: readonly KubeObject[] | undefined, fn: ReturnType<typeof makeValidateFunction>): Result[] {
  const dirs = new Set<string>();
  for (const i of items) if (i.kind === 'Kptfile') dirs.add(dirOf(i.filePath()));
  // The deepest package above a path: its folders, deepest first, looked up (no pass over every package).
  const unitOf = (path: string | undefined): string => {
    let d = dirOf(path);
    for (;;) {
      if (dirs.has(d)) return d;
      if (d === '') return '\0none';
      d = dirOf(d);
    }
  };
  for (const c of items) if (isConfig(c) && unitOf(c.filePath()) === '\0none') dirs.add(dirOf(c.filePath()));

  const units = new Map<string, Unit>();
  const unit = (dir: string): Unit => {
    let u = units.get(dir);
    if (!u) units.set(dir, (u = { dir, items: [], base: [], config: undefined }));
    return u;
  };
  const configs = new Map<string, KubeObject[]>();
  for (const i of items) {
    const d = unitOf(i.filePath());
    unit(d).items.push(i);
    if (isConfig(i)) {
      const list = configs.get(d);
      if (list) list.push(i);
      else configs.set(d, [i]);
    }
  }
  for (const b of base ?? []) unit(unitOf(b.filePath())).base.push(b);

  const results: Result[] = [];
  for (const [dir, found] of configs) {
    if (found.length > 1) {
      throw new UsageError(`the package "${dir || '.'}" holds ${found.length} ValidateFlatNetwork configs (${found.slice(0, 5).map((c) => c.filePath()).join(', ')}): keep one per package, or choose one with --config`);
    }
  }
  const defaults = loadConfig(undefined, fn.config, 'flatnet check').config!;
  for (const u of [...units.values()].sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0))) {
    const loaded = loadConfig(configs.get(u.dir)?.[0], fn.config, 'flatnet check');
    for (const r of loaded.results) results.push(r);
    u.config = loaded.config ?? undefined;
    if (!u.config) continue; // its config is broken: said above, and it judges nothing
    const c = u.config;
    const disable = new Set([...c.disable, ...FLEET_POLICIES]);
    for (const r of validateFlatNetwork(u.items, { params: c.params, disable, severity: c.severity, failOnWarnings: c.failOnWarnings, ...(base ? { base: u.base } : {}) })) results.push(r);
  }

  // The fleet policies, once per routing domain, each finding judged by its own package's config.
  const owner = new Map<KubeObject, ValidateConfig>();
  const domains = new Map<string, KubeObject[]>();
  for (const u of units.values()) {
    const c = u.config ?? (configs.has(u.dir) ? undefined : defaults);
    if (!c) continue;
    for (const i of u.items) owner.set(i, c);
    const list = domains.get(c.routingDomain) ?? [];
    for (const i of u.items) list.push(i);
    domains.set(c.routingDomain, list);
  }
  const optionsOf = (c: ValidateConfig): Pick<ValidateOptions, 'disable' | 'severity' | 'failOnWarnings' | 'params'> => ({ disable: new Set(c.disable), severity: c.severity, failOnWarnings: c.failOnWarnings, params: c.params });
  for (const name of [...domains.keys()].sort()) {
    const found = validateFlatNetwork(domains.get(name)!, {
      ...optionsOf(defaults),
      only: FLEET_POLICIES,
      optionsFor: (o) => optionsOf(owner.get(o) ?? defaults),
    });
    for (const r of found) results.push(r);
  }
  return results;
}
