;; List and map churn on Wasm GC: a hash map from i32 keys to lists of i32s, in arrays of
;; buckets that double when full.
;;
;; `run rounds` runs that many rounds over a map of at most 4096 keys: each round inserts 1024
;; pseudo-random keys (replacing the list of a key already there, or prepending to it), removes
;; 512 others, and builds and sums a fresh list for each. The map's size stays bounded while
;; every round makes new entries, lists and bucket arrays and drops old ones; the result is a
;; checksum of everything summed. Peak memory must not depend on the number of rounds.
(module
  (type $list (struct (field $value i32) (field $next (ref null $list))))
  (type $entry (struct (field $key i32) (field $values (mut (ref null $list))) (field $next (mut (ref null $entry)))))
  (type $buckets (array (mut (ref null $entry))))
  (type $map (struct (field $buckets (mut (ref $buckets))) (field $count (mut i32))))

  (global $seed (mut i32) (i32.const 12345))

  (func $random (result i32)
    ;; A linear congruential generator (Numerical Recipes), top bits.
    (global.set $seed (i32.add (i32.mul (global.get $seed) (i32.const 1664525)) (i32.const 1013904223)))
    (i32.shr_u (global.get $seed) (i32.const 8)))

  (func $bucket (param $buckets (ref $buckets)) (param $key i32) (result i32)
    (i32.rem_u (i32.mul (local.get $key) (i32.const -1640531535)) (array.len (local.get $buckets))))

  (func $list (param $n i32) (param $start i32) (result (ref null $list))
    (local $l (ref null $list))
    (block $done
      (loop $more
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $l (struct.new $list (i32.add (local.get $start) (local.get $n)) (local.get $l)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $more)))
    (local.get $l))

  (func $sum (param $l (ref null $list)) (result i64)
    (local $s i64)
    (block $done
      (loop $more
        (br_if $done (ref.is_null (local.get $l)))
        (local.set $s (i64.add (local.get $s) (i64.extend_i32_u (struct.get $list $value (local.get $l)))))
        (local.set $l (struct.get $list $next (local.get $l)))
        (br $more)))
    (local.get $s))

  ;; Moves every entry into buckets twice as many.
  (func $grow (param $map (ref $map))
    (local $old (ref $buckets)) (local $new (ref $buckets)) (local $i i32)
    (local $e (ref null $entry)) (local $next (ref null $entry)) (local $b i32)
    (local.set $old (struct.get $map $buckets (local.get $map)))
    (local.set $new (array.new_default $buckets (i32.shl (array.len (local.get $old)) (i32.const 1))))
    (block $done
      (loop $buckets
        (br_if $done (i32.ge_u (local.get $i) (array.len (local.get $old))))
        (local.set $e (array.get $buckets (local.get $old) (local.get $i)))
        (block $empty
          (loop $entries
            (br_if $empty (ref.is_null (local.get $e)))
            (local.set $next (struct.get $entry $next (local.get $e)))
            (local.set $b (call $bucket (local.get $new) (struct.get $entry $key (local.get $e))))
            (struct.set $entry $next (local.get $e) (array.get $buckets (local.get $new) (local.get $b)))
            (array.set $buckets (local.get $new) (local.get $b) (local.get $e))
            (local.set $e (local.get $next))
            (br $entries)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $buckets)))
    (struct.set $map $buckets (local.get $map) (local.get $new)))

  (func $find (param $map (ref $map)) (param $key i32) (result (ref null $entry))
    (local $buckets (ref $buckets)) (local $e (ref null $entry))
    (local.set $buckets (struct.get $map $buckets (local.get $map)))
    (local.set $e (array.get $buckets (local.get $buckets) (call $bucket (local.get $buckets) (local.get $key))))
    (block $done
      (loop $more
        (br_if $done (ref.is_null (local.get $e)))
        (br_if $done (i32.eq (struct.get $entry $key (local.get $e)) (local.get $key)))
        (local.set $e (struct.get $entry $next (local.get $e)))
        (br $more)))
    (local.get $e))

  (func $insert (param $map (ref $map)) (param $key i32) (param $values (ref null $list))
    (local $e (ref null $entry)) (local $buckets (ref $buckets)) (local $b i32)
    (local.set $e (call $find (local.get $map) (local.get $key)))
    (if (i32.eqz (ref.is_null (local.get $e)))
      (then
        ;; Odd keys replace their list, even keys prepend a new value to it.
        (if (i32.and (local.get $key) (i32.const 1))
          (then (struct.set $entry $values (local.get $e) (local.get $values)))
          (else (struct.set $entry $values (local.get $e)
                  (struct.new $list (local.get $key) (struct.get $entry $values (local.get $e))))))
        (return)))
    (if (i32.ge_u (struct.get $map $count (local.get $map))
                  (array.len (struct.get $map $buckets (local.get $map))))
      (then (call $grow (local.get $map))))
    (local.set $buckets (struct.get $map $buckets (local.get $map)))
    (local.set $b (call $bucket (local.get $buckets) (local.get $key)))
    (array.set $buckets (local.get $buckets) (local.get $b)
      (struct.new $entry (local.get $key) (local.get $values) (array.get $buckets (local.get $buckets) (local.get $b))))
    (struct.set $map $count (local.get $map) (i32.add (struct.get $map $count (local.get $map)) (i32.const 1))))

  (func $remove (param $map (ref $map)) (param $key i32)
    (local $buckets (ref $buckets)) (local $b i32) (local $e (ref null $entry)) (local $previous (ref null $entry))
    (local.set $buckets (struct.get $map $buckets (local.get $map)))
    (local.set $b (call $bucket (local.get $buckets) (local.get $key)))
    (local.set $e (array.get $buckets (local.get $buckets) (local.get $b)))
    (block $done
      (loop $more
        (br_if $done (ref.is_null (local.get $e)))
        (if (i32.eq (struct.get $entry $key (local.get $e)) (local.get $key))
          (then
            (if (ref.is_null (local.get $previous))
              (then (array.set $buckets (local.get $buckets) (local.get $b) (struct.get $entry $next (local.get $e))))
              (else (struct.set $entry $next (local.get $previous) (struct.get $entry $next (local.get $e)))))
            (struct.set $map $count (local.get $map) (i32.sub (struct.get $map $count (local.get $map)) (i32.const 1)))
            (br $done)))
        (local.set $previous (local.get $e))
        (local.set $e (struct.get $entry $next (local.get $e)))
        (br $more))))

  (func (export "run") (param $rounds i32) (result i64)
    (local $map (ref null $map)) (local $round i32) (local $i i32) (local $key i32)
    (local $values (ref null $list)) (local $sum i64)
    (block $done
      (loop $rounds
        (br_if $done (i32.ge_u (local.get $round) (local.get $rounds)))
        ;; A fresh map every 16 rounds: the old one, buckets and all, becomes garbage.
        (if (i32.eqz (i32.and (local.get $round) (i32.const 15)))
          (then (local.set $map (struct.new $map (array.new_default $buckets (i32.const 16)) (i32.const 0)))))
        (local.set $i (i32.const 0))
        (loop $inserts
          (local.set $key (i32.and (call $random) (i32.const 4095)))
          (local.set $values (call $list (i32.and (local.get $key) (i32.const 15)) (local.get $key)))
          (local.set $sum (i64.add (local.get $sum) (call $sum (local.get $values))))
          (call $insert (ref.as_non_null (local.get $map)) (local.get $key) (local.get $values))
          (br_if $inserts (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 1024))))
        (local.set $i (i32.const 0))
        (loop $removals
          (call $remove (ref.as_non_null (local.get $map)) (i32.and (call $random) (i32.const 4095)))
          (br_if $removals (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 512))))
        (local.set $sum (i64.add (local.get $sum)
          (i64.extend_i32_u (struct.get $map $count (ref.as_non_null (local.get $map))))))
        (local.set $round (i32.add (local.get $round) (i32.const 1)))
        (br $rounds)))
    (local.get $sum)))
