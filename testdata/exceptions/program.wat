;; Exceptions thrown and caught across calls, through nested try_table blocks, rethrown as
;; exnrefs, used for control flow in a loop, and thrown by a host function (env.check throws
;; env.failure when its argument is not 0). Each export takes an i32 and returns an i64, or
;; lets an exception out. Tests run it in Swim and in wasmtime and compare.
(module
  (import "env" "failure" (tag $failure (param i32)))
  (import "env" "check" (func $check (param i32)))
  (tag $small (param i32))
  (tag $big (param i64 f64))
  (tag $empty)
  (tag $uncaught (param i32))

  ;; Throws by kind: 0 $small, 1 $big, 2 env.failure from the host, 3 $empty; else returns.
  (func $throw-kind (param $kind i32)
    (if (i32.eqz (local.get $kind)) (then (throw $small (i32.const 7))))
    (if (i32.eq (local.get $kind) (i32.const 1))
      (then (throw $big (i64.const 1234567890123) (f64.const 2.5))))
    (if (i32.eq (local.get $kind) (i32.const 2)) (then (call $check (i32.const 99))))
    (if (i32.eq (local.get $kind) (i32.const 3)) (then (throw $empty))))

  ;; Recurses `depth` frames, then throws by kind.
  (func $descend (param $depth i32) (param $kind i32)
    (if (local.get $depth)
      (then (call $descend (i32.sub (local.get $depth) (i32.const 1)) (local.get $kind)))
      (else (call $throw-kind (local.get $kind)))))

  ;; Nested try_tables: the inner one catches only env.failure, the outer $small and $big;
  ;; $empty goes to a catch_all around both.
  (func (export "across") (param $kind i32) (result i64)
    (local $keep i64)
    (local.set $keep (i64.const 1000000))
    (block $all
      (block $failure (result i32)
        (block $big (result i64 f64)
          (block $small (result i32)
            (try_table (catch $small $small) (catch $big $big) (catch_all $all)
              (try_table (catch $failure $failure)
                (call $descend (i32.const 40) (local.get $kind))))
            (return (i64.const -1)))
          ;; $small: its payload, plus what the local kept
          (i64.extend_i32_u) (local.get $keep) (i64.add) (return))
        ;; $big: its i64 (the f64 dropped), likewise
        (drop) (local.get $keep) (i64.add) (return))
      ;; env.failure: its payload, negated
      (i64.extend_i32_u) (i64.const -1) (i64.mul) (return))
    ;; $empty
    (i64.const 42))

  ;; catch_ref keeps the exception; throw_ref rethrows it from another frame, where an outer
  ;; handler catches it by tag.
  (func $rethrow (param exnref) (throw_ref (local.get 0)))
  (func (export "rethrow") (param $kind i32) (result i64)
    (local $e exnref)
    (block $caught (result i32)
      (try_table (catch $small $caught)
        (local.set $e
          (block $h (result exnref)
            (try_table (catch_all_ref $h) (call $descend (i32.const 5) (local.get $kind)))
            (return (i64.const -2))))
        (call $rethrow (local.get $e)))
      (return (i64.const -3)))
    (i64.extend_i32_u (i32.add (i32.const 100))))

  ;; Exceptions as control flow: sum 1..n, each term thrown and caught, every third one
  ;; through the host.
  (func (export "sum") (param $n i32) (result i64)
    (local $sum i64) (local $i i32)
    (loop $next
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_u
        (block $got (result i32)
          (try_table (catch $small $got) (catch $failure $got)
            (if (i32.rem_u (local.get $i) (i32.const 3))
              (then (throw $small (local.get $i)))
              (else (call $check (local.get $i)))))
          (i32.const 0)))))
      (br_if $next (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $sum))

  ;; The host's exception caught right at the call, or let out.
  (func (export "host") (param $x i32) (result i64)
    (block $h (result i32)
      (try_table (catch $failure $h) (call $check (local.get $x)))
      (return (i64.const 0)))
    (i64.extend_i32_u (i32.add (i32.const 1))))
  (func (export "host-uncaught") (param $x i32) (result i64)
    (call $check (local.get $x))
    (i64.const 1))

  ;; No handler at all: the exception leaves the program.
  (func (export "uncaught") (param $x i32) (result i64)
    (block (try_table (catch $empty 0) (throw $uncaught (local.get $x))))
    (i64.const 0)))
