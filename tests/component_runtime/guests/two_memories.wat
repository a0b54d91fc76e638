;; Two lifts with different memories in one component (from the spec's linking tests).
(component
  (core module $A
    (memory (export "mem") 1)
    (data (i32.const 8) "\10\00\00\00\05\00\00\00")
    (data (i32.const 16) "hello")
    (func (export "get") (result i32) (i32.const 8)))
  (core module $B
    (memory (export "mem") 1)
    (data (i32.const 8) "\10\00\00\00\05\00\00\00")
    (data (i32.const 16) "world")
    (func (export "get") (result i32) (i32.const 8)))
  (core instance $a (instantiate $A))
  (core instance $b (instantiate $B))
  (func (export "get-a") (result string)
    (canon lift (core func $a "get") (memory (core memory $a "mem"))))
  (func (export "get-b") (result string)
    (canon lift (core func $b "get") (memory (core memory $b "mem"))))
)
