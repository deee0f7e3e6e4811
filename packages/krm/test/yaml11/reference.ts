/**
 * A second, independent implementation of go-yaml v2's plain-scalar resolution, for the
 * differential test of src/yaml11.ts: a statement-by-statement port of gopkg.in/yaml.v2 2.4.0's
 * resolve.go (`resolve` with an empty tag, then decode.go's `interface{}` case, which keeps a
 * timestamp as its text) and of the Go 1.13+ strconv functions it calls (atoi.go: ParseUint,
 * ParseInt, underscoreOK; atof.go: special, readFloat, ParseFloat), with Go's own names. Slow and
 * literal on purpose; regular expressions where Go has them.
 */
export type Ref = { tag: 'null' } | { tag: 'bool'; value: boolean } | { tag: 'int'; value: bigint } | { tag: 'float'; value: number } | { tag: 'str' };

class NumError extends Error {
  constructor(readonly err: 'ErrSyntax' | 'ErrRange') {
    super(err);
  }
}
const syntaxError = (): NumError => new NumError('ErrSyntax');
const rangeError = (): NumError => new NumError('ErrRange');

const lower = (c: number): number => c | (0x78 - 0x58);
const code = (ch: string): number => ch.charCodeAt(0);

// ---- strconv/atoi.go

const maxUint64 = (1n << 64n) - 1n;

function ParseUint(s: string, base: number, bitSize: number): [bigint, NumError | null] {
  if (s === '') return [0n, syntaxError()];
  const base0 = base === 0;
  const s0 = s;
  if (2 <= base && base <= 36) {
    // valid base
  } else if (base === 0) {
    base = 10;
    if (s[0] === '0') {
      if (s.length >= 3 && lower(code(s[1]!)) === code('b')) {
        base = 2;
        s = s.slice(2);
      } else if (s.length >= 3 && lower(code(s[1]!)) === code('o')) {
        base = 8;
        s = s.slice(2);
      } else if (s.length >= 3 && lower(code(s[1]!)) === code('x')) {
        base = 16;
        s = s.slice(2);
      } else {
        base = 8;
        s = s.slice(1);
      }
    }
  } else throw new Error('invalid base');
  const B = BigInt(base);
  const cutoff = maxUint64 / B + 1n;
  const maxVal = (1n << BigInt(bitSize)) - 1n;
  let underscores = false;
  let n = 0n;
  for (const ch of s) {
    const c = code(ch);
    let d: number;
    if (ch === '_' && base0) {
      underscores = true;
      continue;
    } else if (code('0') <= c && c <= code('9')) d = c - code('0');
    else if (code('a') <= lower(c) && lower(c) <= code('z')) d = lower(c) - code('a') + 10;
    else return [0n, syntaxError()];
    if (d >= base) return [0n, syntaxError()];
    if (n >= cutoff) return [maxVal, rangeError()];
    n *= B;
    const n1 = n + BigInt(d);
    if (n1 < n || n1 > maxVal) return [maxVal, rangeError()];
    n = n1;
  }
  if (underscores && !underscoreOK(s0)) return [0n, syntaxError()];
  return [n, null];
}

function ParseInt(s: string, base: number, bitSize: number): [bigint, NumError | null] {
  if (s === '') return [0n, syntaxError()];
  let neg = false;
  if (s[0] === '+') s = s.slice(1);
  else if (s[0] === '-') {
    neg = true;
    s = s.slice(1);
  }
  const [un, err] = ParseUint(s, base, bitSize);
  if (err && err.err !== 'ErrRange') return [0n, err];
  const cutoff = 1n << BigInt(bitSize - 1);
  if (!neg && un >= cutoff) return [cutoff - 1n, rangeError()];
  if (neg && un > cutoff) return [-cutoff, rangeError()];
  return [neg ? -un : un, null];
}

