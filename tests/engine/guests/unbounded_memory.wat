;; A memory with no declared maximum, and one that needs 2 MiB from the start.
(module
  (memory (export "memory") 1)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
