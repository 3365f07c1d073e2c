import JSON
import JWT

/// An RS256 key of a dev token issuer, made on the first start and kept under the data folder (`LocalSecret`), with
/// the public JWKS that gateways and apps trust.
struct LocalSigningKey: Sendable {
    let signer: JWTSigner
    /// The JWKS document, as served.
    let jwks: String
    let publicKeys: JWKSet

    /// The key in `folder/file`; a new key's id starts with `keyIDPrefix`.
    init(file: String, in folder: String, keyIDPrefix: String) throws {
        let key = try JWK(json: LocalSecret.load(file, in: folder) {
            let key = try JWK.generate(for: .rs256, keyID: keyIDPrefix + String(UInt32.random(in: 0...UInt32.max), radix: 36))
            return JSONValue.object(key.members(includingPrivate: true)).jsonText
        })
        signer = try JWTSigner(key: key, algorithm: .rs256)
        jwks = JSONValue.object(["keys": .array([.object(try key.publicKey().members(includingPrivate: false))])]).jsonText
        publicKeys = JWKSet(keys: [try key.publicKey()])
    }
}
