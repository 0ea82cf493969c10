import NIOCore
import NIOHPACK
import Testing

@testable import ContainerdClient

/// gRPC's part on top of HTTP/2: message framing and the status trailers.
@Suite struct GRPCFramingTests {
    private func buffer(_ bytes: [UInt8]) -> ByteBuffer { ByteBuffer(bytes: bytes) }

    @Test func messagesSurviveAnyCutIntoFrames() throws {
        let allocator = ByteBufferAllocator()
        var stream: [UInt8] = []
        for message in [[UInt8](), [1, 2, 3], Array(repeating: 7, count: 300)] {
            stream += Array(buffer: GRPCMessageFraming.frame(message, allocator: allocator))
        }
        for cut in [1, 2, 5, 6, 7, 100, stream.count] {
            var deframer = GRPCMessageDeframer()
            var received: [[UInt8]] = []
            var offset = 0
            while offset < stream.count {
                deframer.append(buffer(Array(stream[offset..<min(offset + cut, stream.count)])))
                offset += cut
                while let message = try deframer.next() { received.append(message) }
            }
            #expect(received == [[], [1, 2, 3], Array(repeating: 7, count: 300)], "cut every \(cut) bytes")
            #expect(!deframer.hasPartialMessage)
        }
    }

    @Test func compressedAndOversizedMessagesAreRefused() {
        var deframer = GRPCMessageDeframer()
        deframer.append(buffer([1, 0, 0, 0, 1, 9]))
        #expect(throws: ContainerdError.self) { _ = try deframer.next() }
        deframer = GRPCMessageDeframer()
        deframer.append(buffer([0, 0xFF, 0xFF, 0xFF, 0xFF]))
        #expect(throws: ContainerdError.self) { _ = try deframer.next() }
    }

    @Test func statusTrailersMapToErrors() {
        let notFound = GRPCStatus(["grpc-status": "5", "grpc-message": "content digest sha256:ab%3A%20not%20found"])
        #expect(notFound == GRPCStatus(code: 5, message: "content digest sha256:ab: not found"))
        #expect(notFound?.error?.kind == .notFound)
        #expect(GRPCStatus(["grpc-status": "14"])?.error?.kind == .unavailable)
        #expect(GRPCStatus(["grpc-status": "0"])?.error == nil)
        #expect(GRPCStatus(["grpc-status": "x"])?.error?.kind == .failed)
        #expect(GRPCStatus([":status": "200"]) == nil)
        // A broken escape stays as it is.
        #expect(GRPCStatus(["grpc-status": "2", "grpc-message": "50%"])?.message == "50%")
    }
}
