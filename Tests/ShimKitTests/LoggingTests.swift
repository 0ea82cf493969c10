import Glibc
import Logging
import Testing
@testable import ShimKit

@Suite("logfmt logging")
struct LoggingTests {
    @Test func plainValuesStayBare() {
        #expect(Logfmt.value("info") == "info")
        #expect(Logfmt.value("a-b.c_d/e@f^g+h") == "a-b.c_d/e@f^g+h")
        #expect(Logfmt.value("42") == "42")
    }

    @Test func otherValuesAreQuotedAndEscaped() {
        #expect(Logfmt.value("") == "\"\"")
        #expect(Logfmt.value("two words") == "\"two words\"")
        #expect(Logfmt.value("a=b") == "\"a=b\"")
        #expect(Logfmt.value("say \"hi\"") == "\"say \\\"hi\\\"\"")
        #expect(Logfmt.value("back\\slash") == "\"back\\\\slash\"")
        #expect(Logfmt.value("line\nbreak\ttab\r") == "\"line\\nbreak\\ttab\\r\"")
        #expect(Logfmt.value("bell\u{07}esc\u{1B}") == "\"bell\\aesc\\x1b\"")
        #expect(Logfmt.value("héllo") == "\"héllo\"")
    }

    @Test func keysNeverBreakTheLine() {
        #expect(Logfmt.key("task id") == "task_id")
        #expect(Logfmt.key("a=b") == "a_b")
        #expect(Logfmt.key("") == "_")
    }

    @Test func timestampsAreRFC3339WithNanoseconds() {
        #expect(Logfmt.timestamp(seconds: 0, nanoseconds: 0) == "1970-01-01T00:00:00.000000000Z")
        #expect(Logfmt.timestamp(seconds: 1_795_975_200, nanoseconds: 5) == "2026-11-29T18:00:00.000000005Z")
        #expect(Logfmt.timestamp(seconds: 951_868_799, nanoseconds: 999_999_999) == "2000-02-29T23:59:59.999999999Z")
        #expect(Logfmt.timestamp(seconds: -1, nanoseconds: 0) == "1969-12-31T23:59:59.000000000Z")
        #expect(Logfmt.timestamp(seconds: 4_107_542_400, nanoseconds: 0) == "2100-03-01T00:00:00.000000000Z")
        // Out-of-range input is clamped, never trapped on.
        #expect(Logfmt.timestamp(seconds: .min, nanoseconds: -5).hasPrefix("0000-01-01T00:00:00.000000000"))
        #expect(Logfmt.timestamp(seconds: .max, nanoseconds: .max).hasPrefix("9999-12-31T23:59:59.999999999"))
    }

    @Test func lineHasTimeLevelMessageThenSortedFields() {
        let line = Logfmt.line(
            time: (1_795_975_200, 0), level: "info", message: "task started",
            fields: [("pod", "sandbox-1"), ("instance", "my task")])
        #expect(line == "time=\"2026-11-29T18:00:00.000000000Z\" level=info msg=\"task started\" instance=\"my task\" pod=sandbox-1\n")
    }

    @Test func handlerWritesOneLinePerEventAtItsLevel() throws {
        var fds: [Int32] = [-1, -1]
        try #require(pipe(&fds) == 0)
        defer { close(fds[0]) }
        let sink = LogSink(fd: fds[1], owned: true)
        var logger = Logger(label: "test") { _ in LogfmtLogHandler(sink: sink, level: .info, metadata: ["ns": "default"]) }
        logger[metadataKey: "id"] = "c1"
        logger.debug("hidden")
        logger.info("hello world", metadata: ["pid": "42"])
        logger.critical("bad")

        // Writes are synchronous: everything logged is already in the pipe.
        _ = fcntl(fds[0], F_SETFL, O_NONBLOCK)
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(fds[0], &chunk, chunk.count)
            if count <= 0 { break }
            output += chunk[0..<count]
        }
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
        try #require(lines.count == 2)
        #expect(lines[0].hasPrefix("time=\""))
        #expect(lines[0].hasSuffix("\" level=info msg=\"hello world\" id=c1 ns=default pid=42"))
        #expect(lines[1].contains(" level=fatal msg=bad id=c1 ns=default"))
    }

    @Test func fifoWithoutReaderFallsBackToStandardError() throws {
        let path = "/tmp/shim-log-\(getpid())-noreader"
        unlink(path)
        try #require(mkfifo(path, 0o600) == 0)
        defer { unlink(path) }
        // Nobody reads: opening the write side fails with ENXIO, and the sink is stderr.
        let sink = LogSink.openFifo(path: path)
        #expect(sink === LogSink.standardError)
    }

    @Test func fifoWithReaderReceivesLines() throws {
        let path = "/tmp/shim-log-\(getpid())-reader"
        unlink(path)
        try #require(mkfifo(path, 0o600) == 0)
        defer { unlink(path) }
        // containerd opens the read side first.
        let reader = open(path, O_RDONLY | O_NONBLOCK)
        try #require(reader >= 0)
        defer { close(reader) }
        let sink = LogSink.openFifo(path: path)
        #expect(sink !== LogSink.standardError)
        sink.write("level=info msg=hi\n")
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(reader, &buffer, buffer.count)
        #expect(count > 0 && String(decoding: buffer[0..<max(count, 0)], as: UTF8.self) == "level=info msg=hi\n")
    }

    @Test func levelNamesFollowLogrus() {
        #expect(LogfmtLogHandler.levelName(.notice) == "info")
        #expect(LogfmtLogHandler.levelName(.warning) == "warning")
        #expect(LogfmtLogHandler.levelName(.trace) == "trace")
    }
}
