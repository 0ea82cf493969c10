import SwimTypes

/// The defined types of a store, interned by recursion group: equivalent groups of any of the
/// store's modules (and the host's function types) get the same store type ids, so that type
/// identity at link time, `call_indirect` and casts compare ids (iso-recursive equivalence).
///
/// A stored definition refers to other types by their store ids, those of its own group too.
struct TypeRegistry: TypeHierarchy {
    /// Each group's canonical form (`RecursionGroupKey`, with store ids outside the group) and
    /// the id of its first type.
    private var groups: [[DefinedType]: UInt32] = [:]
    /// The definition of each store type id.
    private(set) var definitions: [DefinedType] = []

    /// The store type ids of a module's types, interning the groups the store does not have yet.
    /// The module is valid: a group refers only to earlier types and to itself.
    mutating func intern(_ types: [DefinedType], groups moduleGroups: [Range<Int>]) -> [UInt32] {
        var ids = [UInt32](repeating: 0, count: types.count)
        for group in moduleGroups {
            let start = UInt32(truncatingIfNeeded: group.lowerBound)
            let key = RecursionGroupKey.key(of: types[group], start: start) { ids[Int($0)] }
            let first = groups[key] ?? add(types[group], start: start, key: key, earlierIDs: ids)
            for position in 0..<group.count {
                ids[group.lowerBound + position] = first + UInt32(truncatingIfNeeded: position)
            }
        }
        return ids
    }

    /// The id of a function type whose type indices are store ids (a host function's type): a
    /// final type without supertypes, in a group of its own.
    mutating func typeID(of function: FunctionType) -> UInt32 {
        let type = DefinedType(function: function)
        let key = RecursionGroupKey.key(of: [type], start: 0) { $0 }
        if let id = groups[key] { return id }
        let id = UInt32(truncatingIfNeeded: definitions.count)
        definitions.append(type)
        groups[key] = id
        return id
    }

    private mutating func add(_ group: ArraySlice<DefinedType>, start: UInt32, key: [DefinedType],
                              earlierIDs: [UInt32]) -> UInt32 {
        let first = UInt32(truncatingIfNeeded: definitions.count)
        for type in group {
            definitions.append(type.mappingTypeIndices { index in
                index >= start ? first + (index - start) : earlierIDs[Int(index)]
            })
        }
        groups[key] = first
        return first
    }

    /// The function type of store type `id` (an empty signature for other kinds).
    func functionType(_ id: UInt32) -> FunctionType {
        definitions[Int(id)].functionType ?? FunctionType()
    }

    // MARK: TypeHierarchy

    func compositeKind(of index: UInt32) -> CompositeKind? {
        Int(index) < definitions.count ? definitions[Int(index)].composite.kind : nil
    }

    func isSubtype(_ sub: UInt32, of sup: UInt32) -> Bool {
        var current = sub
        while true {
            if current == sup { return true }
            // Supertypes have smaller ids (they are defined first), so the walk ends.
            guard Int(current) < definitions.count, let next = definitions[Int(current)].supertype else { return false }
            current = next
        }
    }
}
