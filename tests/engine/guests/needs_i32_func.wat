(module
  (import "host" "f" (func (param i32) (result i32)))
  (import "host" "g" (global i32)))
