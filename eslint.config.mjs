// `npm run lint` (part of `npm test`): regular expressions that can take super-linear time.
//
// - regexp/no-super-linear-backtracking, everywhere: an expression whose quantifiers can trade
//   characters between them (`\s*#.*\n|\s*\n` repeated) backtracks polynomially or exponentially
//   on one unlucky string, whatever calls it.
// - regexp/no-super-linear-move, where expressions run on input (packages/*/src, functions/*/src,
//   the generated validators among them): a search (`exec`, `test`, `replace`, `split` without `^`)
//   retries at every position, so `\s+$` on a long run of spaces that ends in a letter costs
//   n²/2. Tests, scripts and the benchmark read only texts of our own (a test's output, the
//   build's bundles, the schemas), small or fixed; there the rule would flag every
//   `split(/\n+/)` of a process's output, so it is off.
//
// A regular expression that only ever runs on our own constants may be exempted with an
// `eslint-disable-next-line` comment saying why. The generated validators (ajv's standalone code,
// whose schema `pattern`s run on input) are linted like the rest, so they carry no eslint-disable.
import regexp from 'eslint-plugin-regexp';
import tsParser from './tools/eslint-ts/index.cjs';

const INPUT = ['packages/*/src/**/*.{ts,js}', 'functions/*/src/**/*.{ts,js}'];

export default [
  { ignores: ['**/node_modules/**', 'dist/**', 'coverage/**', 'scratch/**', '**/*.d.ts', '**/testdata/**'] },
  {
    files: ['**/*.{ts,mjs,cjs,js}'],
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { regexp },
    rules: { 'regexp/no-super-linear-backtracking': 'error' },
  },
  { files: ['**/*.ts'], languageOptions: { parser: tsParser } },
  { files: ['**/*.cjs', 'jest.config.js', 'packages/api/src/generated/*.js'], languageOptions: { sourceType: 'commonjs' } },
  { files: INPUT, rules: { 'regexp/no-super-linear-move': 'error' } },
];
