import Glibc

/// Runs an action once a deadline passes unless finished first — on an OS thread of its own, so it fires on time
/// even while Swift's cooperative pool is busy or blocked (a child that hangs a test suite is one such time).
public final class Watchdog: @unchecked Sendable {
    private let lock = ConditionLock()
    private var finished = false, fired = false

    /// Calls `onExpiry` `seconds` from now unless `finish()` was called before.
    public init(seconds: Int, onExpiry: @escaping @Sendable () -> Void) {
        let deadline = wallClockMilliseconds() + Int64(seconds) * 1000
        startThread { [self] in
            lock.withLock {
                while !finished && wallClockMilliseconds() < deadline { lock.wait(untilMilliseconds: deadline) }
                guard !finished else { return }
                fired = true
                onExpiry()
            }
        }
    }

    /// Stops the watch; true when the deadline had passed and the action ran.
    public func finish() -> Bool {
        lock.withLock {
            finished = true
            lock.broadcast()
            return fired
        }
    }
}
