import Glibc

/// The process environment: the one place the packages read a variable from.
public enum ProcessEnvironment {
    /// The value of `name`, or nil when it is unset.
    public static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// The value of `name`, or nil when it is unset or empty.
    public static func nonEmptyValue(_ name: String) -> String? {
        value(name).flatMap { $0.isEmpty ? nil : $0 }
    }
}
