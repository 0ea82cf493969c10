;; Forces a real OOM kill under a container memory limit. The engine keeps *linear memory*
;; under the cgroup limit (memory.grow fails first), but a table is the engine's own memory:
;; two tables of 10 million funcref elements (the engine's per-table maximum) make
;; instantiation write about 160 MB, far above the limit the test sets, so the kernel's OOM
;; killer ends the container and the shim must report a TaskOOM event.
(module
  (table 10000000 funcref)
  (table 10000000 funcref)
  (func (export "_start")))
