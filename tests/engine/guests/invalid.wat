;; Type error in a function body (assembled with --no-check): the engine must reject it.
(module (func (export "bad") (result i32) (i64.const 1)))
