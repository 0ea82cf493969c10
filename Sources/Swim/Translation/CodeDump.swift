#if canImport(Glibc)
import Glibc
#endif
import SwimTypes

/// A developer's view of translated code: set `SWIM_DUMP_CODE=1` to print every function's
/// code on stderr as it is translated, one line per word, handlers by name.
enum CodeDump {
    static let enabled: Bool = getenv("SWIM_DUMP_CODE") != nil

    static func print(_ words: [UInt64], function: Int) {
        let names = handlerNames
        var text = "function \(function):\n"
        for (i, word) in words.enumerated() {
            text += names[word].map { "  \(i): \($0)\n" } ?? "  \(i):     0x\(String(word, radix: 16))\n"
        }
        text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }

    /// Every handler the translator can emit, by code word.
    static let handlerNames: [UInt64: String] = {
        var names: [UInt64: String] = [:]
        // A handler shared by several operators keeps the name of the first (its own).
        func add(_ handler: Handler?, _ name: String) {
            if let handler, names[handlerWord(handler)] == nil { names[handlerWord(handler)] = name }
        }
        let control: [(Handler, String)] = [
            (h_halt, "halt"), (h_unreachable, "unreachable"), (h_br, "br"), (h_brIf32, "br_if"),
            (h_brUnless32, "br_unless"), (h_brIf64, "br_if.i64"), (h_brUnless64, "br_unless.i64"),
            (h_brTable, "br_table"), (h_copy64, "copy"), (h_copy64x2, "copy x2"), (h_copy128, "copy.v128"),
            (h_const32, "const32"), (h_const64, "const64"), (h_const128, "const128"), (h_select, "select"),
            (h_select128, "select.v128"), (h_zeroLocals, "zero_locals"), (h_checkInterrupt, "check_interrupt"),
            (h_call, "call"), (h_callIndirect, "call_indirect"), (h_return, "return"), (h_return1, "return1"),
            (h_returnCall, "return_call"), (h_returnCallIndirect, "return_call_indirect"),
            (h_callRef, "call_ref"), (h_returnCallRef, "return_call_ref"), (h_refAsNonNull, "ref.as_non_null"),
            (h_globalGet, "global.get"), (h_globalSet, "global.set"), (h_memorySize, "memory.size"),
            (h_memoryGrow, "memory.grow"), (h_memoryFill, "memory.fill"), (h_memoryCopy, "memory.copy"),
            (h_memoryInit, "memory.init"), (h_dataDrop, "data.drop"), (h_tableGet, "table.get"),
            (h_tableSet, "table.set"), (h_tableSize, "table.size"), (h_tableGrow, "table.grow"),
            (h_tableFill, "table.fill"), (h_tableCopy, "table.copy"), (h_tableInit, "table.init"),
            (h_elemDrop, "elem.drop"), (h_i8x16Shuffle, "i8x16.shuffle"),
            (h_memoryWindow, "memory.window"), (h_restoreMemory0, "restore_memory0"),
            (h_memorySizeOf, "memory.size (entity)"), (h_memoryGrowOf, "memory.grow (entity)"),
            (h_memoryFillOf, "memory.fill (entity)"), (h_memoryCopyOf, "memory.copy (entities)"),
            (h_memoryInitOf, "memory.init (entity)"), (h_throw, "throw"), (h_throwRef, "throw_ref"),
        ]
        for (h, n) in control { add(h, n) }
        for op in NumericOp.allCases {
            add(numericHandler(op), op.name)
            add(numericImmediateHandler(op), op.name + " imm")
            add(numericImmediate64Handler(op), op.name + " imm64")
            add(compareBranchHandler(op), "br_if " + op.name)
            add(compareBranchImmediateHandler(op), "br_if " + op.name + " imm")
            add(negatedCompareBranchHandler(op), "br_unless " + op.name)
            add(negatedCompareBranchImmediateHandler(op), "br_unless " + op.name + " imm")
            add(floatImmediateHandler(op), op.name + " imm")
            add(simdHandler(op), op.name)
        }
        for op in MemoryOp.allCases {
            add(loadHandler(op, .slot), op.name)
            add(loadHandler(op, .slotPlusSlot), op.name + " [a+b]")
            add(loadHandler(op, .slotPlusImmediate), op.name + " [a+imm]")
            for immediate in [false, true] {
                let v = immediate ? " value imm" : ""
                add(storeHandler(op, .slot, immediateValue: immediate), op.name + v)
                add(storeHandler(op, .slotPlusSlot, immediateValue: immediate), op.name + " [a+b]" + v)
                add(storeHandler(op, .slotPlusImmediate, immediateValue: immediate), op.name + " [a+imm]" + v)
            }
            add(simdMemoryHandler(op), op.name)
        }
        for op in LaneOp.allCases { add(laneHandler(op), op.name) }
        for op in MemoryLaneOp.allCases { add(memoryLaneHandler(op), op.name) }
        return names
    }()
}
