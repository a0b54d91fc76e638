;; Scalars only: no memory needed.
(component
  (core module $m
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
    (func (export "negate") (param f64) (result f64) (f64.neg (local.get 0)))
    (func (export "fail") unreachable))
  (core instance $i (instantiate $m))
  (func (export "add") (param "a" u32) (param "b" u32) (result u32) (canon lift (core func $i "add")))
  (func (export "negate") (param "x" f64) (result f64) (canon lift (core func $i "negate")))
  (func (export "fail") (canon lift (core func $i "fail")))
)
