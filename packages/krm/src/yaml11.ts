/**
 * What kubectl, Argo CD and Config Sync read in a plain scalar — the one module for YAML 1.1.
 *
 * flatnet reads plain (unquoted) scalars by the YAML 1.2 core schema (core-scalars.ts); the
 * tools that apply manifests read them with go-yaml v2 (through sigs.k8s.io/yaml's YAMLToJSON),
 * which resolves them by YAML 1.1's rules: `024` is the octal 20, `yes` the boolean true,
 * `1_000` the number 1000. This module says what go-yaml v2 reads, whether that differs from
 * what flatnet reads, and which new strings the writer must quote.
 *
 * Contract:
 * - `readYaml11(text)`: go-yaml v2's reading of an untagged plain scalar of that source text,
 *   decoded into `interface{}` as YAMLToJSON decodes it. Exactly gopkg.in/yaml.v2 2.4.0's
 *   `resolve` (resolve.go; sigs.k8s.io/yaml/goyaml.v2 forks 2.4.0) with Go 1.13+'s strconv:
 *   1. `""` is null. The first byte picks a hint: `+ -` sign, `0-9` digit, `yYnNtTfFoO~` word,
 *      `.` dot; any other first byte means a string.
 *   2. Whole words: `y Y yes Yes YES true True TRUE on On ON` are true, `n N no No NO false
 *      False FALSE off Off OFF` false, `~ null Null NULL` null, `.nan .NaN .NAN` NaN,
 *      `[-+]?.inf .Inf .INF` ±infinity. A word-hinted text that is not one is a string.
 *   3. Dot: `strconv.ParseFloat(text)` — digits with `_` only between two digits, an optional
 *      exponent; out of float64's range it fails, and the text is a string.
 *   4. Sign or digit: every `_` is dropped, then the first that succeeds wins:
 *      `ParseInt(plain, 0, 64)` (base from the prefix: `0b`/`0B` 2, `0o`/`0O` 8, `0x`/`0X` 16,
 *      a lone leading `0` 8 — the prefixes need a digit after them, and a sign may lead),
 *      `ParseUint(plain, 0, 64)` (no sign, up to 2^64-1), the decimal float
 *      `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$` within float64's range,
 *      `ParseInt(plain[2:], 2, 64)` or `ParseUint(plain[2:], 2, 64)` after a `0b` (so `0b-1` is
 *      -1), `ParseInt("-"+plain[3:], 2, 64)` after a `-0b`; else a string. (Timestamps come
 *      first in go-yaml, but into `interface{}` they decode as their text: strings.)
 *   Not read as numbers: sexagesimal `1:20` (go-yaml v2 says so: "purposefully unsupported").
 *   `.inf` and `~` read the same in both. Tagged scalars (`!!int 024`) are not plain ones.
 * - `yaml11Difference(text)`: that reading when it is not the YAML 1.2 one flatnet judged
 *   (resolvePlainScalar), else undefined. Numbers compare as the number flatnet holds.
 * - `yaml11MayMistype(text)`: whether a string written plain would be read by a YAML 1.1
 *   reader as something else: go-yaml v2 reads a non-string, or YAML 1.1's own types read a
 *   sexagesimal number or a timestamp (go-yaml keeps those as strings; PyYAML does not). The
 *   writer quotes these (`YAML11_COMPAT`), so what flatnet writes the classifier never flags.
 * - `mayHoldYaml11Difference(text)`: a cheap test of a whole YAML text, true whenever some
 *   plain scalar in it (key or value, block or flow) may have a difference; false positives
 *   (comments, quoted text) only cost a closer look.
 * Everything is linear in the text: loops over characters; the text test's regular expressions
 * have no nested or adjacent overlapping quantifiers.
 */
import type { ScalarTag, Tags } from 'yaml';
import { resolvePlainScalar } from './core-scalars';

