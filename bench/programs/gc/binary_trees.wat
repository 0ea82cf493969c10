;; binary-trees (the Computer Language Benchmarks Game) on Wasm GC structs.
;;
;; `run depth passes` builds a long-lived tree of that depth, then, `passes` times over, for
;; every even depth d from 4 up, 2^(depth - d + 4) short-lived trees of depth d, checking each
;; by counting its nodes. Returns the sum of all the checks: the allocation rate is high and
;; almost everything dies young, while the long-lived tree stays reachable throughout. Peak
;; memory depends on the depth, not on the number of passes.
(module
  (type $tree (struct (field $left (ref null $tree)) (field $right (ref null $tree))))

  (func $make (param $depth i32) (result (ref $tree))
    (if (result (ref $tree)) (i32.eqz (local.get $depth))
      (then (struct.new $tree (ref.null $tree) (ref.null $tree)))
      (else
        (struct.new $tree
          (call $make (i32.sub (local.get $depth) (i32.const 1)))
          (call $make (i32.sub (local.get $depth) (i32.const 1)))))))

  (func $check (param $t (ref null $tree)) (result i64)
    (if (result i64) (ref.is_null (struct.get $tree $left (local.get $t)))
      (then (i64.const 1))
      (else
        (i64.add (i64.const 1)
          (i64.add (call $check (struct.get $tree $left (local.get $t)))
                   (call $check (struct.get $tree $right (local.get $t))))))))

  (func (export "run") (param $max i32) (param $passes i32) (result i64)
    (local $long (ref null $tree))
    (local $depth i32) (local $iterations i32) (local $i i32) (local $sum i64)
    ;; A tree one level deeper than the maximum, checked and dropped at once.
    (local.set $sum (call $check (call $make (i32.add (local.get $max) (i32.const 1)))))
    (local.set $long (call $make (local.get $max)))
    (loop $passes
      (local.set $depth (i32.const 4))
      (block $done
        (loop $depths
          (br_if $done (i32.gt_s (local.get $depth) (local.get $max)))
          (local.set $iterations
            (i32.shl (i32.const 1) (i32.add (i32.sub (local.get $max) (local.get $depth)) (i32.const 4))))
          (local.set $i (i32.const 0))
          (loop $trees
            (local.set $sum (i64.add (local.get $sum) (call $check (call $make (local.get $depth)))))
            (br_if $trees (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $iterations))))
          (local.set $depth (i32.add (local.get $depth) (i32.const 2)))
          (br $depths)))
      (br_if $passes (local.tee $passes (i32.sub (local.get $passes) (i32.const 1)))))
    (i64.add (local.get $sum) (call $check (local.get $long)))))
