;; Calls a host function through canon lower, and exposes a function that traps in the host.
(component
  (import "scale" (func $scale (param "x" u32) (result u32)))
  (core func $scale_lowered (canon lower (func $scale)))
  (core module $m
    (import "host" "scale" (func $scale (param i32) (result i32)))
    (func (export "scale-plus-one") (param i32) (result i32)
      (i32.add (call $scale (local.get 0)) (i32.const 1))))
  (core instance $host (export "scale" (func $scale_lowered)))
  (core instance $i (instantiate $m (with "host" (instance $host))))
  (func (export "scale-plus-one") (param "x" u32) (result u32)
    (canon lift (core func $i "scale-plus-one")))
)
