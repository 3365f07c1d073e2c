import JSON
/// A JSON Web Key (RFC 7517) parsed once into a ready OpenSSL key or HMAC secret.
///
/// Parsing is strict: `use` must be `sig` when present, `key_ops` must allow verifying or signing, a declared `alg`
/// must fit the key type and curve, RSA moduli under 2048 bits, tiny or even exponents and ROCA-affected moduli are
/// refused, EC points must lie on their curve and HMAC secrets must be at least as long as their hash.
public struct JWK: Sendable {
    enum Material: Sendable {
        case rsa(EVPKey, modulus: [UInt8])
        case ec(EVPKey, curve: String)
        case okp(EVPKey)
        case oct(HMACKey)
    }

    /// `kid`, when the key has one.
    public let keyID: String?
    /// `kty`: `RSA`, `EC`, `OKP` or `oct`.
    public let keyType: String
    /// The `alg` the key is restricted to, when declared.
    public let algorithm: JWSAlgorithm?
    let material: Material
    let contexts = ContextPool.verifyContexts()

    /// True when the key holds private material (or is a shared secret) and can sign.
    public var canSign: Bool {
        switch material {
        case .rsa(let key, _), .ec(let key, _), .okp(let key): key.isPrivate
        case .oct: true
        }
    }

    /// Parses one JWK from its JSON text.
    public init(json: some StringProtocol) throws(JWTError) {
        let members: [String: JSONValue]
        do {
            members = try JSONValue.object(parsing: Array(json.utf8))
        } catch {
            throw JWTError(.invalidKey, "JWK is not a JSON object: \(error.reason)")
        }
        try self.init(members: members)
    }

    init(members: [String: JSONValue]) throws(JWTError) {
        func text(_ name: String) throws(JWTError) -> String? {
            guard let value = members[name] else { return nil }
            guard let string = value.stringValue else { throw JWTError(.invalidKey, "JWK member \(name) must be a string") }
            return string
        }
        func bytes(_ name: String) throws(JWTError) -> [UInt8]? {
            guard let string = try text(name) else { return nil }
            guard let decoded = Base64URL.decode(string) else { throw JWTError(.invalidKey, "JWK member \(name) is not base64url") }
            return decoded
        }
        func required(_ name: String) throws(JWTError) -> [UInt8] {
            guard let value = try bytes(name) else { throw JWTError(.invalidKey, "JWK lacks \(name)") }
            return value
        }

        guard let keyType = try text("kty") else { throw JWTError(.invalidKey, "JWK lacks kty") }
        keyID = try text("kid")
        self.keyType = keyType
        if let use = try text("use"), use != "sig" { throw JWTError(.invalidKey, "key use is \"\(use)\", not sig") }
        if let operations = members["key_ops"] {
            let names = operations.arrayValue?.compactMap(\.stringValue) ?? []
            guard names.contains("verify") || names.contains("sign") else {
                throw JWTError(.invalidKey, "key_ops allow neither sign nor verify")
            }
        }
        if let declared = try text("alg") {
            guard let algorithm = JWSAlgorithm(rawValue: declared) else {
                throw JWTError(.invalidKey, "key alg \(declared) is not a supported signature algorithm")
            }
            guard algorithm.keyType == keyType else { throw JWTError(.invalidKey, "key alg \(declared) does not fit kty \(keyType)") }
            self.algorithm = algorithm
        } else {
            algorithm = nil
        }

        switch keyType {
        case "RSA":
            let n = try required("n"), e = try required("e")
            let modulus = Array(n.drop { $0 == 0 })
            guard modulus.count * 8 >= 2048, modulus.count <= 2048 else {
                throw JWTError(.invalidKey, "RSA modulus must be 2048 to 16384 bits")
            }
            let exponent = Array(e.drop { $0 == 0 })
            guard exponent.count <= 8, let last = exponent.last, last & 1 == 1, exponent != [1] else {
                throw JWTError(.invalidKey, "RSA public exponent must be odd and at least 3")
            }
            guard !ROCA.isVulnerable(modulus: modulus) else {
                throw JWTError(.invalidKey, "RSA modulus has the ROCA fingerprint (CVE-2017-15361)")
            }
            var privateParts: [String: [UInt8]]?
            if let d = try bytes("d") {
                var parts = ["d": d]
                for name in ["p", "q", "dp", "dq", "qi"] { parts[name] = try bytes(name) }
                privateParts = parts
            }
            material = .rsa(try EVPKey.rsa(n: modulus, e: exponent, privateParts: privateParts), modulus: modulus)
        case "EC":
            guard let curve = try text("crv"), let size = Self.coordinateSizes[curve] else {
                throw JWTError(.invalidKey, "EC crv must be P-256, P-384 or P-521")
            }
            if let algorithm, algorithm.curve != curve {
                throw JWTError(.invalidKey, "key alg \(algorithm.rawValue) does not fit curve \(curve)")
            }
            let x = try required("x"), y = try required("y"), d = try bytes("d")
            guard x.count == size, y.count == size, d == nil || d!.count == size else {
                throw JWTError(.invalidKey, "EC coordinates must be \(size) bytes on \(curve)")
            }
            material = .ec(try EVPKey.ec(group: curve, x: x, y: y, d: d), curve: curve)
        case "OKP":
            guard try text("crv") == "Ed25519" else { throw JWTError(.invalidKey, "OKP crv must be Ed25519") }
            material = .okp(try EVPKey.ed25519(x: try required("x"), d: try bytes("d")))
        case "oct":
            let secret = try required("k")
            guard secret.count >= (algorithm?.digestSize ?? 32) else {
                throw JWTError(.invalidKey, "HMAC key is shorter than its hash")
            }
            material = .oct(HMACKey(secret: secret))
        default:
            throw JWTError(.invalidKey, "unsupported kty \(keyType)")
        }
    }

    init(keyID: String?, algorithm: JWSAlgorithm?, material: Material) {
        self.keyID = keyID
        self.algorithm = algorithm
        self.material = material
        switch material {
        case .rsa: keyType = "RSA"
        case .ec: keyType = "EC"
        case .okp: keyType = "OKP"
        case .oct: keyType = "oct"
        }
    }

    static let coordinateSizes = ["P-256": 32, "P-384": 48, "P-521": 66]

    /// Why this key may not check an `algorithm` signature, or nil when it may.
    func refusal(for algorithm: JWSAlgorithm) -> String? {
        if let declared = self.algorithm, declared != algorithm {
            return "key is for \(declared.rawValue), token uses \(algorithm.rawValue)"
        }
        switch (material, algorithm.keyType) {
        case (.rsa, "RSA"), (.okp, "OKP"):
            return nil
        case (.ec(_, let curve), "EC"):
            return curve == algorithm.curve ? nil : "key curve \(curve) does not fit \(algorithm.rawValue)"
        case (.oct(let key), "oct"):
            return key.secret.count >= algorithm.digestSize ? nil : "HMAC key is shorter than the \(algorithm.rawValue) hash"
        default:
            return "key type \(keyType) cannot check \(algorithm.rawValue)"
        }
    }

    /// Checks `signature` over `message`; the caller has already checked `refusal(for:)`.
    func verify(_ algorithm: JWSAlgorithm, message: UnsafeRawBufferPointer, signature: [UInt8]) -> Bool {
        switch material {
        case .rsa(let key, _), .ec(let key, _), .okp(let key):
            AsymmetricSignature.verify(algorithm, key: key, contexts: contexts, message: message, signature: signature)
        case .oct(let key):
            key.verify(algorithm, message: message, tag: signature)
        }
    }
}
