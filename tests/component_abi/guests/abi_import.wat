;; A guest that calls a lowered import whose parameters (17 x u32) and result (tuple<u32, u64>)
;; both travel through memory: the core import takes (params_ptr, out_ptr).
(module
  (import "host" "spilled" (func $spilled (param i32 i32)))
  (memory (export "memory") 1)
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) (i32.const 2048))

  ;; Writes a[i] = i + 1 at 512, calls the import with the result area at 1024 and returns
  ;; result.0 + result.1 (the u64 truncated).
  (func (export "call_spilled") (result i32)
    (local $i i32)
    (loop $next
      (i32.store (i32.add (i32.const 512) (i32.shl (local.get $i) (i32.const 2)))
                 (i32.add (local.get $i) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 17))))
    (call $spilled (i32.const 512) (i32.const 1024))
    (i32.add (i32.load (i32.const 1024)) (i32.wrap_i64 (i64.load (i32.const 1032)))))
)
