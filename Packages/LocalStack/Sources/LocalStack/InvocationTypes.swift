import Transport

/// One invocation to hand to a function through the Runtime API server.
public struct InvocationRequest: Sendable {
    /// The event bytes (JSON for every AWS event source).
    public var event: [UInt8]
    /// The request id; a fresh UUID-shaped id by default.
    public var requestID: String
    /// How long the function may run before the invocation times out.
    public var timeoutMilliseconds: Int64
    /// The ARN the function sees as invoked.
    public var invokedFunctionARN: String
    /// The X-Ray trace header; a new root is made when nil.
    public var traceID: String?
    /// Client context JSON, passed through as received.
    public var clientContext: String?
    /// Cognito identity JSON, passed through as received.
    public var cognitoIdentity: String?

    /// An invocation of `event` with a 3 s timeout, as Lambda's default; a fresh request id unless one is given.
    public init(event: [UInt8], requestID: String? = nil, timeoutMilliseconds: Int64 = 3000,
                invokedFunctionARN: String = "arn:aws:lambda:us-east-1:000000000000:function:local",
                traceID: String? = nil, clientContext: String? = nil, cognitoIdentity: String? = nil) {
        self.event = event
        self.requestID = requestID ?? newRequestID()
        self.timeoutMilliseconds = timeoutMilliseconds
        self.invokedFunctionARN = invokedFunctionARN
        self.traceID = traceID
        self.clientContext = clientContext
        self.cognitoIdentity = cognitoIdentity
    }
}

/// An error a function reported on `/error` or `/init/error`.
public struct FunctionError: Error, Sendable, Equatable {
    /// `errorType` from the error document, else the `Lambda-Runtime-Function-Error-Type` header.
    public var type: String
    /// `errorMessage` from the error document.
    public var message: String

    /// An error of `type` with `message`.
    public init(type: String, message: String) {
        self.type = type
        self.message = message
    }
}

/// How an invocation ended.
public enum InvocationOutcome: Sendable, Equatable {
    /// The function posted a response.
    case response([UInt8])
    /// The function posted an error.
    case error(FunctionError)
    /// The deadline passed first; the instance should be replaced.
    case timedOut
}
