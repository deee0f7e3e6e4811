/** @flatnet/api — the kinds we read, our own kinds, their schemas and compiled validators. */
export * from './kinds';
export { validators, type GeneratedValidator } from './validators';
export { explainFormat, formats, FORMAT_NAMES } from './formats';
export type * from './generated/types';
