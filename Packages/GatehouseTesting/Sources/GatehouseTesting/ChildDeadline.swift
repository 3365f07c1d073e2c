public import Glibc
import Synchronization

/// A deadline for a child process a test started: when it passes before the child is reaped, the child is killed, so a
/// hung peer (a browser, a Python script) fails its test with a line saying what hung instead of stopping the suite.
public final class ChildDeadline: Sendable {
    private let state = Mutex<(reaped: Bool, fired: Bool)>((false, false))
    private let timer = Mutex<Task<Void, Never>?>(nil)

    /// Kills process `pid` (SIGKILL) `seconds` from now unless `reaped()` is called first.
    public init(pid: pid_t, seconds: Int) {
        let task = Task.detached { [self] in
            do { try await Task.sleep(for: .seconds(seconds)) } catch { return }
            self.expire(pid)
        }
        timer.withLock { $0 = task }
    }

    private func expire(_ pid: pid_t) {
        state.withLock { state in
            // Before the child is reaped its pid cannot be reused, so the signal reaches the child or a zombie.
            if !state.reaped {
                kill(pid, SIGKILL)
                state.fired = true
            }
        }
    }

    /// Says the child was reaped (call right after `waitpid` returns); true when the deadline had killed it.
    public func reaped() -> Bool {
        timer.withLock { $0?.cancel() }
        return state.withLock { state in
            state.reaped = true
            return state.fired
        }
    }

    /// The one line a test fails with when `what` ran past its deadline of `seconds`.
    public static func reason(_ what: String, seconds: Int) -> String {
        "\(what) had not finished after \(seconds) s and was killed (it hung)"
    }
}
