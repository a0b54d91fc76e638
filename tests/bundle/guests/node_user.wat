;; A component that imports test:a/api@0.1.0, a node of the dependency tests' graphs
;; (tests/bundle/bundles/node), and exports `ping`, which calls it.
(component
  (import "test:a/api@0.1.0" (instance $a
    (export "ping" (func (result u32)))
  ))
  (core func $ping (canon lower (func $a "ping")))
  (core module $m
    (import "host" "ping" (func $ping (result i32)))
    (func (export "ping") (result i32) (call $ping))
  )
  (core instance $i (instantiate $m (with "host" (instance (export "ping" (func $ping))))))
  (func (export "ping") (result u32) (canon lift (core func $i "ping")))
)
