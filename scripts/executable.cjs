// The executables of dist/ and their V8 code caches (used by scripts/build.mjs and the tests).
//
// An executable is a small loader followed by the esbuild bundle as a string literal. The loader
// compiles the bundle with `vm.Script`, giving V8 the code cache in `<executable>.v8cache` when
// that file was made for exactly this bundle, and runs it as Node runs a CommonJS module (the
// loader's own exports, require, module, __filename and __dirname). The cache is optional: without
// it, or with any cache not made for this bundle, the bundle is compiled as usual.
//
// Cache file: a 64-byte ASCII header, then the bytes of `script.createCachedData()`:
//   "flatnet-v8cache 1 <32 hex: sha256 of the compiled text> <8 hex: crc32 of the V8 data>" + spaces + "\n"
// V8 checks a cache only against the source's LENGTH, its own version and its flags, and does not
// checksum the data in release builds (a flipped byte runs wrong bytecode or aborts the process).
// So the loader uses a cache only when the header names the text it compiles and the data's crc32
// is right; otherwise, or when V8 rejects it (another Node, other V8 flags), it compiles without.
// It writes a cache only when FLATNET_WRITE_CODE_CACHE names the file to write (the build does
// that), at process exit, through a temporary file renamed into place.
'use strict';
const { createHash } = require('node:crypto');

const CACHE_SUFFIX = '.v8cache';
const HEADER_BYTES = 64;
const MAGIC = 'flatnet-v8cache 1';
// The CommonJS wrapper, spelled here (not Module.wrap, which can be patched at run time) so that
// the hash covers every character V8 compiles.
const WRAP_HEAD = '(function (exports, require, module, __filename, __dirname) { ';
const WRAP_TAIL = '\n});';
const LAST_LINE_HEAD = '})(';
const LAST_LINE_TAIL = ');\n';

/** What V8 compiles for a bundle: its text without the shebang (the line kept, so lines match), wrapped. */
function compiledText(bundle) {
  return WRAP_HEAD + bundle.replace(/^#![^\n]*/, '') + WRAP_TAIL;
}

/** The hash a cache's header must carry for this bundle. */
function bundleHash(bundle) {
  return createHash('sha256').update(compiledText(bundle)).digest('hex').slice(0, 32);
}

/** The executable file's text for an esbuild bundle (CommonJS). Same bundle, same bytes. */
function executable(esbuildOutput) {
  const bundle = esbuildOutput.replace(/^#![^\n]*/, ''); // the shebang is the loader's (the line is kept)
  const hash = bundleHash(bundle);
  const loader = `#!/usr/bin/env node
// Built by flatnet's scripts/build.mjs. The program is the bundle in the string at the end of this
// file. It is compiled with V8's code cache from "<this file>${CACHE_SUFFIX}" when that file was made
// for exactly this bundle (header hash and crc32 checked); else, or with no such file, as usual.
'use strict';
((source) => {
  const fs = require('fs');
  const vm = require('vm');
  const head = ${JSON.stringify(`${MAGIC} ${hash} `)};
  const text = ${JSON.stringify(WRAP_HEAD)} + source + ${JSON.stringify(WRAP_TAIL)};
  const cacheFile = __filename + ${JSON.stringify(CACHE_SUFFIX)};
  const crc = (data) => {
    const zlib = require('zlib');
    return typeof zlib.crc32 === 'function' ? zlib.crc32(data).toString(16).padStart(8, '0') : undefined;
  };
  let cachedData;
  let state = 'absent';
  try {
    const buf = fs.readFileSync(cacheFile);
    if (buf.length <= ${HEADER_BYTES} || buf.toString('latin1', 0, head.length) !== head) state = 'not made for this bundle';
    else {
      const data = buf.subarray(${HEADER_BYTES});
      const sum = crc(data);
      if (sum === undefined) state = 'not checked (zlib.crc32 needs Node 20.15 or later)';
      else if (buf.toString('latin1', head.length, head.length + 8) !== sum) state = 'corrupt';
      else cachedData = data;
    }
  } catch (e) {
    state = e && e.code === 'ENOENT' ? 'absent' : 'unreadable';
  }
  const script = new vm.Script(text, cachedData ? { filename: __filename, cachedData } : { filename: __filename });
  if (cachedData) state = script.cachedDataRejected ? 'rejected by V8 (another Node or other V8 flags)' : 'used';
  if (process.env.FLATNET_DEBUG_CODE_CACHE) process.stderr.write('flatnet: code cache ' + cacheFile + ': ' + state + '\\n');
  const out = process.env.FLATNET_WRITE_CODE_CACHE;
  if (out) {
    delete process.env.FLATNET_WRITE_CODE_CACHE;
    process.on('exit', () => {
      const tmp = out + '.' + process.pid + '.tmp';
      try {
        const data = script.createCachedData();
        const sum = crc(data);
        if (sum === undefined) throw new Error('zlib.crc32 needs Node 20.15 or later');
        const header = Buffer.alloc(${HEADER_BYTES}, ' ');
        header.write(head + sum, 'latin1');
        header[${HEADER_BYTES - 1}] = 10;
        fs.writeFileSync(tmp, Buffer.concat([header, data]));
        fs.renameSync(tmp, out);
      } catch (e) {
        try { fs.rmSync(tmp, { force: true }); } catch {}
        process.stderr.write('flatnet: could not write the code cache ' + out + ': ' + (e && e.message) + '\\n');
        process.exitCode = 70;
      }
    });
  }
  script.runInThisContext().call(module.exports, exports, require, module, __filename, __dirname);
`;
  // Non-ASCII characters (esbuild leaves them in comments) escaped: the file is ASCII, which Node
  // reads and V8 scans faster than two-byte text. The string's value is the bundle all the same.
  const literal = JSON.stringify(bundle).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return { text: `${loader}${LAST_LINE_HEAD}${literal}${LAST_LINE_TAIL}`, hash };
}

/** The bundle embedded in an executable's text (its last line). */
function embeddedBundle(text) {
  const start = text.lastIndexOf(`\n${LAST_LINE_HEAD}"`);
  if (start < 0 || !text.endsWith(LAST_LINE_TAIL)) throw new Error('not a flatnet executable: no embedded bundle on its last line');
  return JSON.parse(text.slice(start + 1 + LAST_LINE_HEAD.length, text.length - LAST_LINE_TAIL.length));
}

/** The loader of an executable: everything but the embedded bundle, with the hash blanked. */
function loaderOf(text) {
  const start = text.lastIndexOf(`\n${LAST_LINE_HEAD}"`);
  return text.slice(0, start + 1).replace(new RegExp(`${MAGIC} [0-9a-f]{32} `), `${MAGIC} <hash> `);
}

/** The header of a cache file, parsed; undefined when it is not one. */
function cacheHeader(buf) {
  if (buf.length <= HEADER_BYTES) return undefined;
  const m = /^flatnet-v8cache 1 ([0-9a-f]{32}) ([0-9a-f]{8}) *\n$/.exec(buf.toString('latin1', 0, HEADER_BYTES));
  return m ? { hash: m[1], crc32: m[2] } : undefined;
}

module.exports = { CACHE_SUFFIX, HEADER_BYTES, bundleHash, cacheHeader, compiledText, embeddedBundle, executable, loaderOf };
