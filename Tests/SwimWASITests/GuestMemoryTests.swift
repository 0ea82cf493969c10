import Testing
@testable import SwimWASI

@Suite struct GuestMemoryTests {
    /// A 64-byte "linear memory" for the checks.
    private func withMemory(_ body: (GuestMemory) throws -> Void) rethrows {
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 8)
        defer { storage.deallocate() }
        storage.initializeMemory(as: UInt8.self, repeating: 0)
        try body(GuestMemory(storage))
    }

    @Test func boundsChecks() {
        withMemory { memory in
            #expect(throws: Never.self) { _ = try memory.pointer(0, 64) }
            #expect(throws: Never.self) { _ = try memory.pointer(64, 0) }
            #expect(throws: Never.self) { _ = try memory.pointer(60, 4) }
            #expect(throws: WASIErrno.fault) { _ = try memory.pointer(61, 4) }
            #expect(throws: WASIErrno.fault) { _ = try memory.pointer(65, 0) }
            #expect(throws: WASIErrno.fault) { _ = try memory.pointer(UInt32.max, 1) }
            #expect(throws: WASIErrno.fault) { _ = try memory.pointer(1, UInt64(UInt32.max)) }
            #expect(throws: WASIErrno.fault) { try memory.store64(57, 1) }
            #expect(throws: WASIErrno.fault) { _ = try memory.load32(61) }
        }
        #expect(throws: WASIErrno.fault) { _ = try GuestMemory.none.load8(0) }
    }

    @Test func littleEndianAndUnaligned() throws {
        try withMemory { memory in
            try memory.store32(1, 0x0403_0201)
            #expect(try memory.load8(1) == 1)
            #expect(try memory.load8(4) == 4)
            try memory.store64(9, 0x0102_0304_0506_0708)
            #expect(try memory.load64(9) == 0x0102_0304_0506_0708)
            #expect(try memory.load16(9) == 0x0708)
        }
    }

    @Test func strings() throws {
        try withMemory { memory in
            try memory.write(Array("dir/file".utf8), at: 10)
            #expect(try memory.string(10, 8) == "dir/file")
            #expect(try memory.string(10, 0) == "")
            try memory.store8(20, 0xFF)
            #expect(throws: WASIErrno.ilseq) { _ = try memory.string(20, 1) }
            #expect(throws: WASIErrno.inval) { _ = try memory.string(30, 2) }  // NUL bytes
            #expect(throws: WASIErrno.fault) { _ = try memory.string(60, 8) }
        }
    }

    @Test func iovecs() throws {
        try withMemory { memory in
            // Two vectors: 4 bytes at 40, 8 bytes at 48.
            try memory.store32(0, 40)
            try memory.store32(4, 4)
            try memory.store32(8, 48)
            try memory.store32(12, 8)
            let vectors = try memory.iovecs(0, 2)
            #expect(vectors.count == 2)
            #expect(vectors[1].iov_len == 8)
            // A buffer past the end, or an array past the end: both fault.
            try memory.store32(12, 17)
            #expect(throws: WASIErrno.fault) { _ = try memory.iovecs(0, 2) }
            #expect(throws: WASIErrno.fault) { _ = try memory.iovecs(60, 1) }
            #expect(throws: WASIErrno.fault) { _ = try memory.iovecs(0, 0x2000_0000) }
        }
    }
}
