;; A guest for the Canonical ABI tests: a growable memory, a bump-allocating cabi_realloc that
;; logs its calls, and a few core functions that take or return spilled values.
(module
  (memory (export "memory") 1)
  ;; Allocations start above the log (256..1023) and the static result areas (128..255).
  (global $bump (mut i32) (i32.const 4096))
  ;; 0: normal, 1: return misaligned pointers, 2: return out-of-bounds pointers, 3: trap.
  (global $mode (mut i32) (i32.const 0))
  (global $log_count (mut i32) (i32.const 0))
  (global $post_return_arg (mut i32) (i32.const -1))

  (func (export "set_mode") (param i32) (global.set $mode (local.get 0)))
  (func (export "reset")
    (global.set $bump (i32.const 4096))
    (global.set $log_count (i32.const 0))
    (global.set $mode (i32.const 0)))
  (func (export "log_count") (result i32) (global.get $log_count))
  (func (export "bump") (result i32) (global.get $bump))

  ;; realloc(old, old_size, align, new_size); entry i of the log is 16 bytes at 256 + 16 * i.
  (func (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32)
        (param $new_size i32) (result i32)
    (local $ptr i32) (local $end i32) (local $pages i32)
    (if (i32.lt_u (global.get $log_count) (i32.const 48))
      (then
        (local.set $ptr (i32.add (i32.const 256) (i32.shl (global.get $log_count) (i32.const 4))))
        (i32.store (local.get $ptr) (local.get $old))
        (i32.store offset=4 (local.get $ptr) (local.get $old_size))
        (i32.store offset=8 (local.get $ptr) (local.get $align))
        (i32.store offset=12 (local.get $ptr) (local.get $new_size))))
    (global.set $log_count (i32.add (global.get $log_count) (i32.const 1)))
    (if (i32.eq (global.get $mode) (i32.const 3)) (then unreachable))
    (if (i32.eq (global.get $mode) (i32.const 2)) (then (return (i32.const 0x7ffffff0))))
    ;; Shrinking keeps the block where it is.
    (if (i32.and (i32.ne (local.get $old) (i32.const 0))
                 (i32.le_u (local.get $new_size) (local.get $old_size)))
      (then (return (local.get $old))))
    (local.set $ptr
      (i32.and (i32.add (global.get $bump) (i32.sub (local.get $align) (i32.const 1)))
               (i32.sub (i32.const 0) (local.get $align))))
    (local.set $end (i32.add (local.get $ptr) (local.get $new_size)))
    (if (i32.gt_u (local.get $end) (i32.mul (memory.size) (i32.const 65536)))
      (then
        (local.set $pages
          (i32.sub (i32.shr_u (i32.add (local.get $end) (i32.const 65535)) (i32.const 16))
                   (memory.size)))
        (if (i32.eq (memory.grow (local.get $pages)) (i32.const -1)) (then unreachable))))
    (if (i32.ne (local.get $old) (i32.const 0))
      (then (memory.copy (local.get $ptr) (local.get $old) (local.get $old_size))))
    (global.set $bump (local.get $end))
    (if (i32.eq (global.get $mode) (i32.const 1))
      (then (return (i32.add (local.get $ptr) (i32.const 1)))))
    (local.get $ptr))

  ;; func(a0 ... a16: u32) -> u32 lifted: the 17 parameters arrive spilled at $args.
  (func (export "sum17") (param $args i32) (result i32)
    (local $i i32) (local $sum i32)
    (loop $next
      (local.set $sum
        (i32.add (local.get $sum)
                 (i32.load (i32.add (local.get $args) (i32.shl (local.get $i) (i32.const 2))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 17))))
    (local.get $sum))

  ;; func() -> tuple<u32, u64> lifted: the result is returned through memory.
  (func (export "pair") (result i32)
    (i32.store (i32.const 128) (i32.const 7))
    (i64.store (i32.const 136) (i64.const 0x1122334455667788))
    (i32.const 128))

  ;; func(s: string) -> string lifted: returns its argument through memory.
  (func (export "echo_string") (param i32 i32) (result i32)
    (i32.store (i32.const 160) (local.get 0))
    (i32.store (i32.const 164) (local.get 1))
    (i32.const 160))

  (func (export "post_return") (param i32) (global.set $post_return_arg (local.get 0)))
  (func (export "post_return_arg") (result i32) (global.get $post_return_arg))
)
