import Testing
import SwimTypes

/// The subtyping lattice of heap types, over a small hierarchy of defined types.
@Suite struct HeapTypeMatchingTests {
    /// Type 0: a function type; 1: a struct type; 2: a struct subtype of 1; 3: an array type.
    struct Types: TypeHierarchy {
        func compositeKind(of index: UInt32) -> CompositeKind? {
            switch index {
            case 0: return .function
            case 1, 2: return .struct
            case 3: return .array
            default: return nil
            }
        }

        func isSubtype(_ sub: UInt32, of sup: UInt32) -> Bool { sub == sup || (sub == 2 && sup == 1) }
    }

    @Test func abstractTypes() {
        let types = Types()
        #expect(HeapType.none.matches(.i31, in: types) && HeapType.i31.matches(.eq, in: types))
        #expect(HeapType.eq.matches(.any, in: types) && !HeapType.any.matches(.eq, in: types))
        #expect(HeapType.nofunc.matches(.func, in: types) && !HeapType.nofunc.matches(.any, in: types))
        #expect(HeapType.noextern.matches(.extern, in: types) && !HeapType.extern.matches(.any, in: types))
        #expect(HeapType.noexn.matches(.exn, in: types) && !HeapType.exn.matches(.any, in: types))
    }

    @Test func definedTypes() {
        let types = Types()
        #expect(HeapType.index(0).matches(.func, in: types) && !HeapType.index(0).matches(.any, in: types))
        #expect(HeapType.index(1).matches(.struct, in: types) && HeapType.index(1).matches(.eq, in: types))
        #expect(!HeapType.index(1).matches(.array, in: types) && HeapType.index(3).matches(.array, in: types))
        #expect(HeapType.index(2).matches(.index(1), in: types) && !HeapType.index(1).matches(.index(2), in: types))
        #expect(HeapType.none.matches(.index(2), in: types) && !HeapType.none.matches(.index(0), in: types))
        #expect(HeapType.nofunc.matches(.index(0), in: types) && !HeapType.nofunc.matches(.index(3), in: types))
        #expect(HeapType.index(9).top(in: types) == nil && HeapType.index(3).top(in: types) == .any)
        #expect(HeapType.index(0).bottom(in: types) == .nofunc)
    }

    @Test func fieldsAndComposites() {
        let types = Types()
        let immutable = FieldType(.value(.ref(RefType(nullable: false, heapType: .index(2)))))
        let wider = FieldType(.value(.ref(RefType(nullable: true, heapType: .index(1)))))
        #expect(immutable.matches(wider, in: types))
        var mutable = immutable
        mutable.mutable = true
        var mutableWider = wider
        mutableWider.mutable = true
        #expect(!mutable.matches(mutableWider, in: types) && mutable.matches(mutable, in: types))
        #expect(CompositeType.struct([immutable, FieldType(.i8)]).matches(.struct([wider]), in: types))
        #expect(!CompositeType.struct([wider]).matches(.struct([immutable]), in: types))
    }

    @Test func recursionGroupKeysMarkInternalReferences() {
        let group: [DefinedType] = [
            DefinedType(.struct([FieldType(.value(.ref(RefType(nullable: true, heapType: .index(6)))))])),
            DefinedType(.array(FieldType(.value(.ref(RefType(nullable: true, heapType: .index(2))))))),
        ]
        // The group starts at 5: 6 is its second type, 2 an earlier type (canonical 1).
        let key = RecursionGroupKey.key(of: group[...], start: 5) { $0 == 2 ? 1 : $0 }
        #expect(key[0] == DefinedType(.struct([FieldType(.value(.ref(RefType(nullable: true,
            heapType: .index(RecursionGroupKey.internalBit | 1)))))])))
        #expect(key[1] == DefinedType(.array(FieldType(.value(.ref(RefType(nullable: true, heapType: .index(1))))))))
    }
}
