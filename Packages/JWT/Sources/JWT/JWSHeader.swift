/// The protected header of a JWS, checked: `alg` must be a supported algorithm (never `none`), `crit` is refused
/// (no extensions are understood) and so is `b64` other than `true` (RFC 7797 unencoded payloads).
/// Key-locating members (`jku`, `x5u`, `jwk`, `x5c`) are never used: keys come only from the trusted key set.
public struct JWSHeader: Sendable {
    /// `alg`.
    public let algorithm: JWSAlgorithm
    /// `kid`, when present.
    public let keyID: String?
    /// `typ`, when present.
    public let type: String?
    /// Every member, as parsed.
    public let members: [String: JSONValue]

    init(members: [String: JSONValue]) throws(JWTError) {
        guard let name = members["alg"]?.stringValue else { throw JWTError(.malformed, "header has no alg") }
        guard let algorithm = JWSAlgorithm(rawValue: name) else {
            let shown = name.lowercased() == "none" ? "none" : String(name.prefix(20))
            throw JWTError(.unsupportedHeader, "alg \(shown) is not accepted")
        }
        if members["crit"] != nil { throw JWTError(.unsupportedHeader, "crit extensions are not supported") }
        if let b64 = members["b64"], b64 != .bool(true) {
            throw JWTError(.unsupportedHeader, "unencoded payloads (b64) are not supported")
        }
        if let kid = members["kid"], kid.stringValue == nil { throw JWTError(.malformed, "kid must be a string") }
        if let typ = members["typ"], typ.stringValue == nil { throw JWTError(.malformed, "typ must be a string") }
        self.algorithm = algorithm
        self.keyID = members["kid"]?.stringValue
        self.type = members["typ"]?.stringValue
        self.members = members
    }
}
