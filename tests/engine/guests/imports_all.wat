;; Imports a memory, a table and globals provided by the host or another instance.
(module
  (import "env" "memory" (memory 1))
  (import "env" "table" (table 2 funcref))
  (import "env" "base" (global $base i32))
  (import "env" "acc" (global $acc (mut i64)))
  (func (export "read") (param i32) (result i32) (i32.add (global.get $base) (i32.load8_u (local.get 0))))
  (func (export "add_acc") (param i64) (global.set $acc (i64.add (global.get $acc) (local.get 0))))
  (func (export "table_size") (result i32) (table.size 0))
)
