;; A guest that tries to catch a failing host call with the exception-handling instructions V8
;; supports (legacy `try`/`catch_all`). A host failure is a trap: no handler may run on.
(module
  (import "host" "fail" (func $fail))
  (import "host" "observe" (func $observe))
  (func (export "catch_then_call_host")
    (try
      (do (call $fail))
      (catch_all (call $observe))))
  (func (export "catch_then_spin")
    (try
      (do (call $fail))
      (catch_all (loop $forever (br $forever))))))
