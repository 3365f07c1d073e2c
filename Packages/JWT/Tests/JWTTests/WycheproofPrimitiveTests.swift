import Testing
@_spi(Gatehouse) @testable import JWT

/// Wycheproof's primitive vectors, run through the same OpenSSL paths a JWS takes.
@Suite struct WycheproofPrimitiveTests {
    struct Tally {
        var checked = 0
        var mismatches: [String] = []
    }

    func run(_ file: String, algorithm: (([String: Any]) -> JWSAlgorithm), keyMember: String) throws -> Tally {
        var tally = Tally()
        var keys: [String: JWK] = [:]
        for (group, test) in try Vectors.wycheproofTests(file) {
            let keyText = keyMember == "ecPublicKey" ? try Self.ecJWK(group) : try Vectors.text(try #require(group[keyMember]))
            let key = try keys[keyText] ?? JWK(json: keyText)
            keys[keyText] = key
            let alg = algorithm(group)
            let result = test["result"] as! String
            let message = [UInt8](hex: test["msg"] as! String)
            let signature = [UInt8](hex: test["sig"] as! String)
            let verified = message.withUnsafeBytes { key.verify(alg, message: $0, signature: signature) }
            // "acceptable" marks legal-but-odd encodings; a strict verifier may go either way, so it is not asserted.
            guard result != "acceptable" else { continue }
            tally.checked += 1
            if verified != (result == "valid") { tally.mismatches.append("tcId \(test["tcId"]!) \(test["comment"]!)") }
        }
        return tally
    }

    /// A JWK built from the group's `publicKey` coordinates (not every ECDSA group carries a JWK form).
    static func ecJWK(_ group: [String: Any]) throws -> String {
        let key = try #require(group["publicKey"] as? [String: Any])
        let (curve, size) = key["curve"] as! String == "secp256r1" ? ("P-256", 32) : ("P-384", 48)
        func coordinate(_ name: String) -> String {
            let bytes = Array([UInt8](hex: key[name] as! String).drop { $0 == 0 })
            return Base64URL.encode([UInt8](repeating: 0, count: max(0, size - bytes.count)) + bytes)
        }
        return #"{"kty":"EC","crv":"\#(curve)","x":"\#(coordinate("wx"))","y":"\#(coordinate("wy"))"}"#
    }

    static func sha(_ group: [String: Any], _ map: [String: JWSAlgorithm]) -> JWSAlgorithm { map[group["sha"] as! String]! }

    @Test(arguments: [("rsa_signature_2048_sha256_test.json", 258), ("rsa_signature_2048_sha384_test.json", 257),
                      ("rsa_signature_2048_sha512_test.json", 258)])
    func rsaPKCS1(file: String, expected: Int) throws {
        let tally = try run(file, algorithm: { Self.sha($0, ["SHA-256": .rs256, "SHA-384": .rs384, "SHA-512": .rs512]) },
                            keyMember: "keyJwk")
        #expect(tally.mismatches == [])
        #expect(tally.checked == expected)
    }

    @Test func rsaPSS() throws {
        let tally = try run("rsa_pss_2048_sha256_mgf1_32_test.json", algorithm: { _ in .ps256 }, keyMember: "publicKeyJwk")
        #expect(tally.mismatches == [])
        #expect(tally.checked == 108)
    }

    @Test func ecdsaP1363() throws {
        let p256 = try run("ecdsa_secp256r1_sha256_p1363_test.json", algorithm: { _ in .es256 }, keyMember: "ecPublicKey")
        let p384 = try run("ecdsa_secp384r1_sha384_p1363_test.json", algorithm: { _ in .es384 }, keyMember: "ecPublicKey")
        #expect(p256.mismatches == [])
        #expect(p384.mismatches == [])
        #expect(p256.checked == 262 && p384.checked == 280)
    }

    @Test func ed25519() throws {
        let tally = try run("ed25519_test.json", algorithm: { _ in .eddsa }, keyMember: "publicKeyJwk")
        #expect(tally.mismatches == [])
        #expect(tally.checked == 151)
    }

    @Test func hmacSHA256() throws {
        var checked = 0
        var mismatches: [Int] = []
        for (group, test) in try Vectors.wycheproofTests("hmac_sha256_test.json") {
            // Skipped on purpose: groups with truncated tags (tagSize < 256). JWS never truncates an HS256 MAC, so
            // Gatehouse refuses every tag shorter than the full hash, and those "valid" truncated tags must fail here.
            guard group["tagSize"] as! Int == 256 else { continue }
            let key = HMACKey(secret: [UInt8](hex: test["key"] as! String))
            let message = [UInt8](hex: test["msg"] as! String)
            let verified = message.withUnsafeBytes { key.verify(.hs256, message: $0, tag: [UInt8](hex: test["tag"] as! String)) }
            checked += 1
            if verified != (test["result"] as! String == "valid") { mismatches.append(test["tcId"] as! Int) }
        }
        #expect(mismatches == [])
        #expect(checked > 50)
    }
}
