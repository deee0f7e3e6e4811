/**
 * Running a function: `execute` is the whole protocol as a pure string-to-string step (used by the
 * bundles, the CLI, the golden kit and the in-process pipeline); `run` adds stdin/stdout/exit code.
 *
 * Contract, as kpt users expect from the Go SDK: the output ResourceList is always written, also
 * on failure; the exit code is 1 when any result is an error; stderr gets one line, never a stack
 * trace (set FLATNET_DEBUG=1 to see one).
 */
import { loadConfig, type ConfigSpec } from './config';
import { KrmInputError, LIMITS, decodeText, parseResourceList, serializeResourceList, type ResourceList } from './resource-list';
import { generalResult, hasErrors, sortResults, type Result } from './result';

export type FunctionKind = 'generator' | 'mutator' | 'validator';

export interface KrmFunction<C> {
  /** `verb-noun`, as in the catalog: `set-cluster-namespace`. */
  name: string;
  kind: FunctionKind;
  /** One line for `--help`. */
  description: string;
  /** `never`: any typed raw form fits; loadConfig hands it the schema-checked value. */
  config: ConfigSpec<C, never>;
  /**
   * The processor: pure over the in-memory list. It may edit, add or remove items of a
   * generator or mutator; a validator must not change any item. Returns its results.
   */
  process(list: ResourceList, config: C): Result[];
}

export interface Outcome {
  stdout: string;
  stderr: string;
  exitCode: 0 | 1;
  /** The list after the function, for in-process callers; undefined when the input was unusable. */
  list?: ResourceList;
}

export function execute<C>(fn: KrmFunction<C>, input: string): Outcome {
  let parsed;
  try {
    parsed = parseResourceList(input);
  } catch (e) {
    return failure(fn.name, e, { items: [], results: [] });
  }
  return executeParsed(fn, parsed.list, (list) => serializeResourceList(list, parsed.layout), () => parseResourceList(input).list);
}

/**
 * Runs `fn` over an already parsed list (the pipeline's entry). `reload` gives a pristine copy of
 * the input, so that a function that fails half-way never leaks half-made edits.
 */
export function executeParsed<C>(
  fn: KrmFunction<C>,
  list: ResourceList,
  serialize: (list: ResourceList) => string,
  reload: () => ResourceList,
): Outcome {
  const p = processList(fn, list);
  if (p.crash !== undefined) return failure(fn.name, p.crash, safeReload(reload));
  return { stdout: serialize(p.list), stderr: summary(fn.name, p.list.results), exitCode: p.exitCode, list: p.list };
}

export interface Processed {
  /** The list after the function (items edited in place), with sorted results. */
  list: ResourceList;
  exitCode: 0 | 1;
  /** One line for stderr ('' when no error). */
  stderr: string;
  /** What a crashing function threw: the list's items may be half-edited, throw them away. */
  crash?: unknown;
}