export type Yaml11Reading =
  | { readonly tag: 'null' }
  | { readonly tag: 'bool'; readonly value: boolean }
  | { readonly tag: 'int'; readonly value: bigint; readonly radix: 2 | 8 | 10 | 16 }
  | { readonly tag: 'float'; readonly value: number }
  | { readonly tag: 'str' };

const STR: Yaml11Reading = { tag: 'str' };
const NULL: Yaml11Reading = { tag: 'null' };
const TRUE: Yaml11Reading = { tag: 'bool', value: true };
const FALSE: Yaml11Reading = { tag: 'bool', value: false };

/** go-yaml v2's resolveMap (`<<` left out: `<` has no hint, so it is never looked up). */
const WORDS = new Map<string, Yaml11Reading>();
for (const w of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']) WORDS.set(w, TRUE);
for (const w of ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']) WORDS.set(w, FALSE);
for (const w of ['', '~', 'null', 'Null', 'NULL']) WORDS.set(w, NULL);
for (const w of ['.nan', '.NaN', '.NAN']) WORDS.set(w, { tag: 'float', value: NaN });
for (const w of ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']) WORDS.set(w, { tag: 'float', value: Infinity });
for (const w of ['-.inf', '-.Inf', '-.INF']) WORDS.set(w, { tag: 'float', value: -Infinity });

const enum Hint {
  None,
  Sign,
  Digit,
  Word,
  Dot,
}
const HINTS: Hint[] = new Array(128).fill(Hint.None);
HINTS[0x2b] = HINTS[0x2d] = Hint.Sign;
for (let c = 0x30; c <= 0x39; c++) HINTS[c] = Hint.Digit;
for (const ch of 'yYnNtTfFoO~') HINTS[ch.charCodeAt(0)] = Hint.Word;
HINTS[0x2e] = Hint.Dot;

const hintOf = (c: number): Hint => (c < 128 ? HINTS[c]! : Hint.None);

export function readYaml11(text: string): Yaml11Reading {
  if (text === '') return NULL;
  const hint = hintOf(text.charCodeAt(0));
  if (hint === Hint.None) return STR;
  const word = WORDS.get(text);
  if (word) return word;
  if (hint === Hint.Word) return STR;
  if (hint === Hint.Dot) {
    const f = goParseFloatDot(text);
    return f === undefined ? STR : { tag: 'float', value: f };
  }
  return readNumber(text.includes('_') ? text.replace(/_/g, '') : text);
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const MAX_INT64 = (1n << 63n) - 1n;
const MIN_INT64_MAGNITUDE = 1n << 63n;
const MAX_UINT64 = (1n << 64n) - 1n;

/** Step 4 of the contract, on the text without its underscores. */
function readNumber(plain: string): Yaml11Reading {
  // ParseInt(plain, 0, 64), then ParseUint(plain, 0, 64): one parse of the digits decides both.
  const c0 = plain.charCodeAt(0);
  const sign = c0 === 0x2b || c0 === 0x2d ? c0 : 0;
  const u = parseUintBase0(plain, sign ? 1 : 0);
  if (u) {
    if (sign === 0x2d) {
      if (u.value <= MIN_INT64_MAGNITUDE) return { tag: 'int', value: -u.value, radix: u.radix };
    } else if (u.value <= (sign ? MAX_INT64 : MAX_UINT64)) return { tag: 'int', value: u.value, radix: u.radix };
  }
  if (isYamlStyleFloat(plain)) {
    const f = Number(plain);
    if (Number.isFinite(f)) return { tag: 'float', value: f };
  }
  if (plain.startsWith('0b')) {
    // ParseInt(plain[2:], 2, 64) (a sign may follow the prefix), then ParseUint(plain[2:], 2, 64).
    const s = plain.charCodeAt(2);
    const signed = s === 0x2b || s === 0x2d;
    const v = parseDigits(plain, signed ? 3 : 2, 2);
    if (v !== undefined) {
      if (s === 0x2d) {
        if (v <= MIN_INT64_MAGNITUDE) return { tag: 'int', value: -v, radix: 2 };
      } else if (v <= (signed ? MAX_INT64 : MAX_UINT64)) return { tag: 'int', value: v, radix: 2 };
    }
  } else if (plain.startsWith('-0b')) {
    // ParseInt("-"+plain[3:], 2, 64). Never more than ParseInt(plain, 0, 64) gave: kept as written.
    const v = parseDigits(plain, 3, 2);
    if (v !== undefined && v <= MIN_INT64_MAGNITUDE) return { tag: 'int', value: -v, radix: 2 };
  }
  return STR;
}

/**
 * strconv.ParseUint's base-0 digits of `s` from `from` (after a sign), or undefined on a syntax
 * error. Values of any size: the callers hold them to their range.
 */
function parseUintBase0(s: string, from: number): { value: bigint; radix: 2 | 8 | 10 | 16 } | undefined {
  if (from >= s.length) return undefined;
  let radix: 2 | 8 | 10 | 16 = 10;
  let i = from;
  if (s.charCodeAt(from) === 0x30) {
    const p = s.length - from >= 3 ? s.charCodeAt(from + 1) | 0x20 : 0;
    radix = p === 0x62 ? 2 : p === 0x6f ? 8 : p === 0x78 ? 16 : 8;
    i = p === 0x62 || p === 0x6f || p === 0x78 ? from + 2 : from + 1;
    if (i === s.length) return { value: 0n, radix }; // `0`
  }
  const v = parseDigits(s, i, radix);
  return v === undefined ? undefined : { value: v, radix };
}

/** Digits of `radix` from `from` to the end (at least one), as strconv reads them; else undefined. */
function parseDigits(s: string, from: number, radix: number): bigint | undefined {
  if (from >= s.length) return undefined;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const l = c | 0x20;
    const d = isDigit(c) ? c - 0x30 : l >= 0x61 && l <= 0x7a ? l - 0x61 + 10 : 99;
    if (d >= radix) return undefined;
  }
  // Past 2^64 the value no longer matters (out of range either way): BigInt's work stays bounded.
  let first = from;
  while (first < s.length - 1 && s.charCodeAt(first) === 0x30) first++;
  if (s.length - first > MAX_DIGITS[radix]!) return MAX_UINT64 + 1n;
  const digits = s.slice(first);
  return BigInt(radix === 10 ? digits : (radix === 16 ? '0x' : radix === 8 ? '0o' : '0b') + digits);
}

/** The most digits of a radix a value below 2^64 can have (more mean a value out of range). */
const MAX_DIGITS: Record<number, number> = { 2: 64, 8: 22, 10: 20, 16: 16 };

/** go-yaml's `yamlStyleFloat`: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`. */
function isYamlStyleFloat(s: string): boolean {
  let i = 0;
  const n = s.length;
  let c = s.charCodeAt(0);
  if (c === 0x2b || c === 0x2d) c = s.charCodeAt(++i);
  if (c === 0x2e) {
    i++;
    const start = i;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
    if (i === start) return false;
  } else {
    const start = i;
    while (i < n && isDigit(s.charCodeAt(i))) i++;
    if (i === start) return false;
    if (s.charCodeAt(i) === 0x2e) {
      i++;
      while (i < n && isDigit(s.charCodeAt(i))) i++;
    }
  }
  if (i === n) return true;
  if ((s.charCodeAt(i) | 0x20) !== 0x65) return false;
  i++;
  c = s.charCodeAt(i);
  if (c === 0x2b || c === 0x2d) i++;
  const start = i;
  while (i < n && isDigit(s.charCodeAt(i))) i++;
  return i > start && i === n;
}

/**
 * strconv.ParseFloat(s, 64) for a text that starts with `.`: `.` digits, then an optional
 * exponent, with `_` only between two digits (readFloat, then underscoreOK); undefined on a
 * syntax error or out of range.
 */
function goParseFloatDot(s: string): number | undefined {
  const n = s.length;
  let i = 1;
  let underscores = false;
  // `_` must stand between two digits: `prev` is the class of the last character.
  let prevDigit = false;
  const digits = (): boolean => {
    let any = false;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (isDigit(c)) {
        any = true;
        prevDigit = true;
      } else if (c === 0x5f) {
        if (!prevDigit || !isDigit(s.charCodeAt(i + 1))) return false;
        underscores = true;
        prevDigit = false;
      } else break;
    }
    return any;
  };
  if (!digits()) return undefined;
  if (i < n) {
    if ((s.charCodeAt(i) | 0x20) !== 0x65) return undefined;
    i++;
    const c = s.charCodeAt(i);
    if (c === 0x2b || c === 0x2d) i++;
    prevDigit = false;
    if (!isDigit(s.charCodeAt(i)) || !digits() || i < n) return undefined;
  }
  const f = Number(underscores ? s.replace(/_/g, '') : s);
  return Number.isFinite(f) ? f : undefined;
}

// ---------------------------------------------------------------------------------------------
// Against the YAML 1.2 reading

const sameNumber = (a: number, b: number): boolean => a === b || (a !== a && b !== b);

/** The YAML 1.1 reading of a plain scalar when it is not the YAML 1.2 one flatnet uses, else undefined. */
export function yaml11Difference(text: string): Yaml11Reading | undefined {
  const c = text.charCodeAt(0);
  // Only texts that go-yaml could read as something else: the cheap first-character test.
  if (text === '' || hintOf(c) === Hint.None) return undefined;
  const r11 = readYaml11(text);
  const r12 = resolvePlainScalar(text);
  switch (r11.tag) {
    case 'str':
      return typeof r12 === 'string' ? undefined : r11;
    case 'null':
      return r12 === null ? undefined : r11;
    case 'bool':
      return r12 === r11.value ? undefined : r11;
    case 'int':
      return typeof r12 === 'number' && sameNumber(Number(r11.value), r12) ? undefined : r11;
    case 'float':
      return typeof r12 === 'number' && sameNumber(r11.value, r12) ? undefined : r11;
  }
}

/**
 * Whether the string `text`, written plain, may be read by a YAML 1.1 reader as something else:
 * the writer quotes it. Not asked for texts YAML 1.2 reads as non-strings (the core schema quotes
 * those).
 */
export function yaml11MayMistype(text: string): boolean {
  const c = text.charCodeAt(0);
  const hint = hintOf(c);
  if (hint === Hint.None) return false;
  if (readYaml11(text).tag !== 'str') return true;
  return (hint === Hint.Digit || hint === Hint.Sign) && (isSexagesimal(text) || isTimestamp(text));
}

/** YAML 1.1's base-60 int and float: `[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?`. */
function isSexagesimal(s: string): boolean {
  const n = s.length;
  let i = 0;
  let c = s.charCodeAt(0);
  if (c === 0x2b || c === 0x2d) i++;
  if (!isDigit(s.charCodeAt(i))) return false;
  while (i < n && (isDigit((c = s.charCodeAt(i))) || c === 0x5f)) i++;
  let groups = 0;
  while (s.charCodeAt(i) === 0x3a) {
    // `:` then one or two digits, the first of two at most 5.
    const a = s.charCodeAt(i + 1);
    const b = s.charCodeAt(i + 2);
    if (!isDigit(a)) return false;
    i += isDigit(b) && a <= 0x35 ? 3 : 2;
    groups++;
  }
  if (groups === 0) return false;
  if (i === n) return true;
  if (s.charCodeAt(i) !== 0x2e) return false;
  for (i++; i < n; i++) if (!isDigit((c = s.charCodeAt(i))) && c !== 0x5f) return false;
  return true;
}

/**
 * YAML 1.1's timestamp (the `yaml` package's reading of it): `YYYY-M-D`, optionally then `T`, `t`
 * or blanks, `h:m:s(.f)?`, blanks and `Z` or `±h(:mm)?`.
 */
function isTimestamp(s: string): boolean {
  const n = s.length;
  let i = 0;
  const num = (min: number, max: number): boolean => {
    const start = i;
    while (i < n && i - start < max && isDigit(s.charCodeAt(i))) i++;
    return i - start >= min;
  };
  const lit = (ch: number): boolean => (s.charCodeAt(i) === ch ? (i++, true) : false);
  const blanks = (): number => {
    const start = i;
    while (s.charCodeAt(i) === 0x20 || s.charCodeAt(i) === 0x09) i++;
    return i - start;
  };
  if (!(num(4, 4) && lit(0x2d) && num(1, 2) && lit(0x2d) && num(1, 2))) return false;
  if (i === n) return true;
  const c = s.charCodeAt(i);
  if (c === 0x54 || c === 0x74) i++;
  else if (blanks() === 0) return false;
  if (!(num(1, 2) && lit(0x3a) && num(1, 2) && lit(0x3a) && num(1, 2))) return false;
  if (lit(0x2e) && !num(1, Infinity)) return false;
  blanks();
  if (i === n) return true;
  if (lit(0x5a)) return i === n;
  if (!(lit(0x2b) || lit(0x2d))) return false;
  // [012]?[0-9] then (:[0-9]{2})?
  const h = i;
  if (!num(1, 2) || (i - h === 2 && s.charCodeAt(h) > 0x32)) return false;
  if (lit(0x3a) && !num(2, 2)) return false;
  return i === n;
}

// ---------------------------------------------------------------------------------------------
// The writer

/** A "regular expression" that asks yaml11MayMistype: the `yaml` package calls only `test`. */
class MayMistype extends RegExp {
  override test(text: string): boolean {
    return yaml11MayMistype(text);
  }
}

/**
 * The `compat` schema of every document flatnet parses or makes (kube-object.ts). On writing, the
 * `yaml` package quotes a string when a tag of its schema or of `compat` would read it as
 * something else: the core schema's tags (YAML 1.2), then one that asks yaml11MayMistype. On
 * reading it only warns where the two disagree; the core tags come first so that a number or a
 * boolean, which they read alike, costs no warning.
 */
export const YAML11_COMPAT: Tags = [
  'null',
  'bool',
  'intOct',
  'int',
  'intHex',
  'floatNaN',
  'floatExp',
  'float',
  { tag: 'tag:flatnet.dev,2026:yaml-1.1-non-string', default: true, test: new MayMistype('(?:)'), resolve: (text: string) => text } satisfies ScalarTag,
];

// ---------------------------------------------------------------------------------------------
// A whole text

/**
 * A place where a plain scalar may start — after a line break, a blank, `[`, `{`, `,` or `:` (a
 * flow value right after a quoted key) — then what may make it differ: a sign or digit then `0`
 * and an alphanumeric (octal, prefixes), an `_` in a number-like token, an exponent of three
 * digits or more (float64's range), 200 digits in a row (the same), or one of YAML 1.1's boolean
 * words standing alone. CANDIDATE_AT_START is the same without the place, for a text's start.
 */
const CANDIDATE = /[\n\r \t[{,:](?:[-+]?0[0-9A-Za-z_]|[-+.0-9][-+.0-9A-Za-z]*_|[-+]?[.0-9][.0-9]*[eE]\+?0*[1-9][0-9][0-9]|[-+]?[0-9]{200}|(?:[yYnN]|[Yy]es|YES|[Nn]o|NO|[Oo]n|ON|[Oo]ff|OFF)(?![^ \t,\]}:\r\n]))/;
const CANDIDATE_AT_START = /(?:[-+]?0[0-9A-Za-z_]|[-+.0-9][-+.0-9A-Za-z]*_|[-+]?[.0-9][.0-9]*[eE]\+?0*[1-9][0-9][0-9]|[-+]?[0-9]{200}|(?:[yYnN]|[Yy]es|YES|[Nn]o|NO|[Oo]n|ON|[Oo]ff|OFF)(?![^ \t,\]}:\r\n]))/y;

export function mayHoldYaml11Difference(text: string): boolean {
  if (CANDIDATE.test(text)) return true;
  CANDIDATE_AT_START.lastIndex = 0;
  return CANDIDATE_AT_START.test(text);
}
