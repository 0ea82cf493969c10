import Testing
import SwimParser
import SwimTypes
import SwimWAT

/// GC's instructions in the text format: field names, immediates, and the binary they encode.
@Suite struct GCInstructionTextTests {
    @Test func fieldNamesAndImmediates() throws {
        let bytes = try #require(compile("""
            (module (type $s (struct (field $x i32) (field $y (mut i8)))) (type $a (array (mut i8)))
              (data $d "ab") (elem $e anyref)
              (func (param (ref $s) (ref $a))
                (struct.set $s $y (local.get 0) (i32.const 1))
                (drop (struct.get_u $s $y (local.get 0)))
                (drop (array.new_data $a $d (i32.const 0) (i32.const 2)))
                (drop (ref.cast (ref null $s) (local.get 0)))
                (drop (block (result anyref) (br_on_cast_fail 0 (ref $s) (ref $s) (local.get 0))))))
            """))
        let module = try parseModule(bytes: bytes)
        #expect(module.dataCount == 1)
        var reader = InstructionReader(module: module, body: module.codes[0])
        var instructions: [Instruction] = []
        while !reader.isAtEnd { instructions.append(try reader.read()) }
        #expect(instructions.contains(.gc(.structSet(0, field: 1))))
        #expect(instructions.contains(.gc(.structGet(0, field: 1, .unsigned))))
        #expect(instructions.contains(.gc(.arrayNewData(1, data: 0))))
        #expect(instructions.contains(.gc(.refCast(RefType(nullable: true, heapType: .index(0))))))
        let s = RefType(nullable: false, heapType: .index(0))
        #expect(instructions.contains(.gc(.brOnCastFail(label: 0, from: s, to: s))))
    }

    @Test func unknownFieldsAndFeatures() {
        #expect(compileError("(module (type $s (struct (field $x i32))) (func (param (ref $s)) (drop (struct.get $s $z (local.get 0)))))")?
            .message.contains("unknown field $z") == true)
        let noGC = WasmFeatures.default.subtracting(.gc)
        #expect(compileError("(module (func (drop (ref.i31 (i32.const 0)))))", features: noGC)?.message.contains("unknown operator") == true)
    }
}
