public import Glibc

/// A deadline for a child process a test started: when it passes before the child is reaped, the child is killed, so a
/// hung peer (a browser, a Python script) fails its test with a line saying what hung instead of stopping the suite.
/// The watch runs on an OS thread of its own, so it fires on time even while Swift's cooperative pool is saturated.
/// (Transport's `Watchdog` does the same for the framework; this package is a leaf every package's tests use, so it
/// cannot depend on Transport.)
public final class ChildDeadline: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var isReaped = false, fired = false

    /// Kills process `pid` (SIGKILL) `seconds` from now unless `reaped()` is called first.
    public init(pid: pid_t, seconds: Int) {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
        let deadline = Self.monotonicSeconds() + Double(seconds)
        let watch = Unmanaged.passRetained(Watch(deadline: self, pid: pid, until: deadline)).toOpaque()
        var thread = pthread_t()
        precondition(pthread_create(&thread, nil, { pointer in
            let watch = Unmanaged<Watch>.fromOpaque(pointer!).takeRetainedValue()
            watch.deadline.expire(watch.pid, at: watch.until)
            return nil
        }, watch) == 0, "pthread_create failed")
        pthread_detach(thread)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    private final class Watch {
        let deadline: ChildDeadline
        let pid: pid_t
        let until: Double
        init(deadline: ChildDeadline, pid: pid_t, until: Double) { (self.deadline, self.pid, self.until) = (deadline, pid, until) }
    }

    /// Waits until `until` (monotonic seconds) or the reaping. The condition variable times out by the wall clock,
    /// which may jump: the wait is sliced into at most a second and the monotonic deadline re-read each time.
    private func expire(_ pid: pid_t, at until: Double) {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while !isReaped, case let left = until - Self.monotonicSeconds(), left > 0 {
            var wall = timespec()
            clock_gettime(CLOCK_REALTIME, &wall)
            let slice = min(left, 1)
            var end = timespec(tv_sec: wall.tv_sec + Int(slice), tv_nsec: wall.tv_nsec + Int((slice - slice.rounded(.down)) * 1e9))
            if end.tv_nsec >= 1_000_000_000 { (end.tv_sec, end.tv_nsec) = (end.tv_sec + 1, end.tv_nsec - 1_000_000_000) }
            pthread_cond_timedwait(condition, mutex, &end)
        }
        // Before the child is reaped its pid cannot be reused, so the signal reaches the child or a zombie.
        if !isReaped {
            kill(pid, SIGKILL)
            fired = true
        }
    }

    /// Says the child was reaped (call right after `waitpid` returns); true when the deadline had killed it.
    public func reaped() -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        isReaped = true
        pthread_cond_broadcast(condition)
        return fired
    }

    private static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// The one line a test fails with when `what` ran past its deadline of `seconds`.
    public static func reason(_ what: String, seconds: Int) -> String {
        "\(what) had not finished after \(seconds) s and was killed (it hung)"
    }
}
