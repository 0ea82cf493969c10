import Glibc
import SwiftProtobuf

extension Google_Protobuf_Timestamp {
    /// The current wall-clock time.
    public static var now: Google_Protobuf_Timestamp {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Google_Protobuf_Timestamp(seconds: Int64(time.tv_sec), nanos: Int32(truncatingIfNeeded: time.tv_nsec))
    }
}
