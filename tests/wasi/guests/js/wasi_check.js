// The JavaScript twin of wasi_check.c (the same modes and output), on the WASI 0.2 interfaces
// directly.
import { getArguments, getEnvironment } from 'wasi:cli/environment@0.2.12';
import { exit, exitWithCode } from 'wasi:cli/exit@0.2.12';
import { getStdin } from 'wasi:cli/stdin@0.2.12';
import { getDirectories } from 'wasi:filesystem/preopens@0.2.12';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

// The preopen `name` and the rest of `path` below it, or undefined.
function locate(path) {
  for (const [descriptor, name] of getDirectories()) {
    if (path.startsWith(name + '/')) return [descriptor, path.slice(name.length + 1)];
  }
  return undefined;
}

function open(path, openFlags, flags) {
  const found = locate(path);
  if (!found) throw { payload: 'no-entry' };
  return found[0].openAt({}, found[1], openFlags, flags);
}

function files(dir) {
  let input;
  try {
    input = open(`${dir}/input.txt`, {}, { read: true });
  } catch (e) {
    console.log(`cannot open ${dir}/input.txt`);
    return 1;
  }
  const [bytes] = input.read(4096n, 0n);
  console.log(`input: ${decoder.decode(bytes).split('\n')[0]}`);
  try {
    const output = open(`${dir}/output.txt`, { create: true, truncate: true }, { write: true });
    output.write(encoder.encode('written by the guest\n'), 0n);
  } catch (e) {
    console.log(`cannot create ${dir}/output.txt`);
    return 1;
  }
  const entries = locate(`${dir}/.`)[0].readDirectory();
  let count = 0;
  while (entries.readDirectoryEntry() !== undefined) ++count;
  console.log(`entries: ${count}`);
  return 0;
}

function main(args) {
  const mode = args[1];
  if (mode === 'args') {
    console.log(`argc: ${args.length}`);
    for (const arg of args.slice(1)) console.log(`arg: ${arg}`);
    return 0;
  }
  if (mode === 'env') {
    const env = new Map(getEnvironment());
    for (const name of args.slice(2)) {
      console.log(env.has(name) ? `${name}=${env.get(name)}` : `${name} unset`);
    }
    return 0;
  }
  if (mode === 'stdin') {
    const stdin = getStdin();
    const chunks = [];
    for (;;) {
      try {
        chunks.push(stdin.blockingRead(4096n));
      } catch (e) {
        break;  // closed: the end of stdin
      }
    }
    const text = chunks.map((c) => decoder.decode(c)).join('');
    console.log(text.endsWith('\n') ? text.slice(0, -1) : text);
    return 0;
  }
  if (mode === 'files' && args.length === 3) return files(args[2]);
  if (mode === 'escape') {
    let opened = 0;
    for (const path of args.slice(2)) {
      try {
        open(path, {}, { read: true });
        console.log(`${path}: OPENED`);
        ++opened;
      } catch (e) {
        console.log(`${path}: denied`);
      }
    }
    return opened;
  }
  if (mode === 'exit' && args.length === 3) return Number(args[2]);
  return 2;
}

export const run = {
  run() {
    const status = main(getArguments());
    if (status === 0) return;
    // A WASI 0.2.12 guest can carry its exit code.
    exitWithCode(status);
    exit({ tag: 'err' });
  },
};
