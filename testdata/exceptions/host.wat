;; The host module of program.wat for runtimes that cannot define host functions from the
;; command line (wasmtime: `--preload env=host.wat`). Swim's tests define the same two
;; imports in Swift instead: a tag, and a function that throws it when its argument is not 0.
(module
  (tag $failure (export "failure") (param i32))
  (func (export "check") (param i32)
    (if (local.get 0) (then (throw $failure (local.get 0))))))
