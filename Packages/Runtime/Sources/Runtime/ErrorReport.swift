/// The error document the Runtime API expects on `/error` and `/init/error`.
struct ErrorReport: Sendable, Equatable {
    var errorType: String
    var errorMessage: String

    /// Describes a thrown error: its type name and its description, never a stack trace or a path.
    init(_ error: any Error) {
        if let error = error as? LambdaError {
            errorType = error.type
            errorMessage = error.message
        } else {
            errorType = String(describing: Swift.type(of: error))
            errorMessage = String(describing: error)
        }
    }

    init(errorType: String, errorMessage: String) {
        self.errorType = errorType
        self.errorMessage = errorMessage
    }

    var json: [UInt8] {
        var line = JSONLine()
        line.raw("{\"errorMessage\":")
        line.string(errorMessage)
        line.raw(",\"errorType\":")
        line.string(errorType)
        line.raw(",\"stackTrace\":[]}")
        return line.bytes
    }
}

/// An error a handler throws to control the `errorType` reported to Lambda
/// (for example exactly `Unauthorized` from an authorizer is `LambdaError(type: "Unauthorized", message: "Unauthorized")`).
public struct LambdaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The `errorType` Lambda reports to the caller.
    public var type: String
    /// The `errorMessage` Lambda reports to the caller.
    public var message: String
    /// Whether this is an answer the function means to give (an authorizer's `Unauthorized`), not a failure: the
    /// runtime then logs it at DEBUG instead of ERROR. Not part of the error's identity (`==`).
    public var isAnswer: Bool

    /// An error with an explicit Lambda error type and message; `isAnswer` for an expected outcome.
    public init(type: String, message: String, isAnswer: Bool = false) {
        self.type = type
        self.message = message
        self.isAnswer = isAnswer
    }

    /// Equal when type and message are.
    public static func == (a: LambdaError, b: LambdaError) -> Bool { a.type == b.type && a.message == b.message }

    public var description: String { "\(type): \(message)" }

    /// The error document the Runtime API takes on `/error` (`errorMessage`, `errorType`, an empty `stackTrace`).
    public var document: [UInt8] { ErrorReport(errorType: type, errorMessage: message).json }
}
