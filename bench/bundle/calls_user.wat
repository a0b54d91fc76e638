;; Calls the benchmark bundle from inside wasm, `n` times per export call, so the loop measures
;; the component -> bundle crossing and not the host -> wasm entry.
(component
  (import "bench:calls/api@0.1.0" (instance $api
    (export "add" (func (param "a" u32) (param "b" u32) (result u32)))
    (export "get" (func (param "key" string) (result (option string))))
    (export "set" (func (param "key" string) (param "value" string)))
  ))
  (core module $libc
    (memory (export "memory") 1)
    (global $next (mut i32) (i32.const 4096))
    ;; Returned strings go to one scratch area: each call's result is dead before the next.
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (i32.const 4096))
  )
  (core instance $libc (instantiate $libc))
  (alias core export $libc "memory" (core memory $memory))
  (alias core export $libc "realloc" (core func $realloc))
  (core func $add (canon lower (func $api "add")))
  (core func $get (canon lower (func $api "get") (memory $memory) (realloc $realloc)))
  (core func $set (canon lower (func $api "set") (memory $memory)))
  (core module $main
    (import "api" "add" (func $add (param i32 i32) (result i32)))
    (import "api" "get" (func $get (param i32 i32 i32)))
    (import "api" "set" (func $set (param i32 i32 i32 i32)))
    (import "libc" "memory" (memory 1))
    ;; A 16-byte key at 0 and a 16-byte value at 16.
    (data (i32.const 0) "key-0123456789abvalue-0123456789")
    (func (export "loop-add") (param $n i32) (result i32)
      (local $acc i32)
      (block $done
        (loop $again
          (br_if $done (i32.eqz (local.get $n)))
          (local.set $acc (call $add (local.get $acc) (local.get $n)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $again)))
      (local.get $acc))
    (func (export "loop-set") (param $n i32)
      (block $done
        (loop $again
          (br_if $done (i32.eqz (local.get $n)))
          (call $set (i32.const 0) (i32.const 16) (i32.const 16) (i32.const 16))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $again))))
    ;; Returns the length of the last value read (16 when the set before it landed).
    (func (export "loop-get") (param $n i32) (result i32)
      (block $done
        (loop $again
          (br_if $done (i32.eqz (local.get $n)))
          (call $get (i32.const 0) (i32.const 16) (i32.const 64))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $again)))
      (i32.load (i32.const 72)))
  )
  (core instance $main (instantiate $main
    (with "api" (instance
      (export "add" (func $add))
      (export "get" (func $get))
      (export "set" (func $set))))
    (with "libc" (instance (export "memory" (memory $memory))))))
  (func (export "loop-add") (param "n" u32) (result u32) (canon lift (core func $main "loop-add")))
  (func (export "loop-set") (param "n" u32) (canon lift (core func $main "loop-set")))
  (func (export "loop-get") (param "n" u32) (result u32) (canon lift (core func $main "loop-get")))
)
