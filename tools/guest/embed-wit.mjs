#!/usr/bin/env node
// embed-wit.mjs CORE.wasm WIT WORLD OUT.wasm
// Adds the `component-type` custom section for WORLD (of the WIT file or folder WIT) to a core
// module, so `jco new` can make a component that imports and exports that world's interfaces.
// The jco CLI's `embed -n` drops the world name, hence this script. preview2-shim starts with no
// preopened directories, so the tool inside jco could not read WIT from disk without the
// _setPreopens call.
import { _setPreopens } from '@bytecodealliance/preview2-shim/filesystem';
import { componentEmbed } from '@bytecodealliance/jco-transpile/wasm-tools';
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';

const [core, wit, world, out] = process.argv.slice(2);
if (!out) {
  console.error('usage: embed-wit.mjs CORE.wasm WIT WORLD OUT.wasm');
  process.exit(2);
}
_setPreopens({ '/': '/' });
const embedded = await componentEmbed({
  binary: await readFile(core),
  witPath: resolve(wit),
  world,
});
await writeFile(out, embedded);
