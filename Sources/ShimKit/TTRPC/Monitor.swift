import Glibc

/// State guarded by a pthread mutex, with a condition variable to wait for changes.
///
/// The shim runs on plain threads (no Swift concurrency runtime), so blocking waits
/// with deadlines need a real condition variable. The condition uses the monotonic
/// clock, so wall-clock jumps do not stretch or cut timeouts.
package final class Monitor<State>: @unchecked Sendable {
    // @unchecked: `state` is only touched with `mutex` held.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    private var state: State

    package init(_ initial: State) {
        state = initial
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        condition = .allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        condition.deallocate()
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with the lock held and wakes every waiter afterwards, since the
    /// body may have changed what they wait for.
    package func withLock<Result>(_ body: (inout State) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer {
            pthread_cond_broadcast(condition)
            pthread_mutex_unlock(mutex)
        }
        return try body(&state)
    }

    /// Waits until `check` returns a value or the deadline passes (nil: no deadline).
    /// `check` runs with the lock held, first immediately and then after every change.
    /// Returns nil on timeout.
    package func wait<Result>(until deadline: MonotonicInstant?, _ check: (inout State) -> Result?) -> Result? {
        pthread_mutex_lock(mutex)
        defer {
            pthread_cond_broadcast(condition)
            pthread_mutex_unlock(mutex)
        }
        while true {
            if let result = check(&state) { return result }
            if let deadline {
                if MonotonicInstant.now() >= deadline { return nil }
                var limit = deadline.timespec
                _ = pthread_cond_timedwait(condition, mutex, &limit)
            } else {
                pthread_cond_wait(condition, mutex)
            }
        }
    }
}

/// A point on CLOCK_MONOTONIC, in nanoseconds.
package struct MonotonicInstant: Comparable, Sendable {
    package var nanoseconds: UInt64

    package static func now() -> MonotonicInstant {
        var now = Glibc.timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return MonotonicInstant(nanoseconds: UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec))
    }

    /// `now` plus `duration`, saturating instead of overflowing; negative durations give now.
    package static func after(_ duration: Duration) -> MonotonicInstant {
        let (total, overflow) = now().nanoseconds.addingReportingOverflow(UInt64(duration.clampedNanoseconds))
        return MonotonicInstant(nanoseconds: overflow ? .max : total)
    }

    var timespec: Glibc.timespec {
        let seconds = nanoseconds / 1_000_000_000
        return Glibc.timespec(
            tv_sec: seconds > UInt64(Int.max) ? Int.max : Int(seconds),
            tv_nsec: Int(nanoseconds % 1_000_000_000))
    }

    package static func < (lhs: MonotonicInstant, rhs: MonotonicInstant) -> Bool {
        lhs.nanoseconds < rhs.nanoseconds
    }
}

extension Duration {
    /// Whole nanoseconds, clamped to Int64 (negative durations give 0).
    var clampedNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0, attoseconds >= 0 else { return 0 }
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (total, overflowSum) = whole.addingReportingOverflow(attoseconds / 1_000_000_000)
        return overflow || overflowSum ? .max : total
    }
}
