import Testing
@testable import SwimWASI

@Suite struct DescriptorTableTests {
    private func descriptor() -> Descriptor {
        Descriptor(hostFD: -1, kind: .file, rightsBase: .all, rightsInheriting: .all, ownsHostFD: false)
    }

    /// Numbers as wasmtime gives them: sequential, then the highest freed one first.
    @Test func allocation() throws {
        var table = DescriptorTable()
        for expected in UInt32(0)..<6 { #expect(try table.insert(descriptor()) == expected) }
        _ = try table.remove(2)
        _ = try table.remove(4)
        #expect(try table.insert(descriptor()) == 4)
        #expect(try table.insert(descriptor()) == 2)
        #expect(try table.insert(descriptor()) == 6)
        _ = try table.remove(6)
        #expect(try table.insert(descriptor()) == 6)
        #expect(throws: WASIErrno.badf) { _ = try table.remove(9) }
        #expect(throws: WASIErrno.badf) { _ = try table.get(UInt32.max) }
    }

    @Test func renumber() throws {
        var table = DescriptorTable()
        let a = descriptor(), b = descriptor(), c = descriptor()
        _ = try table.insert(a)
        _ = try table.insert(b)
        _ = try table.insert(c)
        #expect(throws: WASIErrno.badf) { try table.renumber(from: 0, to: 7) }
        #expect(throws: WASIErrno.badf) { try table.renumber(from: 7, to: 0) }
        try table.renumber(from: 2, to: 0)
        #expect(try table.get(0) === c)
        #expect(table[2] == nil)
        try table.renumber(from: 1, to: 1)
        #expect(try table.get(1) === b)
        // 2 is free again and reused; 0 is not.
        #expect(try table.insert(descriptor()) == 2)
    }

    @Test func rights() throws {
        let d = Descriptor(hostFD: -1, kind: .file, rightsBase: [.fdRead, .fdSeek], rightsInheriting: [], ownsHostFD: false)
        #expect(throws: Never.self) { try d.require(.fdRead) }
        #expect(throws: Never.self) { try d.require([.fdRead, .fdSeek]) }
        #expect(throws: WASIErrno.notcapable) { try d.require(.fdWrite) }
        #expect(throws: WASIErrno.notcapable) { try d.require([.fdRead, .fdTell]) }
        #expect(WASIRights.preopenInheriting.isSuperset(of: .preopenBase))
        #expect(WASIRights.preopenBase.rawValue == 0x7B7_FE00)  // what wasmtime reports
        #expect(WASIRights.preopenInheriting.rawValue == 0xFF7_FFFF)
    }
}
