/** @flatnet/api — the kinds we read, our own kinds, their schemas and compiled validators. */
export * from './kinds';
export { validators, type GeneratedValidator } from './validators';
export { explainFormat, formats, FORMAT_NAMES } from './formats';
export type * from './generated/types';
export {
  isDnsSubdomain,
  isLabelName,
  labelKeyProblem,
  labelValueProblem,
  labelSelectorMatches,
  LABEL_SELECTOR_OPERATORS,
  NODE_AFFINITY_ONLY_OPERATORS,
  type LabelRequirement,
  type LabelSelector,
  type LabelSelectorOperator,
} from './labels';
