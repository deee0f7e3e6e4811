// The TypeScript parser for ESLint (eslint.config.mjs), with its own TypeScript.
//
// typescript-eslint 8 reads TypeScript 4.8 to 6.0 through its JavaScript API; the project
// compiles with TypeScript 7, whose package has no such API. So this workspace depends on
// TypeScript 6.0 of its own, which npm installs in tools/eslint-ts/node_modules. npm still hoists
// some of the parser's dependencies (ts-api-utils) to the root, where `require('typescript')`
// would find TypeScript 7: within the lint process, every `require('typescript')` is this one.
// Only parsing is asked of it (no type information), so the two compilers cannot disagree on
// anything that matters to the lint rules.
const Module = require('node:module');

const typescript = require.resolve('typescript');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'typescript' ? typescript : resolve.call(this, request, ...rest);
};

module.exports = require('@typescript-eslint/parser');