/** Config loading and the processor over an in-memory list: the in-process pipeline's step. */
export function processList<C>(fn: KrmFunction<C>, list: ResourceList): Processed {
  const loaded = loadConfig(list.functionConfig, fn.config, fn.name);
  if (!loaded.config) {
    const out: ResourceList = { ...list, results: sortResults(loaded.results) };
    return { list: out, exitCode: 1, stderr: summary(fn.name, out.results) };
  }
  let results: Result[];
  const before = fn.kind === 'validator' ? list.items.map((i) => [i, i.revision] as const) : [];
  try {
    results = fn.process(list, loaded.config);
    if (fn.kind === 'validator') {
      const changed = before.find(([i, rev]) => i.revision !== rev)?.[0];
      if (changed) throw new Error(`validator ${fn.name} modified ${changed.describe()}`);
      if (list.items.length !== before.length || list.items.some((i, n) => i !== before[n]![0])) throw new Error(`validator ${fn.name} added or removed items`);
    }
  } catch (e) {
    if (e instanceof KrmInputError) {
      // An item the function had to re-read turned out unreadable: the input's fault, not a bug.
      return { list: { ...list, results: [generalResult('error', e.message, { 'flatnet.dev/error': e.code })] }, exitCode: 1, stderr: `${fn.name}: ${e.message}\n`, crash: e };
    }
    const message = `internal error in ${fn.name}: ${e instanceof Error ? e.message : String(e)}`;
    if (process.env.FLATNET_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    return { list: { ...list, results: [generalResult('error', message, { 'flatnet.dev/error': 'internal' })] }, exitCode: 1, stderr: `${fn.name}: ${message}\n`, crash: e };
  }
  const out: ResourceList = { items: list.items, functionConfig: list.functionConfig, results: sortResults([...loaded.results, ...results]) };
  return { list: out, exitCode: hasErrors(out.results) ? 1 : 0, stderr: summary(fn.name, out.results) };
}

function safeReload(reload: () => ResourceList): ResourceList {
  try {
    return reload();
  } catch {
    return { items: [], results: [] };
  }
}

function failure(name: string, e: unknown, list: ResourceList): Outcome {
  const input = e instanceof KrmInputError;
  const message = input ? e.message : `internal error in ${name}: ${e instanceof Error ? e.message : String(e)}`;
  if (!input && process.env.FLATNET_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
  const tags = input ? { 'flatnet.dev/error': e.code } : { 'flatnet.dev/error': 'internal' };
  const out: ResourceList = { items: list.items, functionConfig: list.functionConfig, results: [generalResult('error', message, tags)] };
  return { stdout: serializeResourceList(out), stderr: `${name}: ${oneLine(message)}\n`, exitCode: 1 };
}

function summary(name: string, results: readonly Result[]): string {
  const errors = results.filter((r) => r.severity === 'error');
  if (errors.length === 0) return '';
  const first = errors[0]!;
  const where = first.file ? `${first.file.path}: ` : '';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
  return `${name}: ${where}${oneLine(first.message)}${more}\n`;
}

// Each run of white space that holds a line break becomes one space. A scan, not the expression
// `\s*\n\s*` (global), which restarted at every space of a long run without one (quadratic).
function oneLine(s: string): string {
  if (!s.includes('\n')) return s;
  let out = '';
  let i = 0;
  while (i < s.length) {
    let j = i;
    while (j < s.length && WHITE.test(s[j]!)) j++;
    if (j === i) {
      out += s[i];
      i++;
      continue;
    }
    const run = s.slice(i, j);
    out += run.includes('\n') ? ' ' : run;
    i = j;
  }
  return out;
}
const WHITE = /\s/;

/** Decodes stdin strictly (see decodeText); `size` counts bytes read but not kept. */
export function decodeInput(bytes: Uint8Array, size = bytes.length): string {
  return decodeText(bytes, 'input', size);
}

/** All of stdin; past LIMITS.maxInputBytes it is drained but not kept (memory stays bounded). */
async function readStdin(): Promise<{ bytes: Uint8Array; size: number }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    size += (chunk as Buffer).length;
    if (size <= LIMITS.maxInputBytes) chunks.push(chunk as Buffer);
    else chunks.length = 0;
  }
  return { bytes: Buffer.concat(chunks), size };
}

function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve) => {
    if (!text) return resolve();
    stream.on('error', () => resolve()); // EPIPE: the reader went away; nothing more to do
    stream.write(text, () => resolve());
  });
}

/** The entry point of a function bundle: stdin to stdout, exit code from the results. */
export async function run<C>(fn: KrmFunction<C>, argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    await write(process.stdout, `${fn.name} (${fn.kind}): ${fn.description}\n\nReads a ResourceList (config.kubernetes.io/v1) on stdin and writes one on stdout,\nas the KRM Functions Specification says. Config: a ConfigMap or a ${fn.config.kind} (${fn.config.apiVersion}).\n`);
    return;
  }
  let outcome: Outcome;
  try {
    const input = await readStdin();
    outcome = execute(fn, decodeInput(input.bytes, input.size));
  } catch (e) {
    outcome = failure(fn.name, e, { items: [], results: [] });
  }
  await write(process.stdout, outcome.stdout);
  await write(process.stderr, outcome.stderr);
  process.exitCode = outcome.exitCode;
}
