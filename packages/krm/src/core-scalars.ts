/**
 * How a plain (unquoted) scalar resolves under the YAML 1.2 core schema, exactly as the `yaml`
 * package resolves it — the package that reads every document flatnet edits or locates — so a
 * value never depends on which reader took the document (js-yaml's core schema, for one, reads
 * `0b11` and `+0x1F` as numbers and `-.5` as a string, unlike YAML 1.2 and `yaml`).
 */
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const OCT = /^0o[0-7]+$/;
const DEC = /^[-+]?[0-9]+$/;
const HEX = /^0x[0-9a-fA-F]+$/;
const INF_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

export function resolvePlainScalar(s: string): unknown {
  const c = s.charCodeAt(0);
  // Only the null and bool words start with these letters; any other letter means a string.
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) {
    if (c !== 0x6e && c !== 0x4e && c !== 0x74 && c !== 0x54 && c !== 0x66 && c !== 0x46) return s;
    // n, t, f: only `null`, `true` and `false` (4 or 5 letters) are not strings.
    if (s.length !== 4 && s.length !== 5) return s;
  } else if (c >= 0x30 && c <= 0x39) {
    // Addresses and versions (`10.0.0.1`, `1.30.0`): no number has two dots; digits alone are decimal.
    let digitsOnly = true;
    let dots = 0;
    for (let i = 1; i < s.length; i++) {
      const d = s.charCodeAt(i);
      if (d === 0x2e) {
        if (++dots > 1) return s;
        digitsOnly = false;
      } else if (d < 0x30 || d > 0x39) digitsOnly = false;
    }
    if (digitsOnly) return parseInt(s, 10);
  }
  if (NULL.test(s)) return null;
  if (BOOL.test(s)) return c === 0x74 || c === 0x54;
  if (OCT.test(s)) return parseInt(s.slice(2), 8);
  if (DEC.test(s)) return parseInt(s, 10);
  if (HEX.test(s)) return parseInt(s.slice(2), 16);
  if (INF_NAN.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : c === 0x2d ? -Infinity : Infinity;
  if (EXP.test(s) || FLOAT.test(s)) return parseFloat(s);
  return s;
}
