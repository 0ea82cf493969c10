import SwimTypes

/// GC's constant instructions at instantiation: allocations in global, table and element
/// initializers, `ref.i31` and the conversions between `any` and `extern`.
extension StoreStorage {
    /// Applies `instruction` (valid, so the stack holds its operands) to the evaluation stack.
    func evaluate(_ instruction: GCInstruction, on stack: inout [(UInt64, UInt64)], in instance: InstanceStorage) throws {
        switch instruction {
        case .structNew(let type):
            let rtt = runtimeType(instance.typeIDs[Int(type)])
            let count = rtt.pointee.fieldCount
            let operands = popSlots(count, of: rtt, from: &stack)
            guard let object = allocateStruct(rtt) else { throw Trap(.outOfMemory) }
            operands.withUnsafeBufferPointer { slots in
                let base = UnsafeMutablePointer(mutating: slots.baseAddress.unsafelyUnwrapped)
                for i in 0..<count { storeField(object, rtt.pointee.fields.unsafelyUnwrapped[i], from: base) }
            }
            stack.append((objectReference(object), 0))
        case .structNewDefault(let type):
            guard let object = allocateStruct(runtimeType(instance.typeIDs[Int(type)])) else { throw Trap(.outOfMemory) }
            stack.append((objectReference(object), 0))
        case .arrayNew(let type):
            let length = UInt32(truncatingIfNeeded: stack.removeLast().0)
            let value = stack.removeLast()
            let rtt = runtimeType(instance.typeIDs[Int(type)])
            guard let array = allocateArray(rtt, length: length) else { throw Trap(.outOfMemory) }
            var slots = [value.0, value.1]
            slots.withUnsafeMutableBufferPointer { buffer in
                fillElements(array.arrayElements, size: rtt.pointee.elementSize, count: Int(length),
                             value: buffer.baseAddress.unsafelyUnwrapped)
            }
            stack.append((objectReference(array), 0))
        case .arrayNewDefault(let type):
            let length = UInt32(truncatingIfNeeded: stack.removeLast().0)
            guard let array = allocateArray(runtimeType(instance.typeIDs[Int(type)]), length: length) else {
                throw Trap(.outOfMemory)
            }
            stack.append((objectReference(array), 0))
        case .arrayNewFixed(let type, let count):
            let rtt = runtimeType(instance.typeIDs[Int(type)])
            let values = stack.suffix(Int(count))
            stack.removeLast(Int(count))
            guard let array = allocateArray(rtt, length: count) else { throw Trap(.outOfMemory) }
            let size = rtt.pointee.elementSize
            for (i, value) in values.enumerated() {
                var slots = [value.0, value.1]
                slots.withUnsafeMutableBufferPointer { buffer in
                    fillElements(array.arrayElements + size * i, size: size, count: 1,
                                 value: buffer.baseAddress.unsafelyUnwrapped)
                }
            }
            stack.append((objectReference(array), 0))
        case .refI31:
            let value = UInt32(truncatingIfNeeded: stack.removeLast().0)
            stack.append(((UInt64(value & 0x7FFF_FFFF) << 1) | 1, 0))
        case .anyConvertExtern, .externConvertAny:
            break
        default:
            throw InstantiationError("unsupported constant expression instruction \(instruction)")
        }
    }

    /// The top `count` values, popped, laid out as `struct.new`'s operand slots for the fields
    /// of `type` (a v128 takes two).
    private func popSlots(_ count: Int, of type: RuntimeTypeRef, from stack: inout [(UInt64, UInt64)]) -> [UInt64] {
        let values = Array(stack.suffix(count))
        stack.removeLast(count)
        var slots: [UInt64] = []
        for (i, value) in values.enumerated() {
            slots.append(value.0)
            if type.pointee.fields.unsafelyUnwrapped[i].size == 16 { slots.append(value.1) }
        }
        slots.append(0)  // never empty, so the buffer has an address
        return slots
    }
}
