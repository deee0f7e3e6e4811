/**
 * Kubernetes label syntax, as apimachinery's `IsQualifiedName` (keys) and `IsValidLabelValue`
 * (values) check it, and label selectors (`metav1.LabelSelector`) as `ValidateLabelSelector`
 * does. Checked character by character: linear in the text, no regular expression.
 *
 * - key: an optional prefix, a DNS subdomain of at most 253 characters (lower-case letters, digits,
 *   '-' and '.', each dot-separated part starting and ending with a letter or digit), then '/',
 *   then a name of 1 to 63 letters, digits, '-', '_' and '.', starting and ending with a letter or
 *   digit. At most one '/'.
 * - value: empty, or a name as above (at most 63 characters).
 */

const isAlnum = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isLowerAlnum = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a);
const DASH = 0x2d;
const DOT = 0x2e;
const UNDERSCORE = 0x5f;
const SLASH = 0x2f;

/** `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`, 1 to 63 characters. */
export function isLabelName(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > 63 || !isAlnum(s.charCodeAt(0)) || !isAlnum(s.charCodeAt(n - 1))) return false;
  for (let i = 1; i < n - 1; i++) {
    const c = s.charCodeAt(i);
    if (!isAlnum(c) && c !== DASH && c !== UNDERSCORE && c !== DOT) return false;
  }
  return true;
}

/** apimachinery's `IsDNS1123Subdomain`: at most 253 characters, dot-separated `[a-z0-9]([-a-z0-9]*[a-z0-9])?`. */
export function isDnsSubdomain(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > 253) return false;
  let start = 0; // where the current dot-separated part starts
  for (let i = 0; i <= n; i++) {
    const c = i < n ? s.charCodeAt(i) : DOT;
    if (c === DOT) {
      // A part is non-empty and starts and ends with a letter or digit.
      if (i === start || !isLowerAlnum(s.charCodeAt(start)) || !isLowerAlnum(s.charCodeAt(i - 1))) return false;
      start = i + 1;
    } else if (!isLowerAlnum(c) && c !== DASH) return false;
  }
  return true;
}

const KEY_NAME = "must be a label key: at most 63 letters, digits, '-', '_' or '.' (after an optional prefix and '/'), starting and ending with a letter or digit";
const KEY_PREFIX = "must have a DNS subdomain (at most 253 lower-case letters, digits, '-' and '.') before its '/'";
const KEY_SLASHES = "must have at most one '/', between its DNS subdomain prefix and its name";
const VALUE = "must be a label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit (or empty)";

/** Why `key` is not a Kubernetes label key (a "must …" phrase), or undefined when it is one. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  if (slash < 0) return isLabelName(key) ? undefined : KEY_NAME;
  if (key.indexOf('/', slash + 1) >= 0) return KEY_SLASHES;
  if (!isDnsSubdomain(key.slice(0, slash))) return KEY_PREFIX;
  return isLabelName(key.slice(slash + 1)) ? undefined : KEY_NAME;
}

/** Why `value` is not a Kubernetes label value (a "must …" phrase), or undefined when it is one. */
export function labelValueProblem(value: string): string | undefined {
  return value === '' || isLabelName(value) ? undefined : VALUE;
}

/** The operators of a label selector's `matchExpressions` (`metav1.LabelSelectorOperator`). */
export const LABEL_SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;
export type LabelSelectorOperator = (typeof LABEL_SELECTOR_OPERATORS)[number];

/** Operators of node affinity (`v1.NodeSelectorOperator`) that label selectors do not have. */
export const NODE_AFFINITY_ONLY_OPERATORS: readonly string[] = ['Gt', 'Lt'];

/** One `matchExpressions` entry, well formed. */
export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelSelectorOperator;
  /** Non-empty for In and NotIn, empty for Exists and DoesNotExist. */
  readonly values: readonly string[];
}

/** A well-formed label selector: every entry of `matchLabels` and every requirement must hold. */
export interface LabelSelector {
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly matchExpressions: readonly LabelRequirement[];
}

/** True when `labels` satisfy `selector` (an empty selector selects everything), as `metav1.LabelSelectorAsSelector`. */
export function labelSelectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  const has = (k: string): boolean => Object.prototype.hasOwnProperty.call(labels, k);
  for (const k of Object.keys(selector.matchLabels)) if (!has(k) || labels[k] !== selector.matchLabels[k]) return false;
  for (const r of selector.matchExpressions) {
    const present = has(r.key);
    switch (r.operator) {
      case 'In':
        if (!present || !r.values.includes(labels[r.key]!)) return false;
        break;
      case 'NotIn':
        if (present && r.values.includes(labels[r.key]!)) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
    }
  }
  return true;
}
