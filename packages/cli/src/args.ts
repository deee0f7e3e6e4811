/** A small, strict argument parser: unknown flags are usage errors (exit 2). */
export class UsageError extends Error {}

export interface FlagSpec {
  /** Flags that take a value (`--format json` or `--format=json`). */
  values: readonly string[];
  /** Flags without a value. */
  switches: readonly string[];
  /** Short aliases: `-f` -> `--format`. */
  aliases?: Readonly<Record<string, string>>;
}

export interface Parsed {
  flags: Map<string, string | true>;
  positional: string[];
}

export function parseArgs(argv: readonly string[], spec: FlagSpec): Parsed {
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i]!;
    if (arg === '--') {
      for (const x of argv.slice(i + 1)) positional.push(x);
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    let value: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const name = spec.aliases?.[arg] ?? arg;
    if (spec.switches.includes(name)) {
      if (value !== undefined) throw new UsageError(`${name} takes no value`);
      flags.set(name, true);
    } else if (spec.values.includes(name)) {
      if (value === undefined) {
        value = argv[++i];
        if (value === undefined) throw new UsageError(`${name} needs a value`);
      }
      flags.set(name, value);
    } else {
      throw new UsageError(`unknown option "${arg}"`);
    }
  }
  return { flags, positional };
}
