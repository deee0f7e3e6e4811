/**
 * No Docker engine runs on the development machines, so the Dockerfile is checked by reading:
 * every path it copies from the repository exists (and is in the build context), and the bundle it
 * runs is one the build makes, with its code cache.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const lines = dockerfile.split('\n').filter((l) => !l.trimStart().startsWith('#'));

describe('Dockerfile', () => {
  it('is multi-stage and runs as a non-root user on a slim Node base', () => {
    const froms = lines.filter((l) => /^FROM /.test(l));
    expect(froms.length).toBeGreaterThanOrEqual(2);
    expect(froms.every((l) => /node:\d+-\S*slim/.test(l))).toBe(true);
    const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(finalStage).toMatch(/\nUSER (node|\d{3,})\n/);
  });

  it('copies only paths that exist in the repository', () => {
    const copies = lines.filter((l) => /^COPY /.test(l) && !l.includes('--from='));
    expect(copies.length).toBeGreaterThan(0);
    for (const line of copies) {
      const parts = line.replace(/^COPY\s+/, '').split(/\s+/);
      for (const src of parts.slice(0, -1)) expect({ src, exists: existsSync(join(ROOT, src)) }).toEqual({ src, exists: true });
    }
  });

  it('copies nothing that .dockerignore leaves out of the build context', () => {
    // Docker's rules, as far as this file uses them: a path is out when the last pattern matching
    // it or a folder above it is not a `!` exception; `**/` matches any folders, `*` within one.
    const patterns = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    const regex = (p: string) => new RegExp(`^${p.replace(/\/$/, '').replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*\//g, '\0').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]').replace(/\0/g, '(.*/)?')}$`);
    const excluded = (path: string) => {
      const parts = path.replace(/\/$/, '').split('/');
      const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
      let out = false;
      for (const p of patterns) {
        const negated = p.startsWith('!');
        if (prefixes.some((x) => regex(negated ? p.slice(1) : p).test(x))) out = !negated;
      }
      return out;
    };
    expect(excluded('examples/fleet/Kptfile')).toBe(false);
    expect(excluded('functions/validate-flat-network/examples/x/Kptfile')).toBe(true);
    const copies = lines.filter((l) => /^COPY /.test(l) && !l.includes('--from='));
    for (const line of copies) {
      for (const src of line.replace(/^COPY\s+/, '').split(/\s+/).slice(0, -1)) {
        const file = src.endsWith('/') ? `${src}${readdirSync(join(ROOT, src)).sort()[0]}` : src;
        expect({ src: file, excluded: excluded(file) }).toEqual({ src: file, excluded: false });
      }
    }
  });

  it('copies each bundle with its code cache beside it, under the name the bundle looks for', () => {
    const bundles = lines.filter((l) => /^COPY --from=build \S+\.js \S+$/.test(l));
    expect(bundles.length).toBeGreaterThanOrEqual(2);
    for (const line of bundles) {
      const [, src, dest] = /^COPY --from=build (\S+) (\S+)$/.exec(line)!;
      expect(lines).toContain(`COPY --from=build ${src}.v8cache ${dest}.v8cache`);
    }
  });

  it('has an Argo CD sidecar stage whose paths are the ones argocd/plugin.yaml runs, as user 999', () => {
    const stage = dockerfile.slice(dockerfile.indexOf('AS argocd-cmp'), dockerfile.indexOf('\nFROM ', dockerfile.indexOf('AS argocd-cmp')));
    const cliDest = /COPY --from=build \/src\/dist\/flatnet\.js (\S+)/.exec(stage)?.[1];
    expect(cliDest).toBeDefined();
    const plugin = readFileSync(join(ROOT, 'argocd', 'plugin.yaml'), 'utf8');
    expect(plugin).toContain(`command: [node, ${cliDest}, argocd, generate]`);
    expect(plugin).toContain(`command: [node, ${cliDest}, argocd, discover]`);
    expect(stage).toContain('COPY argocd/plugin.yaml /home/argocd/cmp-server/config/plugin.yaml');
    expect(stage).toMatch(/\nUSER 999\n/);
  });

  it('builds with the npm script the repository has, and its default function exists', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(dockerfile).toMatch(/RUN npm run build/);
    expect(pkg.scripts.build).toBeDefined();
    const fn = /ARG FUNCTION=(\S+)/.exec(dockerfile)?.[1];
    const functions = readdirSync(join(ROOT, 'functions')).filter((n) => existsSync(join(ROOT, 'functions', n, 'src', 'index.ts')));
    expect(functions).toContain(fn);
    expect(dockerfile).toContain('COPY --from=build /src/dist/fn/${FUNCTION}.js');
  });
});
