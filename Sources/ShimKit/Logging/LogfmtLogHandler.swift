import Glibc
import Logging

/// A swift-log handler writing logfmt lines (see `Logfmt`) to a `LogSink`, normally the
/// bundle's `log` fifo that containerd copies into its own log.
public struct LogfmtLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    public var metadataProvider: Logger.MetadataProvider?
    private let sink: LogSink

    public init(sink: LogSink, level: Logger.Level = .info, metadata: Logger.Metadata = [:]) {
        self.sink = sink
        self.logLevel = level
        self.metadata = metadata
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Installs this handler for every `Logger`: `-debug` selects debug, otherwise info.
    /// `metadata` (e.g. the namespace and task id) goes on every line.
    /// swift-log allows one bootstrap per process.
    public static func bootstrap(sink: LogSink, debug: Bool, metadata: Logger.Metadata = [:]) {
        let level: Logger.Level = debug ? .debug : .info
        LoggingSystem.bootstrap { _ in
            LogfmtLogHandler(sink: sink, level: level, metadata: metadata)
        }
    }

    public func log(event: LogEvent) {
        var fields: [(key: String, value: String)] = []
        var merged = metadata
        if let provided = metadataProvider?.get() {
            merged.merge(provided) { _, new in new }
        }
        if let error = event.error {
            merged["error"] = .string("\(error)")
        }
        if let extra = event.metadata {
            merged.merge(extra) { _, new in new }
        }
        fields.reserveCapacity(merged.count)
        for (key, value) in merged {
            fields.append((key, Self.render(value)))
        }
        var time = Glibc.timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        let line = Logfmt.line(
            time: (Int64(time.tv_sec), Int32(truncatingIfNeeded: time.tv_nsec)),
            level: Self.levelName(event.level), message: "\(event.message)", fields: fields)
        sink.write(line)
    }

    /// logrus' level names, which tools reading containerd's log understand.
    static func levelName(_ level: Logger.Level) -> String {
        switch level {
        case .trace: "trace"
        case .debug: "debug"
        case .info, .notice: "info"
        case .warning: "warning"
        case .error: "error"
        case .critical: "fatal"
        }
    }

    static func render(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): text
        case .stringConvertible(let convertible): convertible.description
        case .array(let values): "[" + values.map(render).joined(separator: " ") + "]"
        case .dictionary(let entries):
            "{" + entries.sorted { $0.key < $1.key }.map { "\($0.key):\(render($0.value))" }.joined(separator: " ") + "}"
        }
    }
}
