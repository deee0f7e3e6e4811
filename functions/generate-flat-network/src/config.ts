import { FLATNET_API_VERSION, explainFormat, validators, type FlatnetFlatNetwork } from '@flatnet/api';
import type { ConfigSpec, JsonObject, SchemaValidator } from '@flatnet/krm';
import { checkIntent, defaultIntent } from './intent';
import type { GenerateConfig } from './generate-flat-network';

/** The function config is optional: a FlatNetwork intent (the same kind as intent items). */
export const configSpec: ConfigSpec<GenerateConfig, FlatnetFlatNetwork | Record<string, never>> = {
  apiVersion: FLATNET_API_VERSION,
  kind: 'FlatNetwork',
  validate: validators.flatnetFlatNetwork,
  configMapFields: {},
  explainFormat,
  defaults: (raw): GenerateConfig => ('spec' in raw && raw.spec ? { spec: raw.spec as unknown as JsonObject } : {}),
  check: (c) => (c.spec ? checkIntent(defaultIntent('config', { spec: c.spec as never })) : []),
};

// An empty typed config is the "no intent in the config" case, although the schema requires `spec`.
const schemaCheck = configSpec.validate;
const validate: SchemaValidator = (data: unknown): boolean => {
  if (typeof data === 'object' && data !== null && Object.keys(data).length === 0) {
    validate.errors = null;
    return true;
  }
  const ok = schemaCheck(data);
  validate.errors = schemaCheck.errors ?? null;
  return ok;
};
configSpec.validate = validate;
