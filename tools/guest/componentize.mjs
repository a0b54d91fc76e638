#!/usr/bin/env node
// componentize.mjs SOURCE.js WIT WORLD OUT.wasm [DISABLED]
// Builds a JavaScript component with the pinned componentize-js installed next to this script.
// WIT is a .wit file or a folder with deps/; DISABLED is a comma-separated list of the engine's
// features to leave out (stdio, random, clocks, http, fetch-event): each one it keeps adds WASI
// imports. preview2-shim, which runs the WIT tooling inside componentize-js, starts with no
// preopened directories, so nothing could read the WIT from disk without the _setPreopens call;
// the shim is imported by file path so it is the very module instance componentize-js uses.
import { writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [source, wit, world, out, disabled = ''] = process.argv.slice(2);
if (!out) {
  console.error('usage: componentize.mjs SOURCE.js WIT WORLD OUT.wasm [DISABLED]');
  process.exit(2);
}
const modules = join(dirname(fileURLToPath(import.meta.url)), 'node_modules', '@bytecodealliance');
const { _setPreopens } = await import(
  pathToFileURL(join(modules, 'preview2-shim', 'dist', 'nodejs', 'filesystem.js')).href);
const { componentize } = await import(
  pathToFileURL(join(modules, 'componentize-js', 'src', 'componentize.js')).href);
_setPreopens({ '/': '/' });
const { component } = await componentize({
  sourcePath: resolve(source),
  witPath: resolve(wit),
  worldName: world,
  disableFeatures: disabled ? disabled.split(',') : [],
});
await writeFile(out, component);
