import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { load, CORE_SCHEMA } from 'js-yaml';
import { readBlockYaml } from '../packages/krm/src/block-yaml';
import { splitDocuments } from '../packages/krm/src/fast';
const dir = process.argv[2]!;
const texts: string[] = [];
for (const f of readdirSync(dir).sort()) for (const c of splitDocuments(readFileSync(join(dir, f), 'utf8'))) texts.push(c.text);
for (let r = 0; r < 4; r++) {
let s = performance.now();
texts.map((t) => readBlockYaml(t));
const t1 = performance.now() - s; s = performance.now();
texts.map((t) => load(t, { schema: CORE_SCHEMA }));
console.log(t1.toFixed(1), (performance.now() - s).toFixed(1));
}
