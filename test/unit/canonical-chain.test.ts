/** The root Kptfile is the canonical chain, and the fleet example runs exactly that chain. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..');
const pipelineOf = (file: string) => (parse(readFileSync(join(ROOT, file), 'utf8')) as { pipeline: unknown }).pipeline;

describe('the canonical chain', () => {
  it('is generate → set-cluster-namespace → expand-cluster-cidr → inject-peer-labels, then validate', () => {
    expect(pipelineOf('Kptfile')).toEqual({
      mutators: [
        { exec: './dist/fn/generate-flat-network.js' },
        { exec: './dist/fn/set-cluster-namespace.js' },
        { exec: './dist/fn/expand-cluster-cidr.js' },
        { exec: './dist/fn/inject-peer-labels.js' },
      ],
      validators: [{ exec: './dist/fn/validate-flat-network.js', configPath: 'gate.yaml' }],
    });
  });

  it('is what examples/fleet runs', () => {
    expect(pipelineOf('examples/fleet/Kptfile')).toEqual(pipelineOf('Kptfile'));
  });
});
