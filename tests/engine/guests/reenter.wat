;; Host -> wasm -> host -> wasm: the host calls back into the guest while handling a call.
(module
  (import "host" "callback" (func $callback (param i32) (result i32)))
  (func (export "outer") (param i32) (result i32) (i32.add (call $callback (local.get 0)) (i32.const 1)))
  (func (export "double") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
  (func (export "trap") unreachable)
)
