;; A memory the host reads and writes, and which the guest grows.
(module
  (memory (export "memory") 1 8)
  (data (i32.const 16) "hello")
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size))
  (func (export "load") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "store") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
  (func (export "grow_until_refused") (result i32)
    (block $refused
      (loop $again
        (br_if $refused (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
        (br $again)))
    (memory.size))
  (func (export "abort_when_full")
    (if (i32.eq (memory.grow (i32.const 64)) (i32.const -1)) (then unreachable)))
)
