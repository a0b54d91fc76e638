;; Runs forever unless stopped; calls the host each round when asked to.
(module
  (import "host" "tick" (func $tick))
  (func (export "spin") (loop $forever (br $forever)))
  (func (export "spin_calling_host") (loop $forever (call $tick) (br $forever)))
)
