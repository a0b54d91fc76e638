;; Calls the types bundle so that results carrying a new counter are stopped on their way into
;; the guest (a realloc that traps, a result that breaks a rule), or left in the guest's table
;; (kept, or held while trapping), for the test that every counter is destroyed exactly once.
(component
  (import "test:types/counters@0.1.0" (instance $counters
    (export "counter" (type $counter (sub resource)))
    (export "[constructor]counter" (func (param "start" u32) (result (own $counter))))
    (export "make-pair" (func (param "start" u32) (param "text" string)
                              (result (tuple string (own $counter)))))
    (export "bad-pair" (func (param "start" u32) (result (tuple string (own $counter)))))
    (export "live" (func (result s32)))
  ))
  (alias export $counters "counter" (type $counter))
  (core module $libc
    (memory (export "memory") 1)
    (data (i32.const 16) "hello")
    ;; Every allocation traps, so lowering a string result into this guest fails part-way.
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) unreachable))
  (core instance $libc (instantiate $libc))
  (alias core export $libc "memory" (core memory $memory))
  (alias core export $libc "realloc" (core func $realloc))
  (core func $new (canon lower (func $counters "[constructor]counter")))
  (core func $make-pair (canon lower (func $counters "make-pair") (memory $memory)
                                     (realloc $realloc)))
  (core func $bad-pair (canon lower (func $counters "bad-pair") (memory $memory)
                                    (realloc $realloc)))
  (core func $live (canon lower (func $counters "live")))
  (core module $m
    (import "host" "new" (func $new (param i32) (result i32)))
    ;; start, text pointer, text length, return area
    (import "host" "make-pair" (func $make-pair (param i32 i32 i32 i32)))
    (import "host" "bad-pair" (func $bad-pair (param i32 i32)))
    (import "host" "live" (func $live (result i32)))
    (func (export "pair") (param i32)
      (call $make-pair (local.get 0) (i32.const 16) (i32.const 5) (i32.const 64)))
    (func (export "bad-pair") (param i32) (call $bad-pair (local.get 0) (i32.const 64)))
    (func (export "keep") (param i32) (drop (call $new (local.get 0))))
    (func (export "trap-holding") (param i32) (drop (call $new (local.get 0))) unreachable)
    (func (export "live") (result i32) (call $live)))
  (core instance $i (instantiate $m (with "host" (instance
    (export "new" (func $new))
    (export "make-pair" (func $make-pair))
    (export "bad-pair" (func $bad-pair))
    (export "live" (func $live))))))
  (func (export "pair") (param "start" u32) (canon lift (core func $i "pair")))
  (func (export "bad-pair") (param "start" u32) (canon lift (core func $i "bad-pair")))
  (func (export "keep") (param "start" u32) (canon lift (core func $i "keep")))
  (func (export "trap-holding") (param "start" u32) (canon lift (core func $i "trap-holding")))
  (func (export "live") (result s32) (canon lift (core func $i "live")))
)
