;; Forces a real OOM kill under a small container memory limit. The engine keeps its memories
;; and tables under the limit (a failed grow, an instantiation error), but the value stack is
;; the runtime's own (16 MiB, touched as calls go deeper): recursion with wide frames pushes
;; the process past a 16 MiB cgroup limit before the stack runs out, so the kernel's OOM
;; killer ends the container and the shim must report a TaskOOM event.
(module
  (func $deep (param $n i64) (result i64)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
           i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
           i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
           i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    (i64.add (call $deep (i64.add (local.get $n) (i64.const 1))) (local.get $n)))
  (func (export "_start") (drop (call $deep (i64.const 0)))))
