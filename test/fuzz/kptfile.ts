/** A Kptfile for the tests' scratch packages: local config, flatnet's exec bundles, as kpt reads them. */
export function kptfile(name: string, mutators: readonly string[], validators: readonly string[] = []): string {
  const steps = (fns: readonly string[]): string => fns.map((f) => `  - exec: ./dist/fn/${f}.js\n`).join('');
  return (
    `apiVersion: kpt.dev/v1\nkind: Kptfile\nmetadata:\n  name: ${name}\n  annotations:\n    config.kubernetes.io/local-config: "true"\n` +
    (mutators.length || validators.length ? 'pipeline:\n' : '') +
    (mutators.length ? `  mutators:\n${steps(mutators)}` : '') +
    (validators.length ? `  validators:\n${steps(validators)}` : '')
  );
}

/** The canonical chain, as the Kptfile of examples/fleet runs it. */
export const CHAIN = ['generate-flat-network', 'set-cluster-namespace', 'expand-cluster-cidr', 'inject-peer-labels'];
