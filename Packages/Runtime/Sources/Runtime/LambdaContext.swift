import Transport

/// What Lambda tells a handler about the invocation it is serving.
public struct LambdaContext: Sendable {
    /// The `Lambda-Runtime-Aws-Request-Id` of this invocation.
    public let requestID: String
    /// When Lambda stops the invocation, in milliseconds since the Unix epoch.
    public let deadlineMilliseconds: Int64
    /// The ARN the caller invoked (may carry an alias or version).
    public let invokedFunctionARN: String
    /// The X-Ray trace header (`Root=…;Parent=…;Sampled=…`), also set as `_X_AMZN_TRACE_ID`.
    public let traceID: String?
    /// The client context JSON sent by mobile SDK callers, as received.
    public let clientContext: String?
    /// The Cognito identity JSON sent by mobile SDK callers, as received.
    public let cognitoIdentity: String?
    /// The function's name, version and memory, from the environment Lambda sets.
    public let function: FunctionEnvironment
    /// A logger that writes this invocation's request id into every line.
    public let logger: Logger

    /// Time left before the deadline, in milliseconds (negative once passed).
    public var remainingMilliseconds: Int64 { remainingMilliseconds(now: wallClockMilliseconds()) }

    func remainingMilliseconds(now: Int64) -> Int64 { deadlineMilliseconds - now }

    /// Builds a context from the Runtime API's `/next` response headers; nil without a request id that can stand in
    /// a path segment as it is (visible ASCII but `/`, `?`, `#` and `%`: the result is posted under it).
    init?(headers: WireHeaders, function: FunctionEnvironment, logger: Logger) {
        guard let requestID = headers["lambda-runtime-aws-request-id"], !requestID.isEmpty,
              requestID.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != 0x2F && $0 != 0x3F && $0 != 0x23 && $0 != 0x25 })
        else { return nil }
        self.requestID = requestID
        self.deadlineMilliseconds = headers["lambda-runtime-deadline-ms"].flatMap { Int64($0) } ?? 0
        self.invokedFunctionARN = headers["lambda-runtime-invoked-function-arn"] ?? ""
        self.traceID = headers["lambda-runtime-trace-id"]
        self.clientContext = headers["lambda-runtime-client-context"]
        self.cognitoIdentity = headers["lambda-runtime-cognito-identity"]
        self.function = function
        var logger = logger
        logger.requestID = requestID
        self.logger = logger
    }
}

/// The function's static facts, read once from the environment Lambda sets.
public struct FunctionEnvironment: Sendable, Equatable {
    /// `AWS_LAMBDA_FUNCTION_NAME`.
    public var name: String
    /// `AWS_LAMBDA_FUNCTION_VERSION`.
    public var version: String
    /// `AWS_LAMBDA_FUNCTION_MEMORY_SIZE` in MB.
    public var memoryMB: Int
    /// `AWS_LAMBDA_LOG_GROUP_NAME`.
    public var logGroup: String
    /// `AWS_LAMBDA_LOG_STREAM_NAME`.
    public var logStream: String

    /// Reads the current process environment.
    public static func current() -> FunctionEnvironment {
        FunctionEnvironment(
            name: environmentVariable("AWS_LAMBDA_FUNCTION_NAME") ?? "",
            version: environmentVariable("AWS_LAMBDA_FUNCTION_VERSION") ?? "$LATEST",
            memoryMB: environmentVariable("AWS_LAMBDA_FUNCTION_MEMORY_SIZE").flatMap { Int($0) } ?? 128,
            logGroup: environmentVariable("AWS_LAMBDA_LOG_GROUP_NAME") ?? "",
            logStream: environmentVariable("AWS_LAMBDA_LOG_STREAM_NAME") ?? ""
        )
    }
}
