// Uses duckdb:database from JavaScript through the bundle; see world.wit for the exports.
import { Database } from 'duckdb:database/sql@0.1.0';

// The bindings give resources a dispose method under this symbol, which drops the handle.
const dispose = Symbol.dispose || Symbol.for('dispose');

// A WIT error (thrown by the bindings with the variant as payload) as text.
function describe(e) {
  const error = e && e.payload !== undefined ? e.payload : e;
  if (error && error.tag === 'duckdb') return `${error.val.kind}: ${error.val.message}`;
  if (error && typeof error.tag === 'string') {
    return error.val === undefined ? error.tag : `${error.tag}: ${error.val}`;
  }
  return String(error);
}

function drop(resource) {
  if (resource && typeof resource[dispose] === 'function') resource[dispose]();
}

// An exact decimal as text: the scaled 128-bit integer with its point put back.
function decimalText({ scale, value }) {
  let n = (BigInt.asIntN(64, value.upper) << 64n) | BigInt.asUintN(64, value.lower);
  const negative = n < 0n;
  if (negative) n = -n;
  let digits = n.toString().padStart(scale + 1, '0');
  if (scale > 0) digits = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${digits}` : digits;
}

// A value (or a scalar inside a nested one) as text; nested values walk their nodes.
function valueText(value, nodes) {
  switch (value.tag) {
    case 'null': return 'NULL';
    case 'decimal': return decimalText(value.val);
    case 'varchar': case 'enum': return nodes ? `'${value.val}'` : value.val;
    case 'nested': return nodeText(value.val, 0);
    default: return String(value.val);
  }
}

function nodeText(nodes, index) {
  const node = nodes[index];
  switch (node.tag) {
    case 'scalar': return valueText(node.val, nodes);
    case 'list': case 'array': return `[${[...node.val].map((i) => nodeText(nodes, i)).join(', ')}]`;
    case 'struct': return `{${node.val.map((f) => `'${f.name}': ${nodeText(nodes, f.value)}`).join(', ')}}`;
    case 'map': return `{${node.val.map((e) => `${nodeText(nodes, e.key)}=${nodeText(nodes, e.value)}`).join(', ')}}`;
    case 'union': return nodeText(nodes, node.val.value);
    default: return `<${node.tag}>`;
  }
}

// The rows of a query-result or row-set as lines of tab-separated values.
function rowLines(columns, rowSet) {
  const lines = [];
  const n = columns.length;
  for (let r = 0; r < rowSet.count; ++r) {
    lines.push(rowSet.values.slice(r * n, (r + 1) * n).map((v) => valueText(v)).join('\t'));
  }
  return lines;
}

function header(columns) {
  return columns.map((c) => `${c.name}:${c.typeName}`).join('\t');
}

function run(connection, sql) {
  const result = connection.execute(sql);
  return [header(result.columns), ...rowLines(result.columns, result.rows)].join(' | ');
}

// Opens the database file `path`, runs `work` with a connection, and closes both.
function withConnection(path, work) {
  let database, connection;
  try {
    database = Database.open(path);
    connection = database.connect();
    return work(connection);
  } catch (e) {
    throw describe(e);
  } finally {
    drop(connection);
    drop(database);
  }
}

export function load(path, rows) {
  return withConnection(path, (connection) => {
    const lines = [];
    connection.execute('CREATE TABLE items (id BIGINT, name VARCHAR, price DECIMAL(10,2))');
    connection.execute('CREATE TABLE tags (item BIGINT, tag VARCHAR)');

    // Bulk load through the appender, in batches of 10 000 rows.
    const appender = connection.appender('items', undefined);
    for (let start = 0; start < rows; start += 10000) {
      const batch = [];
      for (let id = start; id < Math.min(rows, start + 10000); ++id) {
        batch.push([
          { tag: 'bigint', val: BigInt(id) },
          { tag: 'varchar', val: `item ${id}` },
          { tag: 'decimal', val: { width: 10, scale: 2, value: { lower: BigInt(id % 1000) * 100n + 99n, upper: 0n } } },
        ]);
      }
      appender.appendRows(batch);
    }
    appender.close();
    drop(appender);
    lines.push(`loaded: ${run(connection, 'SELECT count(*) AS n FROM items')}`);

    // Parameterised inserts.
    const insert = connection.prepare('INSERT INTO tags VALUES ($item, $tag)');
    for (const [item, tag] of [[1n, 'red'], [2n, 'blue'], [2n, 'green'], [5n, 'red']]) {
      insert.bindNamed('item', { tag: 'bigint', val: item });
      insert.bindNamed('tag', { tag: 'varchar', val: tag });
      insert.execute();
    }
    drop(insert);
    lines.push(`tags: ${run(connection, 'SELECT count(*) AS n FROM tags')}`);
    return lines;
  });
}

export function report(path) {
  return withConnection(path, (connection) => {
    const lines = [];
    lines.push(`aggregate: ${run(connection, 'SELECT sum(price) AS total, max(id) AS top FROM items')}`);
    lines.push(`join: ${run(connection,
      "SELECT t.tag, count(*) AS n, sum(i.price) AS total FROM tags t JOIN items i ON i.id = t.item GROUP BY t.tag ORDER BY t.tag")}`);

    // The table streamed back by row, then by column.
    let cursor = connection.query('SELECT id, name FROM items');
    let count = 0;
    let sum = 0n;
    let text = 0;
    for (;;) {
      const batch = cursor.next(4096);
      if (batch.count === 0) break;
      for (let r = 0; r < batch.count; ++r) {
        sum += batch.values[r * 2].val;
        text += batch.values[r * 2 + 1].val.length;
      }
      count += batch.count;
    }
    drop(cursor);
    lines.push(`by row: ${count} rows, ids sum to ${sum}, ${text} characters of names`);
    cursor = connection.query('SELECT id, name FROM items');
    count = 0;
    sum = 0n;
    text = 0;
    for (;;) {
      const batch = cursor.nextBatch(4096);
      if (batch.rows === 0) break;
      for (const id of batch.columns[0].data.val) sum += id;
      text += batch.columns[1].data.val.data.length;
      count += batch.rows;
    }
    drop(cursor);
    lines.push(`by column: ${count} rows, ids sum to ${sum}, ${text} bytes of names`);

    // Nested and decimal values, exactly.
    lines.push(`values: ${run(connection,
      "SELECT 12345678901234567890.123456789::DECIMAL(38,9) AS d, (-0.05)::DECIMAL(9,3) AS small, " +
      "[{'a': 1, 'b': [1.5::DECIMAL(3,1)]}] AS nested, MAP {'k': [1, 2]} AS m")}`);
    return lines;
  });
}

export function query(path, sql) {
  return withConnection(path, (connection) => {
    const result = connection.execute(sql);
    return [header(result.columns), ...rowLines(result.columns, result.rows)];
  });
}
