import { FN_CONFIG_API_VERSION, explainFormat, validators, type FnValidateFlatNetwork } from '@flatnet/api';
import type { ConfigIssue, ConfigSpec, JsonObject, Severity } from '@flatnet/krm';
import { parseCidr, type Cidr } from '@flatnet/net';
import { POLICY_BY_ID } from './catalog';
import type { Params } from './checks';

/** `ValidateFlatNetwork` (fn.flatnet.dev/v1alpha1); schema: packages/api/schemas/fn/validate-flat-network.schema.json. */
export interface ValidateConfig {
  today: string;
  failOnWarnings: boolean;
  /** The routing domain (see the schema): which packages' fleet policies see each other. */
  routingDomain: string;
  disable: string[];
  severity: Record<string, Severity>;
  params: Params;
}

export const DEFAULT_MAX_PODS_PER_NODE = 110;
export const DEFAULT_ROUTING_DOMAIN = 'default';

const asnRange = (s: string): [number, number] => {
  const [a, b] = s.split('-');
  return [Number(a), Number(b ?? a)];
};

/** The config spec; `today` supplies the date when the config does not (the clock stays at the edge). */
export function validateConfigSpec(today: () => string): ConfigSpec<ValidateConfig, FnValidateFlatNetwork> {
  return {
    apiVersion: FN_CONFIG_API_VERSION,
    kind: 'ValidateFlatNetwork',
    validate: validators.fnValidateFlatNetwork,
    explainFormat,
    configMapFields: { today: 'string', failOnWarnings: 'boolean', routingDomain: 'string', disable: 'string-list', severity: 'json', parameters: 'json' },
    defaults(raw: FnValidateFlatNetwork): ValidateConfig {
      const p = (raw.parameters ?? {}) as JsonObject;
      return {
        today: typeof raw.today === 'string' ? raw.today : today(),
        failOnWarnings: raw.failOnWarnings === true,
        routingDomain: typeof raw.routingDomain === 'string' ? raw.routingDomain : DEFAULT_ROUTING_DOMAIN,
        disable: (raw.disable as string[] | undefined) ?? [],
        severity: (raw.severity as Record<string, Severity> | undefined) ?? {},
        params: {
          maxPodsPerNode: typeof p.maxPodsPerNode === 'number' ? p.maxPodsPerNode : DEFAULT_MAX_PODS_PER_NODE,
          localASNs: Array.isArray(p.localASNs) ? (p.localASNs as string[]).map(asnRange) : undefined,
          peerASNs: Array.isArray(p.peerASNs) ? (p.peerASNs as string[]).map(asnRange) : undefined,
          reservedCIDRs: Array.isArray(p.reservedCIDRs)
            ? (p.reservedCIDRs as string[]).flatMap((t) => {
                const r = parseCidr(t);
                return r.ok ? [r.value as Cidr] : [];
              })
            : [],
          maxSessions: typeof p.maxSessions === 'number' ? p.maxSessions : undefined,
          today: typeof raw.today === 'string' ? raw.today : today(),
        },
      };
    },
    check(c): ConfigIssue[] {
      const issues: ConfigIssue[] = [];
      c.disable.forEach((id, i) => {
        if (!POLICY_BY_ID.has(id)) issues.push({ path: `disable[${i}]`, message: `\`disable[${i}]\` "${id}" is not a flatnet policy (see docs/policies.md)` });
      });
      for (const id of Object.keys(c.severity)) {
        if (!POLICY_BY_ID.has(id)) issues.push({ path: `severity.${id}`, message: `\`severity\` names "${id}", which is not a flatnet policy (see docs/policies.md)` });
      }
      for (const key of ['localASNs', 'peerASNs'] as const) {
        c.params[key]?.forEach(([a, b], i) => {
          if (a < 1 || b > 4294967295 || a > b) {
            issues.push({ path: `parameters.${key}[${i}]`, message: `\`parameters.${key}[${i}]\` must be an ASN from 1 to 4294967295, or a range of them with the lower first` });
          }
        });
      }
      if (!/^\d{4}-\d{2}-\d{2}$/.test(c.today) || Number.isNaN(Date.parse(`${c.today}T00:00:00Z`))) {
        issues.push({ path: 'today', message: `\`today\` "${c.today}" must be a real date written YYYY-MM-DD` });
      }
      return issues;
    },
  };
}
