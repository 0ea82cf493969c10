import SwimTypes

/// Tail calls (`return_call`, `return_call_indirect`, `return_call_ref`): the arguments go to their canonical slots as for a call, and the handler
/// moves them down to the frame base (see TailCallHandlers.swift). Nothing follows.
extension Translator {
    mutating func returnCall(_ index: UInt32) {
        let callee = instance.functions[Int(index)]
        let calleeType = instance.store.types[Int(callee.pointee.typeID)]
        let arguments = tailCallArguments(calleeType)
        code.emit(h_returnCall, operands(arguments.slot, arguments.count, layout.headerSlot),
                  UInt64(UInt(bitPattern: callee)))
        code.append(pointer: instance.memory0)
        markUnreachable()
    }

    mutating func returnCallIndirect(typeIndex: UInt32, tableIndex: UInt32) {
        let calleeType = module.types[Int(typeIndex)]
        let typeID = instance.typeIDs[Int(typeIndex)]
        let table = instance.tables[Int(tableIndex)]
        let index = stack.pop()
        let indexSlot = readSlot(index)
        let arguments = tailCallArguments(calleeType)
        code.emit(h_returnCallIndirect, operands(arguments.slot, arguments.count, layout.headerSlot, indexSlot),
                  UInt64(UInt(bitPattern: table)))
        code.append(UInt64(typeID))
        code.append(pointer: instance.memory0)
        markUnreachable()
    }

    mutating func returnCallRef(typeIndex: UInt32) {
        let calleeType = module.types[Int(typeIndex)]
        let reference = stack.pop()
        let referenceSlot = readSlot(reference)
        let arguments = tailCallArguments(calleeType)
        code.emit(h_returnCallRef, operands(arguments.slot, arguments.count, layout.headerSlot, referenceSlot))
        code.append(pointer: instance.memory0)
        markUnreachable()
    }

    /// Puts the arguments in their canonical slots; returns the first one and how many slots they take.
    private mutating func tailCallArguments(_ calleeType: FunctionType) -> (slot: Int, count: Int) {
        let first = stack.count - calleeType.parameters.count
        for i in first..<stack.count { materialize(i) }
        let slot = stack.slot(atHeight: first)
        let count = stack.slot(atHeight: stack.count) - slot
        stack.truncate(to: first)
        producer = nil
        return (slot, count)
    }
}
