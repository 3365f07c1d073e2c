import JSON
/// A JSON Web Key Set (RFC 7517 §5): usable keys indexed by `kid`, and the keys that were refused, with why.
///
/// A set loads even when some of its keys are unusable (weak, unknown `kty`, `use:"enc"`): those keys never
/// verify. Keys sharing a `kid` are all refused, since the token cannot say which one it means, and in a set that
/// holds public keys, shared secrets (`oct`) are refused: a published key set must never hold an HMAC secret.
public struct JWKSet: Sendable {
    /// A key left out of the set, and why.
    public struct RefusedKey: Sendable, Equatable {
        /// The key's `kid`, when it had one.
        public let keyID: String?
        /// One line saying why it was refused.
        public let reason: String
    }

    private var byID: [String: JWK] = [:]
    private var withoutID: [JWK] = []
    /// Keys that were refused while loading.
    public private(set) var refused: [RefusedKey] = []

    /// Number of usable keys.
    public var count: Int { byID.count + withoutID.count }

    /// Parses a JWKS document; throws only when it is not an object with a `keys` array.
    public init(json: some StringProtocol) throws(JWTError) {
        try self.init(jsonBytes: Array(json.utf8))
    }

    /// Parses a JWKS document from bytes.
    public init(jsonBytes: [UInt8]) throws(JWTError) {
        let document: [String: JSONValue]
        do {
            document = try JSONValue.object(parsing: jsonBytes)
        } catch {
            throw JWTError(.invalidKey, "JWKS is not a JSON object: \(error.reason)")
        }
        guard let entries = document["keys"]?.arrayValue else { throw JWTError(.invalidKey, "JWKS has no keys array") }
        var keys: [JWK] = []
        let hasPublicKeys = entries.contains { ($0.objectValue?["kty"]?.stringValue ?? "oct") != "oct" }
        var kidCounts: [String: Int] = [:]
        for entry in entries { if let id = entry.objectValue?["kid"]?.stringValue { kidCounts[id, default: 0] += 1 } }
        for entry in entries {
            let keyID = entry.objectValue?["kid"]?.stringValue
            guard let members = entry.objectValue else {
                refused.append(RefusedKey(keyID: nil, reason: "key is not a JSON object"))
                continue
            }
            do {
                keys.append(try JWK(members: members))
            } catch {
                refused.append(RefusedKey(keyID: keyID, reason: error.reason))
            }
        }
        add(keys, hasPublicKeys: hasPublicKeys, kidCounts: kidCounts)
    }

    /// A set of already parsed keys.
    public init(keys: [JWK]) {
        var kidCounts: [String: Int] = [:]
        for key in keys { if let id = key.keyID { kidCounts[id, default: 0] += 1 } }
        add(keys, hasPublicKeys: keys.contains { $0.keyType != "oct" }, kidCounts: kidCounts)
    }

    /// Adds parsed keys; `kidCounts` counts every entry of the document, refused ones included, so a duplicate
    /// `kid` is caught even when its twin did not parse.
    private mutating func add(_ keys: [JWK], hasPublicKeys: Bool, kidCounts counts: [String: Int]) {
        for key in keys {
            if hasPublicKeys && key.keyType == "oct" {
                refused.append(RefusedKey(keyID: key.keyID, reason: "shared secret in a set of public keys"))
            } else if let id = key.keyID, counts[id]! > 1 {
                refused.append(RefusedKey(keyID: id, reason: "duplicate kid"))
            } else if let id = key.keyID {
                byID[id] = key
            } else {
                withoutID.append(key)
            }
        }
    }

    /// True when a key with this `kid` is usable.
    public func contains(keyID: String) -> Bool { byID[keyID] != nil }

    /// The key that must check a token with this header: by `kid` when the token names one, else the only usable
    /// key that fits the algorithm.
    func key(for header: JWSHeader) throws(JWTError) -> JWK {
        if let id = header.keyID {
            guard let key = byID[id] else {
                // Say why when the set had such a key and refused it while loading (a secret among public keys, …).
                if let refusal = refused.first(where: { $0.keyID == id }) {
                    throw JWTError(.unknownKey, "key \(id.prefix(64)) was refused when the key set loaded: \(refusal.reason)")
                }
                throw JWTError(.unknownKey, "no usable key with the token's kid")
            }
            if let refusal = key.refusal(for: header.algorithm) { throw JWTError(.unknownKey, refusal) }
            return key
        }
        let fitting = (withoutID + byID.values).filter { $0.refusal(for: header.algorithm) == nil }
        guard fitting.count == 1, let key = fitting.first else {
            throw JWTError(.unknownKey, fitting.isEmpty ? "no usable key for \(header.algorithm.rawValue)"
                : "the token has no kid and several keys fit")
        }
        return key
    }
}
