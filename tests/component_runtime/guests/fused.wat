;; One component calling another's lifted functions: the calls berth fuses through native
;; structs. The callee's post-return scribbles over the string it returned, so the caller must
;; have its copy before post-return runs; `pick` passes a result whose cases join f32 and u64;
;; `sum17` has 17 parameters, which spill to memory on both sides.
(component
  (component $callee
    (core module $m
      (memory (export "memory") 1)
      (global $next (mut i32) (i32.const 1024))
      (func (export "realloc") (param i32 i32 i32 i32) (result i32)
        (local $ptr i32)
        (local.set $ptr
          (i32.and (i32.add (global.get $next) (i32.sub (local.get 2) (i32.const 1)))
                   (i32.sub (i32.const 0) (local.get 2))))
        ;; Start over at the bottom when memory is used up: each call's allocations are dead by
        ;; the next one (values are copied out), which lets benchmarks loop.
        (if (i32.gt_u (i32.add (local.get $ptr) (local.get 3)) (i32.const 65536))
          (then (local.set $ptr (i32.const 1024))))
        (global.set $next (i32.add (local.get $ptr) (local.get 3)))
        (local.get $ptr))
      ;; echo(s) -> s, through a (ptr, len) pair at 16.
      (func (export "echo") (param i32 i32) (result i32)
        (i32.store (i32.const 16) (local.get 0))
        (i32.store (i32.const 20) (local.get 1))
        (i32.const 16))
      (func (export "echo-post") (param $ret i32)
        (memory.fill (i32.load (local.get $ret)) (i32.const 0x58) (i32.load offset=4 (local.get $ret))))
      ;; pick(v) -> v: the discriminant at 32, the joined payload at 40.
      (func (export "pick") (param i32 i64) (result i32)
        (i32.store8 (i32.const 32) (local.get 0))
        (i64.store (i32.const 40) (local.get 1))
        (i32.const 32))
      ;; sum17(a0 .. a16): the parameters arrive as one pointer to 17 u32s.
      (func (export "sum17") (param $p i32) (result i32)
        (local $i i32) (local $sum i32)
        (block $done
          (loop $next
            (br_if $done (i32.eq (local.get $i) (i32.const 17)))
            (local.set $sum (i32.add (local.get $sum)
              (i32.load (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2))))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $next)))
        (local.get $sum)))
    (core instance $i (instantiate $m))
    (func (export "echo") (param "s" string) (result string)
      (canon lift (core func $i "echo") (memory (core memory $i "memory"))
        (realloc (core func $i "realloc")) (post-return (core func $i "echo-post"))))
    (func (export "pick") (param "v" (result f32 (error u64))) (result (result f32 (error u64)))
      (canon lift (core func $i "pick") (memory (core memory $i "memory"))))
    (func (export "sum17")
      (param "a0" u32) (param "a1" u32) (param "a2" u32) (param "a3" u32) (param "a4" u32)
      (param "a5" u32) (param "a6" u32) (param "a7" u32) (param "a8" u32) (param "a9" u32)
      (param "a10" u32) (param "a11" u32) (param "a12" u32) (param "a13" u32) (param "a14" u32)
      (param "a15" u32) (param "a16" u32) (result u32)
      (canon lift (core func $i "sum17") (memory (core memory $i "memory"))
        (realloc (core func $i "realloc")))))
  (instance $callee (instantiate $callee))

  (component $caller
    (import "echo" (func $echo (param "s" string) (result string)))
    (import "pick" (func $pick (param "v" (result f32 (error u64)))
      (result (result f32 (error u64)))))
    (import "sum17" (func $sum17
      (param "a0" u32) (param "a1" u32) (param "a2" u32) (param "a3" u32) (param "a4" u32)
      (param "a5" u32) (param "a6" u32) (param "a7" u32) (param "a8" u32) (param "a9" u32)
      (param "a10" u32) (param "a11" u32) (param "a12" u32) (param "a13" u32) (param "a14" u32)
      (param "a15" u32) (param "a16" u32) (result u32)))
    (core module $libc
      (memory (export "memory") 1)
      (global $next (mut i32) (i32.const 2048))
      (func (export "realloc") (param i32 i32 i32 i32) (result i32)
        (local $ptr i32)
        (local.set $ptr
          (i32.and (i32.add (global.get $next) (i32.sub (local.get 2) (i32.const 1)))
                   (i32.sub (i32.const 0) (local.get 2))))
        ;; Start over at the bottom when memory is used up: each call's allocations are dead by
        ;; the next one (values are copied out), which lets benchmarks loop.
        (if (i32.gt_u (i32.add (local.get $ptr) (local.get 3)) (i32.const 65536))
          (then (local.set $ptr (i32.const 1024))))
        (global.set $next (i32.add (local.get $ptr) (local.get 3)))
        (local.get $ptr)))
    (core instance $libc (instantiate $libc))
    (core func $echo-core (canon lower (func $echo) (memory (core memory $libc "memory"))
      (realloc (core func $libc "realloc"))))
    (core func $pick-core (canon lower (func $pick) (memory (core memory $libc "memory"))))
    (core func $sum17-core (canon lower (func $sum17) (memory (core memory $libc "memory"))))
    (core module $main
      (import "libc" "memory" (memory 1))
      (import "api" "echo" (func $echo (param i32 i32 i32)))
      (import "api" "pick" (func $pick (param i32 i64 i32)))
      (import "api" "sum17" (func $sum17 (param i32) (result i32)))
      (func (export "echo") (param i32 i32) (result i32)
        (call $echo (local.get 0) (local.get 1) (i32.const 64))
        (i32.const 64))
      (func (export "pick") (param i32 i64) (result i32)
        (call $pick (local.get 0) (local.get 1) (i32.const 96))
        (i32.const 96))
      (func (export "sum17") (param i32) (result i32)
        (call $sum17 (local.get 0))))
    (core instance $main (instantiate $main
      (with "libc" (instance $libc))
      (with "api" (instance
        (export "echo" (func $echo-core))
        (export "pick" (func $pick-core))
        (export "sum17" (func $sum17-core))))))
    (func (export "echo") (param "s" string) (result string)
      (canon lift (core func $main "echo") (memory (core memory $libc "memory"))
        (realloc (core func $libc "realloc"))))
    (func (export "pick") (param "v" (result f32 (error u64)))
      (result (result f32 (error u64)))
      (canon lift (core func $main "pick") (memory (core memory $libc "memory"))))
    (func (export "sum17")
      (param "a0" u32) (param "a1" u32) (param "a2" u32) (param "a3" u32) (param "a4" u32)
      (param "a5" u32) (param "a6" u32) (param "a7" u32) (param "a8" u32) (param "a9" u32)
      (param "a10" u32) (param "a11" u32) (param "a12" u32) (param "a13" u32) (param "a14" u32)
      (param "a15" u32) (param "a16" u32) (result u32)
      (canon lift (core func $main "sum17") (memory (core memory $libc "memory"))
        (realloc (core func $libc "realloc")))))
  (instance $caller (instantiate $caller
    (with "echo" (func $callee "echo"))
    (with "pick" (func $callee "pick"))
    (with "sum17" (func $callee "sum17"))))
  (export "echo" (func $caller "echo"))
  (export "pick" (func $caller "pick"))
  (export "sum17" (func $caller "sum17"))
)
