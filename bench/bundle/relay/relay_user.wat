;; Calls the relay benchmark bundle once per export call; the relay makes the n calls into the
;; other bundle itself.
(component
  (import "bench:relay/api@0.1.0" (instance $api
    (export "add-loop" (func (param "n" u32) (result u32)))
    (export "get-loop" (func (param "n" u32) (result u32)))
  ))
  (core func $add_loop (canon lower (func $api "add-loop")))
  (core func $get_loop (canon lower (func $api "get-loop")))
  (func (export "add-loop") (param "n" u32) (result u32) (canon lift (core func $add_loop)))
  (func (export "get-loop") (param "n" u32) (result u32) (canon lift (core func $get_loop)))
)
