;; A command whose `run` ends the program through wasi:cli/exit#exit-with-code(42): the exit code
;; path the preview1 adapter (which only calls `exit` with ok/err) never takes.
(component
  (import "wasi:cli/exit@0.2.12" (instance $exit
    (export "exit-with-code" (func (param "status-code" u8)))))
  (core func $exit_with_code (canon lower (func $exit "exit-with-code")))
  (core module $main
    (import "cli" "exit-with-code" (func $exit_with_code (param i32)))
    (func (export "run") (result i32)
      i32.const 42
      call $exit_with_code
      i32.const 0))
  (core instance $cli (export "exit-with-code" (func $exit_with_code)))
  (core instance $instance (instantiate $main (with "cli" (instance $cli))))
  (func $run (result (result)) (canon lift (core func $instance "run")))
  (instance $run_instance (export "run" (func $run)))
  (export "wasi:cli/run@0.2.12" (instance $run_instance)))
