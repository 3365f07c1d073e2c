/// Why a storage operation failed. `code` is stable; `reason` is one line without item contents or secrets.
public struct StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable failure category; new codes can be added without breaking users.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        let name: String
        public var description: String { name }

        /// A write's condition (such as "must not exist") was false; nothing was written.
        public static let conditionalCheckFailed = Code(name: "conditional_check_failed")
        /// The item or key does not fit the table (missing key attribute, wrong key type, oversized).
        public static let invalidRequest = Code(name: "invalid_request")
        /// The store cannot be used (corrupt file, locked past the busy timeout, unreachable service).
        public static let unavailable = Code(name: "unavailable")
        /// The store refused the credentials or the request signature.
        public static let accessDenied = Code(name: "access_denied")
    }

    /// The category.
    public let code: Code
    /// One line.
    public let reason: String

    /// An error of `code` with `reason`.
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(code): \(reason)" }
}
