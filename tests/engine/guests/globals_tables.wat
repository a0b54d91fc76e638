;; Globals and tables seen from the host.
(module
  (global $counter (export "counter") (mut i32) (i32.const 41))
  (global (export "big") i64 (i64.const -9000000000))
  (global (export "pi") f64 (f64.const 3.5))
  (table (export "table") 3 funcref)
  (elem (i32.const 1) $seven)
  (func $seven (result i32) (i32.const 7))
  (func (export "bump") (global.set $counter (i32.add (global.get $counter) (i32.const 1))))
)
