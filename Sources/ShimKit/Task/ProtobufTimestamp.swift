import SwiftProtobuf

extension Google_Protobuf_Timestamp {
    /// The current wall-clock time.
    public static var now: Google_Protobuf_Timestamp { Google_Protobuf_Timestamp(.now) }

    init(_ time: WallClockTime) {
        self.init(seconds: time.seconds, nanos: time.nanoseconds)
    }
}
