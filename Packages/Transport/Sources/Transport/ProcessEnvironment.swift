import Glibc
import Synchronization

/// The process environment: the one place the packages read a variable from, and the one place that changes one.
/// Reads and writes share a lock, because glibc's `setenv` may move the table a concurrent `getenv` is walking (the
/// Lambda loop sets `_X_AMZN_TRACE_ID` per invocation while other threads may read). C libraries that call `getenv`
/// themselves are not covered; they read at start-up, before the loop's first write.
public enum ProcessEnvironment {
    private static let lock = Mutex(())

    /// The value of `name`, or nil when it is unset.
    public static func value(_ name: String) -> String? {
        lock.withLock { _ in getenv(name).map { String(cString: $0) } }
    }

    /// The value of `name`, or nil when it is unset or empty.
    public static func nonEmptyValue(_ name: String) -> String? {
        value(name).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Sets `name` to `value`, or unsets it for nil.
    public static func set(_ name: String, to value: String?) {
        lock.withLock { _ in
            if let value { setenv(name, value, 1) } else { unsetenv(name) }
        }
    }
}
