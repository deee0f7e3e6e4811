/**
 * validate-flat-network's processor: runs every enabled policy over the fleet model and turns
 * findings into results, applying severity overrides, waivers and `failOnWarnings`.
 * Pure: the date for waivers comes in the config. Never modifies an item.
 */
import { resultFor, type KubeObject, type Result, type Severity } from '@flatnet/krm';
import { CATALOG, DOCS_BASE, type PolicyMeta } from './catalog';
import { CHECKS, type Finding, type Params } from './checks';
import { buildFleet } from './model';
import { waiverProblem, waiversOf } from './waivers';
import { formatPath } from '@flatnet/krm';

/** The policies that compare with a previous revision: they judge nothing without one. */
export const REVISION_CATEGORY = 'revisions';

export interface ValidateOptions {
  params: Params;
  disable: ReadonlySet<string>;
  severity: Readonly<Record<string, Severity>>;
  failOnWarnings: boolean;
  /** Only these policies (for policy suites); undefined: all. */
  only?: ReadonlySet<string>;
  /** The previous revision's items, to judge what changed (the `revisions` policies). */
  base?: readonly KubeObject[];
  /**
   * The options of the package a finding's object belongs to, when one run judges several packages
   * (fleet policies across a routing domain): its `disable`, `severity` and `failOnWarnings` apply.
   */
  optionsFor?: (obj: KubeObject) => Pick<ValidateOptions, 'disable' | 'severity' | 'failOnWarnings' | 'params'>;
}

export function validateFlatNetwork(items: readonly KubeObject[], opts: ValidateOptions): Result[] {
  const fleet = buildFleet(items);
  const ctx = { fleet, params: opts.params, ...(opts.base ? { base: buildFleet(opts.base) } : {}) };
  const results: Result[] = [];
  for (const policy of CATALOG) {
    if (opts.disable.has(policy.id) || (opts.only && !opts.only.has(policy.id))) continue;
    const check = CHECKS[policy.id];
    if (!check) throw new Error(`policy ${policy.id} has no check`);
    for (const finding of check(ctx)) {
      const own = opts.optionsFor?.(finding.obj) ?? opts;
      if (own.disable.has(policy.id)) continue;
      results.push(toResult(policy, finding, own));
    }
  }
  return results;
}

function toResult(policy: PolicyMeta, f: Finding, opts: Pick<ValidateOptions, 'severity' | 'failOnWarnings' | 'params'>): Result {
  let severity: Severity = opts.severity[policy.id] ?? f.severity ?? policy.severity;
  let message = f.message;
  const waiver = waiversOf(f.obj).find((w) => w.policy === policy.id);
  if (waiver && policy.id !== 'FLAT-WVR-001' && waiverProblem(waiver, opts.params.today) === undefined) {
    message = `waived${waiver.until ? ` until ${waiver.until}` : ''} ("${waiver.reason}"): ${message}`;
    severity = 'info';
  } else if (severity === 'warning' && opts.failOnWarnings) {
    severity = 'error';
    message = `${message} (a warning, failing because of \`failOnWarnings\`)`;
  }
  const field =
    f.path !== undefined
      ? {
          path: formatPath(f.path),
          ...(f.currentValue !== undefined ? { currentValue: f.currentValue } : {}),
          ...(f.proposedValue !== undefined ? { proposedValue: f.proposedValue } : {}),
        }
      : undefined;
  return resultFor(f.obj, severity, message, {
    ...(field ? { field } : {}),
    tags: { policy: policy.id, category: policy.category, docs: `${DOCS_BASE}#${policy.anchor}` },
  });
}
