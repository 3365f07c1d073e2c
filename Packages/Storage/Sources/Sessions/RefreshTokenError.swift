/// Why a refresh token was refused. Every kind means 401 to the client; the kind is for logs and metrics.
public struct RefreshTokenError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of refusal.
    public struct Code: Sendable, Hashable {
        let name: String
        /// Never issued here (or long expired and removed).
        public static let unknown = Code(name: "unknown refresh token")
        /// Past its lifetime.
        public static let expired = Code(name: "expired refresh token")
        /// Its family was revoked (logout, or reuse detected earlier).
        public static let revoked = Code(name: "revoked refresh token")
        /// Spent before: the family is now revoked.
        public static let reused = Code(name: "reused refresh token")
    }

    /// The kind.
    public let code: Code

    /// An error of `code`.
    public init(_ code: Code) { self.code = code }

    public var description: String { code.name }
}
