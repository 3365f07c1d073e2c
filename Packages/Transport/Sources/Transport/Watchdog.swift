import Glibc

/// Runs an action once a deadline passes unless finished first — on an OS thread of its own, so it fires on time
/// even while Swift's cooperative pool is busy or blocked (a child that hangs a test suite is one such time). The
/// action says whether it acted: a child found already gone at the deadline (its exit not yet seen by a starved
/// pool) is nobody's timeout.
public final class Watchdog: @unchecked Sendable {
    private let lock = ConditionLock()
    private var finished = false, fired = false

    /// Calls `onExpiry` `seconds` from now unless `finish()` was called before; it returns whether it acted. Time is
    /// the monotonic clock's: the wall clock may jump (it did, on a loaded machine, and every deadline of a test run
    /// fired at once), so the wait is sliced into at most a second of wall time and the deadline re-read each time.
    public init(seconds: Int, onExpiry: @escaping @Sendable () -> Bool) {
        let deadline = monotonicNanoseconds() + UInt64(seconds) * 1_000_000_000
        startThread { [self] in
            lock.withLock {
                while !finished, case let now = monotonicNanoseconds(), now < deadline {
                    lock.wait(untilMilliseconds: wallClockMilliseconds() + Int64(min(deadline - now, 1_000_000_000) / 1_000_000) + 1)
                }
                guard !finished else { return }
                fired = onExpiry()
            }
        }
    }

    /// Stops the watch; true when the deadline had passed and the action acted.
    public func finish() -> Bool {
        lock.withLock {
            finished = true
            lock.broadcast()
            return fired
        }
    }
}
