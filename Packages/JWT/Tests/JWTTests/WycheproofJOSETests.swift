import Testing
@_spi(Gatehouse) @testable import JWT

/// Wycheproof's whole-JWS and JWK vectors through `JWS.verify`.
@Suite struct WycheproofJOSETests {
    /// Vectors whose expected result Gatehouse deliberately does not follow, each with its reason.
    static let deliberateDeviations: [Int: String] = [
        346: "key declares alg PS256 but the token uses PS384; Gatehouse binds a key to its declared alg",
        350: "key declares alg PS256 but the token uses PS384; Gatehouse binds a key to its declared alg",
        372: "'?' inside the base64url header; Gatehouse decodes base64url strictly and refuses it",
        373: "'?' inside the base64url payload; Gatehouse decodes base64url strictly and refuses it",
        347: "key declares alg ES521, which is no JWS algorithm (P-521 is ES512); such keys are refused",
        351: "key declares alg ES521, which is no JWS algorithm (P-521 is ES512); such keys are refused",
        349: "key_ops is [\"sign, verify\"], one unknown operation; a key allowing neither sign nor verify is refused",
        367: "byte-identical to tcId 357, which the same file marks valid; both results cannot hold",
        370: "byte-identical to tcId 357, which the same file marks valid; both results cannot hold",
    ]

    func run(_ file: String) throws -> (checked: Int, mismatches: [String]) {
        var checked = 0
        var mismatches: [String] = []
        for (group, test) in try Vectors.wycheproofTests(file) {
            let id = test["tcId"] as! Int
            guard Self.deliberateDeviations[id] == nil else { continue }
            let keys: JWKSet
            let privateKey = try #require(group["private"])
            let keyText = try Vectors.text(privateKey)
            if (privateKey as? [String: Any])?["keys"] != nil {
                keys = try JWKSet(json: keyText)
            } else {
                keys = try JWKSet(json: "{\"keys\":[\(keyText)]}")
            }
            // JSON serialization (an object, not a string) is not accepted: only compact tokens exist for Gatehouse.
            let accepted: Bool
            if let token = test["jws"] as? String {
                accepted = (try? JWS.verify(token, keys: keys)) != nil
            } else {
                accepted = false
            }
            checked += 1
            if accepted != (test["result"] as! String == "valid") {
                mismatches.append("tcId \(id) \(test["comment"]!) expected \(test["result"]!)")
            }
        }
        return (checked, mismatches)
    }

    @Test func jsonWebSignatureVectors() throws {
        let result = try run("json_web_signature_test.json")
        #expect(result.mismatches == [])
        #expect(result.checked == 401 - Self.deliberateDeviations.count)
    }

    @Test func jsonWebKeyVectors() throws {
        let result = try run("json_web_key_test.json")
        #expect(result.mismatches == [])
        #expect(result.checked == 26)
    }
}
