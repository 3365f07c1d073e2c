import JSON
import JWT

/// A JWKS document, or one key. A set loads or is refused; every key it leaves out has a reason. A key that loads
/// exports to members that load again as the same key.
enum JWKSFuzzing {
    static func run(_ input: [UInt8]) throws(InvariantViolation) {
        if let set = try? JWKSet(jsonBytes: input) {
            try expect(set.refused.allSatisfy { !$0.reason.isEmpty }, "a refused key has no reason")
        }
        guard let key = try? JWK(json: String(decoding: input, as: UTF8.self)) else { return }
        let exported = JSONValue.object(key.members(includingPrivate: true)).jsonText
        let again = try? JWK(json: exported)
        try expect(again?.keyType == key.keyType && again?.keyID == key.keyID && again?.algorithm == key.algorithm
                   && again?.canSign == key.canSign, "a key did not survive its own export: \(exported)")
    }
}