function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s.length >= 1 && (s[0] === '-' || s[0] === '+')) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && (lower(code(s[1]!)) === code('b') || lower(code(s[1]!)) === code('o') || lower(code(s[1]!)) === code('x'))) {
    i = 2;
    saw = '0';
    hex = lower(code(s[1]!)) === code('x');
  }
  for (; i < s.length; i++) {
    const c = code(s[i]!);
    if ((code('0') <= c && c <= code('9')) || (hex && code('a') <= lower(c) && lower(c) <= code('f'))) {
      saw = '0';
      continue;
    }
    if (s[i] === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

// ---- strconv/atof.go (what ParseFloat accepts; its value is JavaScript's correctly rounded one)

function commonPrefixLenIgnoreCase(s: string, prefix: string): number {
  const n = Math.min(prefix.length, s.length);
  for (let i = 0; i < n; i++) {
    let c = code(s[i]!);
    if (code('A') <= c && c <= code('Z')) c += code('a') - code('A');
    if (c !== code(prefix[i]!)) return i;
  }
  return n;
}

function special(s: string): [number, number, boolean] {
  if (s.length === 0) return [0, 0, false];
  let sign = 1;
  let nsign = 0;
  let c = s[0];
  if (c === '+' || c === '-') {
    if (c === '-') sign = -1;
    nsign = 1;
    s = s.slice(1);
    c = 'i'; // fallthrough
  }
  if (c === 'i' || c === 'I') {
    let n = commonPrefixLenIgnoreCase(s, 'infinity');
    if (3 < n && n < 8) n = 3;
    if (n === 3 || n === 8) return [sign * Infinity, nsign + n, true];
  } else if (c === 'n' || c === 'N') {
    if (commonPrefixLenIgnoreCase(s, 'nan') === 3) return [NaN, 3, true];
  }
  return [0, 0, false];
}

/** readFloat's syntax: [consumed, ok, hex]. */
function readFloat(s: string): [number, boolean, boolean] {
  let underscores = false;
  let i = 0;
  if (i >= s.length) return [i, false, false];
  if (s[i] === '+') i++;
  else if (s[i] === '-') i++;
  let base = 10;
  let expChar = code('e');
  let hex = false;
  if (i + 2 < s.length && s[i] === '0' && lower(code(s[i + 1]!)) === code('x')) {
    base = 16;
    i += 2;
    expChar = code('p');
    hex = true;
  }
  let sawdot = false;
  let sawdigits = false;
  loop: for (; i < s.length; i++) {
    const c = code(s[i]!);
    if (s[i] === '_') {
      underscores = true;
      continue;
    } else if (s[i] === '.') {
      if (sawdot) break loop;
      sawdot = true;
      continue;
    } else if (code('0') <= c && c <= code('9')) {
      sawdigits = true;
      continue;
    } else if (base === 16 && code('a') <= lower(c) && lower(c) <= code('f')) {
      sawdigits = true;
      continue;
    }
    break;
  }
  if (!sawdigits) return [i, false, hex];
  if (i < s.length && lower(code(s[i]!)) === expChar) {
    i++;
    if (i >= s.length) return [i, false, hex];
    if (s[i] === '+') i++;
    else if (s[i] === '-') i++;
    if (i >= s.length || s[i]! < '0' || s[i]! > '9') return [i, false, hex];
    for (; i < s.length && (('0' <= s[i]! && s[i]! <= '9') || s[i] === '_'); i++) {
      if (s[i] === '_') underscores = true;
    }
  } else if (base === 16) return [i, false, hex];
  if (underscores && !underscoreOK(s.slice(0, i))) return [i, false, hex];
  return [i, true, hex];
}

function ParseFloat(s: string): [number, NumError | null] {
  const [sv, sn, sok] = special(s);
  let f: number;
  let n: number;
  let err: NumError | null = null;
  if (sok) {
    f = sv;
    n = sn;
  } else {
    const [consumed, ok, hex] = readFloat(s);
    n = consumed;
    if (!ok) return [0, syntaxError()];
    if (hex) throw new Error('hexadecimal floats never reach ParseFloat from resolve()');
    f = Number(s.slice(0, n).replace(/_/g, ''));
    if (!Number.isFinite(f)) err = rangeError();
  }
  if (n !== s.length && (err === null || err.err !== 'ErrSyntax')) return [0, syntaxError()];
  return [f, err];
}

// ---- gopkg.in/yaml.v2 resolve.go

const resolveTable: string[] = new Array(256).fill('');
resolveTable[code('+')] = 'S';
resolveTable[code('-')] = 'S';
for (const c of '0123456789') resolveTable[code(c)] = 'D';
for (const c of 'yYnNtTfFoO~') resolveTable[code(c)] = 'M';
resolveTable[code('.')] = '.';

const resolveMap = new Map<string, Ref>();
const resolveMapList: Array<[Ref, string[]]> = [
  [{ tag: 'bool', value: true }, ['y', 'Y', 'yes', 'Yes', 'YES']],
  [{ tag: 'bool', value: true }, ['true', 'True', 'TRUE']],
  [{ tag: 'bool', value: true }, ['on', 'On', 'ON']],
  [{ tag: 'bool', value: false }, ['n', 'N', 'no', 'No', 'NO']],
  [{ tag: 'bool', value: false }, ['false', 'False', 'FALSE']],
  [{ tag: 'bool', value: false }, ['off', 'Off', 'OFF']],
  [{ tag: 'null' }, ['', '~', 'null', 'Null', 'NULL']],
  [{ tag: 'float', value: NaN }, ['.nan', '.NaN', '.NAN']],
  [{ tag: 'float', value: Infinity }, ['.inf', '.Inf', '.INF']],
  [{ tag: 'float', value: Infinity }, ['+.inf', '+.Inf', '+.INF']],
  [{ tag: 'float', value: -Infinity }, ['-.inf', '-.Inf', '-.INF']],
  [{ tag: 'str' }, ['<<']], // the merge tag; never looked up: `<` has no hint
];
for (const [v, l] of resolveMapList) for (const s of l) resolveMap.set(s, v);

const yamlStyleFloat = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/**
 * parseTimestamp's quick check. Past it the text has 4 digits then `-`, which no ParseInt,
 * ParseUint, yamlStyleFloat or `0b` branch accepts, so whether time.Parse takes it or not the
 * text decodes into interface{} as a string: the check alone decides as much as the whole would.
 */
function looksLikeTimestamp(s: string): boolean {
  let i = 0;
  for (; i < s.length; i++) {
    const c = s[i]!;
    if (c < '0' || c > '9') break;
  }
  return !(i !== 4 || i === s.length || s[i] !== '-');
}

export function resolve(input: string): Ref {
  let hint = 'N';
  if (input !== '') hint = input.charCodeAt(0) < 256 ? resolveTable[input.charCodeAt(0)]! : '';
  if (hint !== '') {
    const item = resolveMap.get(input);
    if (item) return item;
    switch (hint) {
      case 'M':
        break;
      case '.': {
        const [floatv, err] = ParseFloat(input);
        if (err === null) return { tag: 'float', value: floatv };
        break;
      }
      case 'D':
      case 'S': {
        if (looksLikeTimestamp(input)) return { tag: 'str' };
        const plain = input.split('_').join('');
        let [intv, err] = ParseInt(plain, 0, 64);
        if (err === null) return { tag: 'int', value: intv };
        const [uintv, uerr] = ParseUint(plain, 0, 64);
        if (uerr === null) return { tag: 'int', value: uintv };
        if (yamlStyleFloat.test(plain)) {
          const [floatv, ferr] = ParseFloat(plain);
          if (ferr === null) return { tag: 'float', value: floatv };
        }
        if (plain.startsWith('0b')) {
          [intv, err] = ParseInt(plain.slice(2), 2, 64);
          if (err === null) return { tag: 'int', value: intv };
          const [u2, e2] = ParseUint(plain.slice(2), 2, 64);
          if (e2 === null) return { tag: 'int', value: u2 };
        } else if (plain.startsWith('-0b')) {
          [intv, err] = ParseInt('-' + plain.slice(3), 2, 64);
          if (err === null) return { tag: 'int', value: intv };
        }
        break;
      }
      default:
        throw new Error(`resolveTable item not yet handled: ${hint} (with ${input})`);
    }
  }
  return { tag: 'str' };
}
