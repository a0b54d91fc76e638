;; A parent that calls out to the host while it runs, and re-exports a function of its child: the
;; host may call the child's function, but not from inside the parent's call, since entering the
;; child enters its parent too (the spec's entering_set).
(component
  (import "callback" (func $callback))
  (component $child
    (core module $m (func (export "f") (result i32) (i32.const 7)))
    (core instance $i (instantiate $m))
    (func (export "f") (result u32) (canon lift (core func $i "f"))))
  (instance $child (instantiate $child))
  (core func $callback-core (canon lower (func $callback)))
  (core module $parent
    (import "" "callback" (func $callback))
    (func (export "run") (call $callback)))
  (core instance $parent (instantiate $parent
    (with "" (instance (export "callback" (func $callback-core))))))
  (func (export "run") (canon lift (core func $parent "run")))
  (export "child-f" (func $child "f"))
)
