/**
 * What was wrong with the input, for hosts that report input problems as findings (`flatnet
 * check`) rather than stop: `template` an unrendered template (Helm, Jinja, Terraform, a shell
 * heredoc), `elision` a docs snippet's `...` line, the rest as their names say.
 */
export type InputErrorCode = 'empty' | 'yaml' | 'not-resource-list' | 'not-krm-object' | 'too-large' | 'io' | 'template' | 'elision';

/** Input that is not a usable ResourceList or KRM object. The message is one line, fit for stderr. */
export class KrmInputError extends Error {
  constructor(
    readonly code: InputErrorCode,
    message: string,
    /** Where, when the error is about one file: its path (as given) and, when known, the line. */
    readonly where?: { readonly path: string; readonly line?: number },
    /** Several inputs' errors in one (a package with many bad files): one line each, the message sums them up. */
    readonly problems?: readonly KrmInputError[],
  ) {
    super(message);
    this.name = 'KrmInputError';
  }
}

/**
 * An input error's words without the `path:line: ` (or `path: `) they start with, and the line,
 * for reports that show the file and line apart. Messages that start otherwise stay whole.
 */
export function inputDetail(e: KrmInputError, path: string): { line?: number; message: string } {
  const m = e.message;
  let line = e.where?.line;
  if (m.startsWith(`${path}:`)) {
    let i = path.length + 1;
    let n = 0;
    const digitsFrom = i;
    while (i < m.length && m.charCodeAt(i) >= 0x30 && m.charCodeAt(i) <= 0x39) n = n * 10 + (m.charCodeAt(i++) - 0x30);
    if (i > digitsFrom && m.startsWith(': ', i)) return { line: line ?? n, message: m.slice(i + 2) };
    if (i === digitsFrom && m.startsWith(' ', i)) return { ...(line !== undefined ? { line } : {}), message: m.slice(i + 1) };
  }
  return { ...(line !== undefined ? { line } : {}), message: m };
}
