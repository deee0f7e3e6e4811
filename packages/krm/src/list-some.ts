/**
 * For messages that name things of the input (Clusters, files, peers): at most a handful of
 * names, then a count. A message that named every one grew with the input, and one such message
 * per object grew with its square: 2,000 ambiguous objects naming 2,000 Clusters each printed
 * 224 MB, and 4,000 ran out of string length.
 */

/** `a, b, c` up to `max` names; past that `a, b, c, d, e, and 1,997 more`. */
export function listSome(names: readonly string[], max = 5): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')}, and ${count(names.length - max)} more`;
}

/** `1997` -> `1,997`: written out, not by the locale. */
export function count(n: number): string {
  const digits = String(n);
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ',';
    out += digits[i];
  }
  return out;
}
