;; A WASI command that throws and catches: across 50 frames, through nested try_tables (an
;; inner one that does not catch the tag), rethrown as an exnref with throw_ref, catch_all,
;; and exceptions as control flow in a loop. It prints one line per case; `swim run` and
;; `wasmtime run -W exceptions=y` must print the same (CommandLineTests).
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (tag $small (param i32))
  (tag $pair (param i64 i32))
  (tag $other)

  ;; Prints `value` in decimal and a newline (digits built backwards from offset 100).
  (func $print (param $value i64)
    (local $at i32) (local $negative i32)
    (local.set $at (i32.const 100))
    (i32.store8 (local.get $at) (i32.const 10))
    (if (i64.lt_s (local.get $value) (i64.const 0))
      (then (local.set $negative (i32.const 1))
            (local.set $value (i64.sub (i64.const 0) (local.get $value)))))
    (loop $digits
      (local.set $at (i32.sub (local.get $at) (i32.const 1)))
      (i32.store8 (local.get $at)
        (i32.add (i32.const 48) (i32.wrap_i64 (i64.rem_u (local.get $value) (i64.const 10)))))
      (local.set $value (i64.div_u (local.get $value) (i64.const 10)))
      (br_if $digits (i64.ne (local.get $value) (i64.const 0))))
    (if (local.get $negative)
      (then (local.set $at (i32.sub (local.get $at) (i32.const 1)))
            (i32.store8 (local.get $at) (i32.const 45))))
    ;; iovec at 200: base, length; bytes written at 208.
    (i32.store (i32.const 200) (local.get $at))
    (i32.store (i32.const 204) (i32.sub (i32.const 101) (local.get $at)))
    (drop (call $fd_write (i32.const 1) (i32.const 200) (i32.const 1) (i32.const 208))))

  ;; Recurses `depth` frames, then throws $small(depth + 1000) or $pair by `kind`.
  (func $descend (param $depth i32) (param $kind i32)
    (if (local.get $depth)
      (then (call $descend (i32.sub (local.get $depth) (i32.const 1)) (local.get $kind)))
      (else
        (if (local.get $kind)
          (then (throw $pair (i64.const -77) (i32.const 5)))
          (else (throw $small (i32.const 1000)))))))

  ;; Deep throw caught by the outer try_table; the inner one only catches $other.
  (func $nested (param $kind i32) (result i64)
    (block $on-small (result i32)
      (block $on-pair (result i64 i32)
        (try_table (catch $small $on-small) (catch $pair $on-pair)
          (block $on-other
            (try_table (catch $other $on-other)
              (call $descend (i32.const 50) (local.get $kind))))
          (return (i64.const -1)))
        (unreachable))
      ;; $pair: its two values combined.
      (i64.extend_i32_u)
      (i64.add)
      (return))
    (i64.extend_i32_u))

  ;; Caught as an exnref, rethrown with throw_ref, caught again by a catch_ref outside.
  (func $rethrown (result i64)
    (block $outer (result i32 exnref)
      (try_table (catch_ref $small $outer)
        (block $inner (result exnref)
          (try_table (catch_all_ref $inner)
            (throw $small (i32.const 42)))
          (unreachable))
        (throw_ref))
      (unreachable))
    (drop)
    (i64.extend_i32_u))

  ;; catch_all of a tag nobody names.
  (func $caught-all (result i64)
    (block $any
      (try_table (catch_all $any) (throw $other))
      (return (i64.const -1)))
    (i64.const 7))

  ;; A loop that leaves through an exception after summing 1..10.
  (func $loop-exit (result i64)
    (local $i i32) (local $sum i32)
    (block $done (result i32)
      (try_table (catch $small $done)
        (loop $next
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (local.set $sum (i32.add (local.get $sum) (local.get $i)))
          (if (i32.eq (local.get $i) (i32.const 10)) (then (throw $small (local.get $sum))))
          (br $next)))
      (unreachable))
    (i64.extend_i32_u))

  (func (export "_start")
    (call $print (call $nested (i32.const 0)))
    (call $print (call $nested (i32.const 1)))
    (call $print (call $rethrown))
    (call $print (call $caught-all))
    (call $print (call $loop-exit))))
