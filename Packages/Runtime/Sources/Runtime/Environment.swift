import Transport

/// The value of environment variable `name`, or nil when it is unset.
public func environmentVariable(_ name: String) -> String? {
    ProcessEnvironment.value(name)
}

/// The value of a variable the function cannot start without. Throw it from `LambdaRuntime.run`'s setup so a
/// missing variable fails the init phase with a message naming it.
public func requiredEnvironment(_ name: String) throws -> String {
    guard let value = environmentVariable(name), !value.isEmpty else {
        throw LambdaError(type: "MissingConfiguration", message: "environment variable \(name) is required")
    }
    return value
}
