;; Imports an interface with a function and one with a resource, and exports functions that use
;; them, for the linker tests.
(component
  (import "demo:math/ops@0.1.2" (instance $ops
    (export "add" (func (param "a" u32) (param "b" u32) (result u32)))
  ))
  (import "demo:math/counters@0.1.0" (instance $counters
    (export "counter" (type $counter (sub resource)))
    (export "[constructor]counter" (func (param "start" u32) (result (own $counter))))
    (export "[method]counter.next" (func (param "self" (borrow $counter)) (result u32)))
  ))
  (alias export $counters "counter" (type $counter))
  (core func $add (canon lower (func $ops "add")))
  (core func $new (canon lower (func $counters "[constructor]counter")))
  (core func $next (canon lower (func $counters "[method]counter.next")))
  (core func $drop (canon resource.drop $counter))
  (core module $m
    (import "host" "add" (func $add (param i32 i32) (result i32)))
    (import "host" "new" (func $new (param i32) (result i32)))
    (import "host" "next" (func $next (param i32) (result i32)))
    (import "host" "drop" (func $drop (param i32)))
    (func (export "twice-sum") (param i32 i32) (result i32)
      (i32.mul (call $add (local.get 0) (local.get 1)) (i32.const 2)))
    ;; Makes a counter at `start`, steps it three times, drops it and returns the last value.
    (func (export "third") (param i32) (result i32)
      (local $h i32) (local $r i32)
      (local.set $h (call $new (local.get 0)))
      (drop (call $next (local.get $h)))
      (drop (call $next (local.get $h)))
      (local.set $r (call $next (local.get $h)))
      (call $drop (local.get $h))
      (local.get $r))
  )
  (core instance $i (instantiate $m (with "host" (instance
    (export "add" (func $add))
    (export "new" (func $new))
    (export "next" (func $next))
    (export "drop" (func $drop))
  ))))
  (func (export "twice-sum") (param "a" u32) (param "b" u32) (result u32)
    (canon lift (core func $i "twice-sum")))
  (func (export "third") (param "start" u32) (result u32)
    (canon lift (core func $i "third")))
)
