/// The JWS algorithms Gatehouse signs and verifies (RFC 7518, RFC 8037). `none` is not one of them.
public enum JWSAlgorithm: String, Sendable, CaseIterable, Hashable {
    case rs256 = "RS256", rs384 = "RS384", rs512 = "RS512"
    case ps256 = "PS256", ps384 = "PS384", ps512 = "PS512"
    case es256 = "ES256", es384 = "ES384", es512 = "ES512"
    case eddsa = "EdDSA"
    case hs256 = "HS256", hs384 = "HS384", hs512 = "HS512"

    /// The key type (`kty`) this algorithm needs.
    public var keyType: String {
        switch self {
        case .rs256, .rs384, .rs512, .ps256, .ps384, .ps512: "RSA"
        case .es256, .es384, .es512: "EC"
        case .eddsa: "OKP"
        case .hs256, .hs384, .hs512: "oct"
        }
    }

    /// The curve (`crv`) this algorithm needs, for EC and OKP keys.
    public var curve: String? {
        switch self {
        case .es256: "P-256"
        case .es384: "P-384"
        case .es512: "P-521"
        case .eddsa: "Ed25519"
        default: nil
        }
    }

    /// The digest name for OpenSSL; nil for EdDSA, which hashes internally.
    var digestName: String? {
        switch self {
        case .rs256, .ps256, .es256, .hs256: "SHA256"
        case .rs384, .ps384, .es384, .hs384: "SHA384"
        case .rs512, .ps512, .es512, .hs512: "SHA512"
        case .eddsa: nil
        }
    }

    /// Digest size in bytes (the minimum HMAC key size, RFC 7518 §3.2).
    var digestSize: Int {
        switch self {
        case .rs256, .ps256, .es256, .hs256: 32
        case .rs384, .ps384, .es384, .hs384: 48
        case .rs512, .ps512, .es512, .hs512, .eddsa: 64
        }
    }

    /// The exact raw `r‖s` signature size of an ECDSA algorithm.
    var ecdsaSignatureSize: Int? {
        switch self {
        case .es256: 64
        case .es384: 96
        case .es512: 132
        default: nil
        }
    }

    var isPSS: Bool { self == .ps256 || self == .ps384 || self == .ps512 }
}
