/// The instructions of garbage collection (Wasm 3.0 GC): the 0xFB prefix and `ref.eq` (0xD3).
/// They are `Instruction.gc` cases, decoded and parsed by hand like the other non-numeric
/// instructions; type indices name struct or array types, `field` a struct's field.
public enum GCInstruction: Hashable, Sendable {
    case structNew(UInt32)
    case structNewDefault(UInt32)
    case structGet(UInt32, field: UInt32, PackedExtension)
    case structSet(UInt32, field: UInt32)
    case arrayNew(UInt32)
    case arrayNewDefault(UInt32)
    case arrayNewFixed(UInt32, count: UInt32)
    case arrayNewData(UInt32, data: UInt32)
    case arrayNewElem(UInt32, element: UInt32)
    case arrayGet(UInt32, PackedExtension)
    case arraySet(UInt32)
    case arrayLen
    case arrayFill(UInt32)
    case arrayCopy(destination: UInt32, source: UInt32)
    case arrayInitData(UInt32, data: UInt32)
    case arrayInitElem(UInt32, element: UInt32)
    case refTest(RefType)
    case refCast(RefType)
    /// Branches to `label` with the reference when it is of type `to` (a subtype of `from`).
    case brOnCast(label: UInt32, from: RefType, to: RefType)
    /// Branches to `label` with the reference when it is not of type `to`.
    case brOnCastFail(label: UInt32, from: RefType, to: RefType)
    case anyConvertExtern
    case externConvertAny
    case refI31
    case i31Get(PackedExtension)
    case refEq
}

/// How `struct.get`, `array.get` and `i31.get` read their value: a packed field as is
/// (`none`, only for unpacked fields), sign-extended (`_s`) or zero-extended (`_u`).
public enum PackedExtension: Hashable, Sendable {
    case none
    case signed
    case unsigned
}

extension GCInstruction {
    /// The sub-opcode after the 0xFB prefix; nil for `ref.eq` (0xD3).
    public var subopcode: UInt32? {
        switch self {
        case .structNew: return 0
        case .structNewDefault: return 1
        case .structGet(_, _, let e): return e == .none ? 2 : e == .signed ? 3 : 4
        case .structSet: return 5
        case .arrayNew: return 6
        case .arrayNewDefault: return 7
        case .arrayNewFixed: return 8
        case .arrayNewData: return 9
        case .arrayNewElem: return 10
        case .arrayGet(_, let e): return e == .none ? 11 : e == .signed ? 12 : 13
        case .arraySet: return 14
        case .arrayLen: return 15
        case .arrayFill: return 16
        case .arrayCopy: return 17
        case .arrayInitData: return 18
        case .arrayInitElem: return 19
        case .refTest(let t): return t.nullable ? 21 : 20
        case .refCast(let t): return t.nullable ? 23 : 22
        case .brOnCast: return 24
        case .brOnCastFail: return 25
        case .anyConvertExtern: return 26
        case .externConvertAny: return 27
        case .refI31: return 28
        case .i31Get(let e): return e == .signed ? 29 : 30
        case .refEq: return nil
        }
    }

    /// Whether the instruction may appear in a constant expression.
    public var isConstant: Bool {
        switch self {
        case .structNew, .structNewDefault, .arrayNew, .arrayNewDefault, .arrayNewFixed, .refI31,
             .anyConvertExtern, .externConvertAny:
            return true
        default:
            return false
        }
    }
}
