public import JSON
/// Signs JWTs with one key and algorithm (the dev identity provider and the `auth` app issue tokens with it).
public struct JWTSigner: Sendable {
    /// The signing key (private, or a shared secret).
    public let key: JWK
    /// The algorithm written into `alg`.
    public let algorithm: JWSAlgorithm

    /// A signer; throws when the key cannot sign with `algorithm`.
    public init(key: JWK, algorithm: JWSAlgorithm) throws(JWTError) {
        guard key.canSign else { throw JWTError(.invalidKey, "the key has no private part") }
        if let refusal = key.refusal(for: algorithm) { throw JWTError(.invalidKey, refusal) }
        self.key = key
        self.algorithm = algorithm
    }

    /// A compact JWS of `claims`, with `typ: JWT` and the key's `kid` in the header, or what `header` says instead
    /// (a DPoP proof's `typ` and `jwk`); `alg` is always the signer's.
    public func sign(_ claims: [String: JSONValue], header extra: [String: JSONValue] = [:]) throws(JWTError) -> String {
        var header: [String: JSONValue] = ["alg": .string(algorithm.rawValue), "typ": "JWT"]
        if let keyID = key.keyID { header["kid"] = .string(keyID) }
        header.merge(extra) { _, given in given }
        header["alg"] = .string(algorithm.rawValue)
        let signingInput = Base64URL.encode(JSONValue.object(header).jsonBytes) + "."
            + Base64URL.encode(JSONValue.object(claims).jsonBytes)
        let message = Array(signingInput.utf8)
        let signature: [UInt8]
        switch key.material {
        case .rsa(let evp, _), .ec(let evp, _), .okp(let evp):
            signature = try AsymmetricSignature.sign(algorithm, key: evp, message: message)
        case .oct(let secret):
            signature = message.withUnsafeBytes { secret.mac(algorithm, $0) }
        }
        return signingInput + "." + Base64URL.encode(signature)
    }
}
