public import JSON
import COpenSSL

extension JWK {
    /// Generates a fresh private key for `algorithm` (RSA 2048, the algorithm's curve, Ed25519, or a random
    /// secret as long as the hash), restricted to that algorithm.
    public static func generate(for algorithm: JWSAlgorithm, keyID: String? = nil) throws(JWTError) -> JWK {
        let material: Material
        switch algorithm.keyType {
        case "RSA":
            let key = try EVPKey.generate(type: "RSA")
            material = .rsa(key, modulus: key.bigNumber("n") ?? [])
        case "EC":
            material = .ec(try EVPKey.generate(type: "EC", group: algorithm.curve), curve: algorithm.curve!)
        case "OKP":
            material = .okp(try EVPKey.generate(type: "ED25519"))
        default:
            var secret = [UInt8](repeating: 0, count: algorithm.digestSize)
            guard RAND_bytes(&secret, Int32(secret.count)) == 1 else { throw JWTError(.invalidKey, "no randomness") }
            material = .oct(HMACKey(secret: secret))
        }
        return JWK(keyID: keyID, algorithm: algorithm, material: material)
    }

    /// The key's JWK members; private members only when `includingPrivate` (never for a published key set).
    public func members(includingPrivate: Bool) -> [String: JSONValue] {
        var members: [String: JSONValue] = ["kty": .string(keyType), "use": "sig"]
        if let keyID { members["kid"] = .string(keyID) }
        if let algorithm { members["alg"] = .string(algorithm.rawValue) }
        func put(_ name: String, _ bytes: [UInt8]?) {
            if let bytes { members[name] = .string(Base64URL.encode(bytes)) }
        }
        switch material {
        case .rsa(let key, let modulus):
            put("n", modulus)
            put("e", key.bigNumber("e"))
            if includingPrivate && key.isPrivate {
                for (member, name) in [("d", "d"), ("p", "rsa-factor1"), ("q", "rsa-factor2"), ("dp", "rsa-exponent1"),
                                       ("dq", "rsa-exponent2"), ("qi", "rsa-coefficient1")] {
                    put(member, key.bigNumber(name))
                }
            }
        case .ec(let key, let curve):
            let size = JWK.coordinateSizes[curve]!
            members["crv"] = .string(curve)
            if let point = key.ecPublicPoint(), point.count == 1 + 2 * size {
                put("x", Array(point[1...size]))
                put("y", Array(point[(1 + size)...]))
            }
            if includingPrivate && key.isPrivate { put("d", key.bigNumber("priv", size: size)) }
        case .okp(let key):
            members["crv"] = "Ed25519"
            put("x", key.rawPublicKey())
            if includingPrivate && key.isPrivate { put("d", key.rawPrivateKey()) }
        case .oct(let secret):
            if includingPrivate { put("k", secret.secret) }
        }
        return members
    }

    /// The same key without its private part, for publishing in a JWKS.
    public func publicKey() throws(JWTError) -> JWK {
        try JWK(members: members(includingPrivate: false))
    }
}

extension JWK {
    /// A shared HMAC secret for `algorithm` (HS256/384/512); refused when shorter than the hash (RFC 7518 §3.2).
    public static func symmetric(secret: [UInt8], algorithm: JWSAlgorithm, keyID: String? = nil) throws(JWTError) -> JWK {
        guard algorithm.keyType == "oct" else { throw JWTError(.invalidKey, "\(algorithm.rawValue) is not an HMAC algorithm") }
        guard secret.count >= algorithm.digestSize else {
            throw JWTError(.invalidKey, "HMAC key is shorter than the \(algorithm.rawValue) hash (\(algorithm.digestSize) bytes)")
        }
        return JWK(keyID: keyID, algorithm: algorithm, material: .oct(HMACKey(secret: secret)))
    }
}
