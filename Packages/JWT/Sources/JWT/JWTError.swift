/// Why a token, key or key set was refused. `code` is stable and machine-readable; `reason` is one line for
/// people and logs, and never contains the token or key material.
public struct JWTError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable category of failure; new codes can be added without breaking users.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        let name: String
        public var description: String { name }

        /// Not a well-formed JWS compact token (segments, base64url, JSON, sizes).
        public static let malformed = Code(name: "malformed")
        /// The header asks for something never accepted (`alg:none`, unknown `alg`, `crit`, `b64:false`).
        public static let unsupportedHeader = Code(name: "unsupported_header")
        /// No usable key matches the token (unknown `kid`, or the key cannot verify this `alg`).
        public static let unknownKey = Code(name: "unknown_key")
        /// The signature does not verify.
        public static let invalidSignature = Code(name: "invalid_signature")
        /// `exp` has passed (beyond leeway).
        public static let expired = Code(name: "expired")
        /// `nbf` is in the future (beyond leeway).
        public static let notYetValid = Code(name: "not_yet_valid")
        /// `iat` is in the future (beyond leeway).
        public static let issuedInFuture = Code(name: "issued_in_future")
        /// `iss` is missing or not a trusted issuer.
        public static let invalidIssuer = Code(name: "invalid_issuer")
        /// `aud` is missing or names none of the accepted audiences.
        public static let invalidAudience = Code(name: "invalid_audience")
        /// A required claim is missing or has the wrong JSON type.
        public static let invalidClaim = Code(name: "invalid_claim")
        /// A required scope is missing.
        public static let insufficientScope = Code(name: "insufficient_scope")
        /// A key or key set cannot be used (weak, malformed, wrong type).
        public static let invalidKey = Code(name: "invalid_key")
    }

    /// The category.
    public let code: Code
    /// One line saying what was wrong.
    public let reason: String

    /// An error of `code` with a one-line `reason`: control characters quoted from a token are escaped.
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
            ? reason.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? $0.escaped(asASCII: true) : String($0) }
                .joined()
            : reason
    }

    public var description: String { reason }

    /// The `error` of a `WWW-Authenticate: Bearer` challenge (RFC 6750): `insufficient_scope` or `invalid_token`.
    public var bearerError: String { code == .insufficientScope ? "insufficient_scope" : "invalid_token" }

    /// The `error_description` of that challenge: fixed text per code, never text from the token, so nothing an
    /// attacker wrote reaches a response header.
    public var bearerErrorDescription: String {
        switch code {
        case .expired: "the token has expired"
        case .notYetValid: "the token is not valid yet"
        case .issuedInFuture: "the token was issued in the future"
        case .invalidSignature: "the token does not have a valid signature"
        case .unknownKey: "no key matches the token"
        case .invalidIssuer: "the token's issuer is not trusted"
        case .invalidAudience: "the token's audience is not accepted"
        case .invalidClaim: "a required claim is missing or invalid"
        case .insufficientScope: "the token does not have the required scopes"
        case .unsupportedHeader: "the token's header is not supported"
        default: "the token is malformed"
        }
    }
}
