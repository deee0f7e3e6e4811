/**
 * `.krmignore`, as kpt reads it: gitignore-style lines. Supported: comments, blank lines, `*`
 * and `?` within a segment, `**` across segments, a trailing `/` for directories only, and a
 * leading or inner `/` to anchor a pattern at the package root. (No `!` negation.)
 */
export type IgnoreMatcher = (relPath: string, isDir: boolean) => boolean;

export function parseKrmignore(text: string): IgnoreMatcher {
  const rules = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('!'))
    .map((l) => {
      const dirOnly = l.endsWith('/');
      let p = dirOnly ? l.slice(0, -1) : l;
      const anchored = p.startsWith('/') || p.includes('/');
      if (p.startsWith('/')) p = p.slice(1);
      const re = new RegExp(`^${anchored ? '' : '(?:.*/)?'}${globToRegex(p)}$`);
      return { re, dirOnly };
    });
  return (relPath, isDir) => rules.some((r) => (!r.dirOnly || isDir) && r.re.test(relPath));
}

function globToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      out += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return out;
}
