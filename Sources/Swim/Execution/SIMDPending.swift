// Temporary: replaced by the SIMD handlers being written (not to be committed).
import WasmTypes
func simdHandler(_ op: NumericOp) -> Handler? { nil }
func simdMemoryHandler(_ op: MemoryOp) -> Handler? { nil }
func laneHandler(_ op: LaneOp) -> Handler { h_unreachable }
func memoryLaneHandler(_ op: MemoryLaneOp) -> Handler { h_unreachable }
func h_i8x16Shuffle(_ pc: Pc, _ fp: Fp, _ mem: Mem, _ ms: UInt64, _ ctx: Ctx) -> Pc? { trap(.unreachable, pc, ctx) }
