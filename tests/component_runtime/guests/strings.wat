;; Strings in and out through linear memory, with a bump allocator as realloc.
(component
  (core module $m
    (memory (export "memory") 4)
    (global $next (mut i32) (i32.const 1024))
    (func $realloc (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $ptr i32)
      ;; align up, then bump
      (local.set $ptr
        (i32.and (i32.add (global.get $next) (i32.sub (local.get 2) (i32.const 1)))
                 (i32.sub (i32.const 0) (local.get 2))))
      ;; Start over at the bottom when memory is used up: each call's allocations are dead by the
      ;; next one (the host and the other component copy values out), which lets benchmarks loop.
      (if (i32.gt_u (i32.add (local.get $ptr) (local.get 3)) (i32.const 262144))
        (then (local.set $ptr (i32.const 1024))))
      (global.set $next (i32.add (local.get $ptr) (local.get 3)))
      (local.get $ptr))
    ;; echo(s: string) -> string: returns the same bytes through a (ptr, len) pair at 16.
    (func (export "echo") (param i32 i32) (result i32)
      (i32.store (i32.const 16) (local.get 0))
      (i32.store (i32.const 20) (local.get 1))
      (i32.const 16))
    ;; length(s: string) -> u32
    (func (export "length") (param i32 i32) (result i32) (local.get 1)))
  (core instance $i (instantiate $m))
  (func (export "echo") (param "s" string) (result string)
    (canon lift (core func $i "echo") (memory (core memory $i "memory")) (realloc (core func $i "realloc"))))
  (func (export "length") (param "s" string) (result u32)
    (canon lift (core func $i "length") (memory (core memory $i "memory")) (realloc (core func $i "realloc"))))
)
