;; A component instantiating a nested component and re-exporting its function in an interface.
(component
  (component $inner
    (core module $m (func (export "seven") (result i32) (i32.const 7)))
    (core instance $i (instantiate $m))
    (func (export "seven") (result u32) (canon lift (core func $i "seven"))))
  (instance $a (instantiate $inner))
  (instance $api (export "seven" (func $a "seven")))
  (export "example:nested/api@0.1.0" (instance $api))
)
