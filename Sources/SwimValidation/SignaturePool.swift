import SwimTypes

/// A sequence of operand types: the parameters or results of a function or block type.
///
/// Block and function types are referred to by position in a shared pool instead of
/// being copied into arrays, so pushing a control frame never allocates.
enum TypeList: Sendable {
    case empty
    /// The result of a block typed by a single value type.
    case single(OperandType)
    /// `count` types starting at `start` in a `SignaturePool`.
    case pooled(start: Int, count: Int)

    var count: Int {
        switch self {
        case .empty: return 0
        case .single: return 1
        case .pooled(_, let count): return count
        }
    }
}

/// The parameters and results of a function type or block type.
struct Signature: Sendable {
    var parameters: TypeList
    var results: TypeList

    static let empty = Signature(parameters: .empty, results: .empty)
}

/// Every function type of the type section, converted once to operand types and laid
/// out end to end.
struct SignaturePool: Sendable {
    private var types: [OperandType] = []
    /// One entry per type index: nil for a struct or array type.
    private(set) var signatures: [Signature?] = []

    init(_ definedTypes: [DefinedType]) {
        signatures.reserveCapacity(definedTypes.count)
        for type in definedTypes {
            guard let function = type.functionType else {
                signatures.append(nil)
                continue
            }
            let parameters = append(function.parameters)
            let results = append(function.results)
            signatures.append(Signature(parameters: parameters, results: results))
        }
    }

    private mutating func append(_ list: [ValueType]) -> TypeList {
        if list.isEmpty { return .empty }
        let start = types.count
        for t in list { types.append(OperandType(t)) }
        return .pooled(start: start, count: list.count)
    }

    /// The signature of a type index, or nil when the index is out of range or not a function type.
    @inline(__always)
    func signature(_ typeIndex: UInt32) -> Signature? {
        let i = Int(typeIndex)
        return i < signatures.count ? signatures[i] : nil
    }

    /// The `index`th type of `list`; `index` must be below `list.count`.
    @inline(__always)
    subscript(list: TypeList, index: Int) -> OperandType {
        switch list {
        case .empty: return .unknown
        case .single(let t): return t
        case .pooled(let start, _): return types[start + index]
        }
    }

    /// The types of a list, for error messages.
    func describe(_ list: TypeList) -> String {
        "[" + (0..<list.count).map { self[list, $0].description }.joined(separator: " ") + "]"
    }
}
