// Uses wasi:keyvalue buckets from JavaScript; see world.wit for what each export does.
import { open } from 'wasi:keyvalue/store@0.2.0-draft';
import { increment } from 'wasi:keyvalue/atomics@0.2.0-draft';
import { getMany, setMany, deleteMany } from 'wasi:keyvalue/batch@0.2.0-draft';

const encoder = new TextEncoder();
// The bindings give resources a dispose method under this symbol, which drops the handle.
const dispose = Symbol.dispose || Symbol.for('dispose');
const decoder = new TextDecoder();

// A wasi:keyvalue error (thrown by the bindings as an error whose payload is the variant) as
// text.
function describe(e) {
  const error = e && e.payload !== undefined ? e.payload : e;
  if (error && typeof error.tag === 'string') {
    return error.tag === 'other' ? `other: ${error.val}` : error.tag;
  }
  return String(error);
}

// Runs f(bucket) and drops the bucket handle afterwards.
function withBucket(identifier, f) {
  const bucket = open(identifier);
  try {
    return f(bucket);
  } finally {
    if (typeof bucket[dispose] === 'function') bucket[dispose]();
  }
}

function app(f) {
  return withBucket('app', f);
}

function text(bytes) {
  return bytes === undefined ? undefined : decoder.decode(bytes);
}

export function put(key, value) {
  app((b) => b.set(key, encoder.encode(value)));
}

export function fetch(key) {
  return app((b) => text(b.get(key)));
}

export function remove(key) {
  return app((b) => {
    const existed = b.exists(key);
    b.delete(key);
    return existed;
  });
}

export function bump(key) {
  return app((b) => increment(b, key, 1n));
}

export function tryBump(key, delta) {
  try {
    return app((b) => increment(b, key, delta));
  } catch (e) {
    throw describe(e);
  }
}

export function keys() {
  return app((b) => {
    const all = [];
    let cursor = undefined;
    do {
      const page = b.listKeys(cursor);
      all.push(...page.keys);
      cursor = page.cursor;
    } while (cursor !== undefined);
    return all.sort();
  });
}

export function putMany(entries) {
  app((b) => setMany(b, entries.map(([k, v]) => [k, encoder.encode(v)])));
}

export function fetchMany(keys) {
  return app((b) => getMany(b, keys).map((pair) => (pair === undefined ? undefined : text(pair[1]))));
}

export function removeMany(keys) {
  app((b) => deleteMany(b, keys));
}

export function tryOpen(identifier) {
  try {
    withBucket(identifier, () => {});
  } catch (e) {
    throw describe(e);
  }
}

export function putIn(bucket, key, value) {
  try {
    withBucket(bucket, (b) => b.set(key, encoder.encode(value)));
  } catch (e) {
    throw describe(e);
  }
}

export function fetchIn(bucket, key) {
  try {
    return withBucket(bucket, (b) => text(b.get(key)));
  } catch (e) {
    throw describe(e);
  }
}
