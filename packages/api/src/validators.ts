// The ajv standalone validators, compiled by `npm run gen` (scripts/gen-validators.mjs).
import * as generated from './generated/validators';
export type { GeneratedValidator } from './generated/validators';

export const validators = generated;
