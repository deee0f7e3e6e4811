export type InputErrorCode = 'empty' | 'yaml' | 'not-resource-list' | 'not-krm-object' | 'too-large' | 'io';

/** Input that is not a usable ResourceList or KRM object. The message is one line, fit for stderr. */
export class KrmInputError extends Error {
  constructor(
    readonly code: InputErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'KrmInputError';
  }
}
