import Glibc
import Testing
@testable import ShimKit

@Suite("ttrpc frames")
struct TTRPCFrameTests {
    @Test func headerIsTenBigEndianBytes() {
        let header = TTRPCFrameHeader(length: 0x0102_0304, streamID: 0x0A0B_0C0D, type: .response, flags: 0x04)
        #expect(header.encoded == [0x01, 0x02, 0x03, 0x04, 0x0A, 0x0B, 0x0C, 0x0D, 0x02, 0x04])
        #expect(TTRPCFrameHeader(decoding: header.encoded) == header)
    }

    @Test func headerNeedsTenBytes() {
        #expect(TTRPCFrameHeader(decoding: [UInt8](repeating: 0, count: 9)) == nil)
        #expect(TTRPCFrameHeader(decoding: [UInt8]()) == nil)
    }

    @Test func frameRoundTrip() throws {
        let frame = try TTRPCFrame(streamID: 7, type: .request, data: Array("hello".utf8))
        let bytes = frame.encoded
        #expect(bytes.count == 15)
        #expect(Array(bytes[0..<4]) == [0, 0, 0, 5])
        #expect(TTRPCFrame.parse(bytes[...]) == .frame(frame, consumed: 15))
    }

    @Test func parseLeavesFollowingBytes() throws {
        let first = try TTRPCFrame(streamID: 1, type: .request, data: [1, 2, 3])
        let second = try TTRPCFrame(streamID: 3, type: .request, data: [])
        let bytes = first.encoded + second.encoded
        guard case .frame(let parsed, let consumed) = TTRPCFrame.parse(bytes[...]) else {
            Issue.record("first frame not parsed")
            return
        }
        #expect(parsed == first)
        #expect(TTRPCFrame.parse(bytes[consumed...]) == .frame(second, consumed: 10))
    }

    @Test func truncatedInputIsIncomplete() throws {
        let bytes = try TTRPCFrame(streamID: 1, type: .request, data: [UInt8](repeating: 9, count: 100)).encoded
        for cut in [0, 1, 9, 10, 50, 109] {
            #expect(TTRPCFrame.parse(bytes[0..<cut]) == .incomplete, "cut at \(cut)")
        }
    }

    @Test func lengthOverFourMebibytesIsOversized() {
        let limit = UInt32(TTRPCFrameHeader.maxDataLength)
        let atLimit = TTRPCFrameHeader(length: limit, streamID: 1, type: .request)
        #expect(TTRPCFrame.parse(atLimit.encoded[...]) == .incomplete)
        let over = TTRPCFrameHeader(length: limit + 1, streamID: 1, type: .request)
        #expect(TTRPCFrame.parse(over.encoded[...]) == .oversized(over))
    }

    @Test func garbageParsesWithoutTrapping() {
        // Text where a header should be: a huge length, so it is oversized, never a crash.
        let garbage = Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        guard case .oversized(let header) = TTRPCFrame.parse(garbage[...]) else {
            Issue.record("expected an oversized header")
            return
        }
        #expect(header.messageType == nil)
        // Every byte pattern of a header decodes.
        for byte in [UInt8(0), 0x7F, 0xFF] {
            #expect(TTRPCFrameHeader(decoding: [UInt8](repeating: byte, count: 10)) != nil)
        }
    }

    @Test func refusesToBuildAnOversizedFrame() {
        #expect(throws: TTRPCError.self) {
            _ = try TTRPCFrame(streamID: 1, type: .request, data: [UInt8](repeating: 0, count: TTRPCFrameHeader.maxDataLength + 1))
        }
    }

    @Test func readerReadsFramesAcrossWrites() throws {
        let (reader, writer) = try socketPair()
        defer { close(reader) }
        let frames = try (0..<3).map { try TTRPCFrame(streamID: UInt32(2 * $0 + 1), type: .request, data: [UInt8](repeating: UInt8($0), count: 70_000)) }
        let bytes = frames.flatMap(\.encoded)
        // Dribble the bytes in odd-sized pieces from another thread.
        Threads.spawn(name: "writer") {
            var offset = 0
            while offset < bytes.count {
                let end = min(offset + 4099, bytes.count)
                _ = UnixSocket.sendAll(writer, Array(bytes[offset..<end]))
                offset = end
            }
            close(writer)
        }
        let frameReader = FrameReader(fd: reader)
        for frame in frames {
            #expect(frameReader.next() == .frame(frame))
        }
        #expect(frameReader.next() == .closed)
    }

    @Test func readerReportsAFrameCutShort() throws {
        let (reader, writer) = try socketPair()
        defer { close(reader) }
        let bytes = try TTRPCFrame(streamID: 1, type: .request, data: [1, 2, 3, 4]).encoded
        _ = UnixSocket.sendAll(writer, Array(bytes[0..<12]))
        close(writer)
        guard case .broken = FrameReader(fd: reader).next() else {
            Issue.record("a truncated frame must be reported broken")
            return
        }
    }

    @Test func readerSkipsOversizedData() throws {
        let (reader, writer) = try socketPair()
        defer { close(reader) }
        let length = TTRPCFrameHeader.maxDataLength + 10
        let big = TTRPCFrameHeader(length: UInt32(length), streamID: 5, type: .request)
        let next = try TTRPCFrame(streamID: 7, type: .request, data: [42])
        Threads.spawn(name: "writer") {
            _ = UnixSocket.sendAll(writer, big.encoded + [UInt8](repeating: 0xEE, count: length) + next.encoded)
            close(writer)
        }
        let frameReader = FrameReader(fd: reader)
        #expect(frameReader.next() == .oversized(big))
        #expect(frameReader.next() == .frame(next))
        #expect(frameReader.next() == .closed)
    }

    private func socketPair() throws -> (Int32, Int32) {
        var fds: [Int32] = [-1, -1]
        try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0)
        return (fds[0], fds[1])
    }
}
