#!/usr/bin/env node
/**
 * The `flatnet` command. Exit codes: 0 success, 1 findings or failed function, 2 usage error.
 */
import { run } from '@flatnet/krm';
import { runCheck, todayUTC } from './check';
import { runArgocd } from './argocd';
import { runHydrate } from './hydrate';
import { runRender } from './render';
import { runScaffold } from './scaffold';
import { FUNCTIONS } from './registry';

declare const FLATNET_VERSION: string | undefined;
const VERSION = typeof FLATNET_VERSION === 'string' ? FLATNET_VERSION : 'dev';

const HELP = `flatnet — KRM functions for Google Distributed Cloud flat-mode BGP networking

Usage:
  flatnet render PKG         run a package's Kptfile pipeline in-process (no kpt, no containers)
  flatnet hydrate PKG -o DIR render, then write what the admin cluster applies (Config Sync, Argo CD)
  flatnet argocd generate    Argo CD plugin: render, check, print what to apply (run by the CMP server)
  flatnet argocd discover    Argo CD plugin: does the app path hold a flatnet package?
  flatnet check [PATH...]    validate files and directories of manifests (text, json, sarif, junit)
  flatnet scaffold argocd|configsync   print an ApplicationSet or RootSyncs for a fleet of admin clusters
  flatnet fn <function>      run a function: ResourceList on stdin, ResourceList on stdout
  flatnet fn --list          list the functions
  flatnet --version          print the version
  flatnet --help             this help

Functions:
${[...FUNCTIONS.values()].map((f) => `  ${f.name.padEnd(24)} ${f.kind}: ${f.description}`).join('\n')}

Each function is also a standalone executable: dist/fn/<function>.js, for a Kptfile's \`exec:\`.
`;

function writeOut(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((done) => (text ? stream.write(text, () => done()) : done()));
}


function usage(message: string): void {
  process.stderr.write(`flatnet: ${message}\nRun 'flatnet --help' for usage.\n`);
  process.exitCode = 2;
}

async function main(argv: string[]): Promise<void> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(HELP);
    if (cmd === undefined) process.exitCode = 2;
    return;
  }
  if (cmd === '--version' || cmd === 'version') {
    process.stdout.write(`flatnet ${VERSION}\n`);
    return;
  }
  if (cmd === 'render' || cmd === 'hydrate' || cmd === 'argocd' || cmd === 'scaffold') {
    const out =
      cmd === 'render'
        ? runRender(rest, process.cwd())
        : cmd === 'hydrate'
          ? runHydrate(rest, process.cwd())
          : cmd === 'scaffold'
            ? runScaffold(rest, process.cwd())
            : runArgocd(rest, process.cwd(), process.env, todayUTC);
    await writeOut(process.stdout, out.stdout);
    await writeOut(process.stderr, out.stderr);
    process.exitCode = out.exitCode;
    return;
  }
  if (cmd === 'check') {
    const out = runCheck(rest, { cwd: process.cwd(), version: VERSION, today: todayUTC });
    await writeOut(process.stdout, out.stdout);
    await writeOut(process.stderr, out.stderr);
    process.exitCode = out.exitCode;
    return;
  }
  if (cmd === 'fn') {
    const name = rest[0];
    if (name === '--list') {
      process.stdout.write([...FUNCTIONS.keys()].join('\n') + '\n');
      return;
    }
    if (!name) return usage('fn needs a function name: ' + [...FUNCTIONS.keys()].join(', '));
    const fn = FUNCTIONS.get(name);
    if (!fn) return usage(`unknown function "${name}": use one of ${[...FUNCTIONS.keys()].join(', ')}`);
    return run(fn, rest.slice(1));
  }
  return usage(`unknown command "${cmd}"`);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`flatnet: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  if (process.env.FLATNET_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
  process.exitCode = 1;
});
