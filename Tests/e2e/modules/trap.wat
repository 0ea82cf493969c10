;; Traps as soon as it starts: the shim must end the container with status 137, as runwasi does.
(module
  (func (export "_start")
    unreachable))
