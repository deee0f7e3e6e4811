import type { KrmFunction } from '@flatnet/krm';
import { validateConfigSpec, type ValidateConfig } from './config';
import { validateFlatNetwork } from './validate';

/** The function, with the date for waivers injected (the entry point passes the clock's date). */
export function makeValidateFunction(today: () => string): KrmFunction<ValidateConfig> {
  return {
    name: 'validate-flat-network',
    kind: 'validator',
    description: 'checks flat-mode BGP manifests against schemas and cross-resource policies (docs/policies.md)',
    config: validateConfigSpec(today),
    process: (list, c) =>
      validateFlatNetwork(list.items, {
        params: c.params,
        disable: new Set(c.disable),
        severity: c.severity,
        failOnWarnings: c.failOnWarnings,
      }),
  };
}

export const todayUTC = (): string => new Date().toISOString().slice(0, 10);

export const validateFlatNetworkFunction = makeValidateFunction(todayUTC);
