@_spi(Gatehouse) public import JSON
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
    private let index: JSONObjectIndex

    /// Every member, built on demand.
    public var members: [String: JSONValue] { (try? index.allMembers()) ?? [:] }

    init(index: JSONObjectIndex) throws(JWTError) {
        guard let name = index.string("alg") else { throw JWTError(.malformed, "header has no string alg") }
        guard let algorithm = JWSAlgorithm(rawValue: name) else {
            let shown = name.lowercased() == "none" ? "none" : String(name.prefix(20))
            throw JWTError(.unsupportedHeader, "alg \(shown) is not accepted")
        }
        if index.contains("crit") { throw JWTError(.unsupportedHeader, "crit extensions are not supported") }
        if index.contains("b64"), index.value("b64") != .bool(true) {
            throw JWTError(.unsupportedHeader, "unencoded payloads (b64) are not supported")
        }
        if let kind = index.kind(of: "kid"), kind != UInt8(ascii: "\"") { throw JWTError(.malformed, "kid must be a string") }
        if let kind = index.kind(of: "typ"), kind != UInt8(ascii: "\"") { throw JWTError(.malformed, "typ must be a string") }
        self.algorithm = algorithm
        self.keyID = index.string("kid")
        self.type = index.string("typ")
        self.index = index
    }
}
