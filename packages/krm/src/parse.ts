/**
 * The `yaml` package's parsers, with its unique-key check done in one pass.
 *
 * The package checks each key of a mapping against every earlier one (`uniqueKeys: true`): a
 * mapping of 40,000 keys took 8 s to read, and one flow map, anchor or tag anywhere in a document
 * sends it to this parser. So documents are parsed with `uniqueKeys: false` and every mapping's
 * keys are then checked with a hash. Keys are equal as the package compares them: scalars of the
 * same value (`===`: `1` and `"1"` differ, NaN equals nothing), other keys (collections, aliases)
 * only to themselves. A document with a duplicate is then refused with the package's message:
 * parsed again with its check when that is cheap (the same errors, positions and order), else at
 * the duplicate key (see exactCheapEnough).
 */
import { isAlias, isMap, isNode, isPair, isScalar, isSeq, parseAllDocuments, parseDocument, YAMLParseError, type Document, type EmptyStream } from 'yaml';
import { PARSE_OPTIONS } from './kube-object';

let options: typeof PARSE_OPTIONS | undefined; // read when first used: kube-object imports this module
const parseOptions = (): typeof PARSE_OPTIONS => (options ??= { ...PARSE_OPTIONS, uniqueKeys: false } as unknown as typeof PARSE_OPTIONS);

/** `parseDocument(text, PARSE_OPTIONS)`, in time linear in the number of keys. */
export function parseYaml(text: string): Document.Parsed {
  const doc = parseDocument(text, parseOptions());
  const check = duplicateKeys(doc);
  if (exactCheapEnough(doc, check, text)) return parseDocument(text, PARSE_OPTIONS);
  addErrors(doc, check.found);
  return doc;
}

/** `parseAllDocuments(text, PARSE_OPTIONS)`, in time linear in the number of keys. */
export function parseAllYaml(text: string): Document.Parsed[] | EmptyStream {
  const docs = parseAllDocuments(text, parseOptions());
  if (!Array.isArray(docs)) return docs;
  const checks = docs.map(duplicateKeys);
  if (docs.some((d, i) => exactCheapEnough(d, checks[i]!, text))) return parseAllDocuments(text, PARSE_OPTIONS);
  docs.forEach((d, i) => addErrors(d, checks[i]!.found));
  return docs;
}

/**
 * Whether to parse again with the package's own check, for its very errors: where it costs
 * little, at most EXACT_BUDGET comparisons (the sum of each mapping's size squared, or for a
 * document where the package gave up on a collection, a stack overflow that lost the duplicates
 * it had seen, a bound from the text's length). Past that budget the duplicates are merged into
 * the other errors by position, at their key: the package reports some errors of a collection
 * after those of its contents, and a key after an empty value at the end of the line before, so
 * there the first error of a document can be another one, or that key's own line.
 */
function exactCheapEnough(doc: Document.Parsed, check: { found: Duplicate[]; cost: number }, text: string): boolean {
  if (doc.errors.some((e) => e.code === 'RESOURCE_EXHAUSTION')) return (text.length * text.length) / 8 <= EXACT_BUDGET;
  return check.found.length > 0 && check.cost <= EXACT_BUDGET;
}

const EXACT_BUDGET = 1_000_000;

const MESSAGE = 'Map keys must be unique';


interface Duplicate {
  /** Where the key starts: the package's position for the error. */
  at: number;
  /** Where it ends: the package reports the error right after composing the key. */
  keyEnd: number;
}

/** Every key equal to an earlier one of its mapping, and the package's cost of finding them. */
function duplicateKeys(doc: Document.Parsed): { found: Duplicate[]; cost: number } {
  const found: Duplicate[] = [];
  let cost = 0;
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!isNode(node) || isAlias(node) || isScalar(node)) continue;
    if (isMap(node)) {
      const n = node.items.length;
      cost += (n * (n - 1)) / 2;
      const seen = n > 1 ? new Set<unknown>() : undefined;
      for (const pair of node.items) {
        const key = pair.key;
        if (seen && isScalar(key) && key.value === key.value /* not NaN */) {
          if (seen.has(key.value)) found.push({ at: key.range?.[0] ?? 0, keyEnd: key.range?.[1] ?? 0 });
          else seen.add(key.value);
        }
        stack.push(pair.value, key);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) {
        if (isPair(item)) stack.push(item.value, item.key);
        else stack.push(item);
      }
    }
  }
  return { found, cost };
}

/** Adds a DUPLICATE_KEY error for each, merged into the other errors by position. */
function addErrors(doc: Document.Parsed, found: Duplicate[]): void {
  if (found.length === 0) return;
  found.sort((a, b) => a.at - b.at);
  const merged = [];
  let i = 0;
  for (const dup of found) {
    while (i < doc.errors.length && doc.errors[i]!.pos[0] <= dup.keyEnd) merged.push(doc.errors[i++]!);
    merged.push(new YAMLParseError([dup.at, dup.at + 1], 'DUPLICATE_KEY', MESSAGE));
  }
  while (i < doc.errors.length) merged.push(doc.errors[i++]!);
  doc.errors = merged;
}
