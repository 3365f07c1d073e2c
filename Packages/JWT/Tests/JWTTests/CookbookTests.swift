import Foundation
import Testing
@_spi(Gatehouse) @testable import JWT

/// RFC 7520 examples (jose-cookbook): compact JWS verify, re-signing where deterministic, JWK parsing; the RFC 7797
/// unencoded-payload (`b64:false`) examples must be refused.
@Suite struct CookbookTests {
    static let compactExamples = ["4_1.rsa_v15_signature.json", "4_2.rsa-pss_signature.json", "4_3.ecdsa_signature.json",
                                  "4_4.hmac-sha2_integrity_protection.json"]

    @Test(arguments: compactExamples)
    func compactSignatureVerifies(file: String) throws {
        let example = try Vectors.json("jose-cookbook/jws/" + file)
        let input = try #require(example["input"] as? [String: Any])
        let key = try JWK(json: try Vectors.text(try #require(input["key"])))
        let token = try #require((example["output"] as? [String: Any])?["compact"] as? String)
        let (header, payload) = try JWS.verify(token, keys: JWKSet(keys: [key]))
        #expect(String(decoding: payload, as: UTF8.self) == input["payload"] as? String)
        #expect(header.algorithm.rawValue == input["alg"] as? String)

        if example["reproducible"] as? Bool == true {
            let signing = try #require(example["signing"] as? [String: Any])
            let signingInput = try #require(signing["sig-input"] as? String)
            let algorithm = try #require(JWSAlgorithm(rawValue: input["alg"] as! String))
            let signature: [UInt8]
            switch key.material {
            case .rsa(let evp, _): signature = try AsymmetricSignature.sign(algorithm, key: evp, message: Array(signingInput.utf8))
            case .oct(let secret): signature = Array(signingInput.utf8).withUnsafeBytes { secret.mac(algorithm, $0) }
            default: Issue.record("unexpected key type"); return
            }
            #expect(Base64URL.encode(signature) == signing["sig"] as? String)
        }
    }

    @Test func tamperedCompactExamplesFail() throws {
        for file in Self.compactExamples {
            let example = try Vectors.json("jose-cookbook/jws/" + file)
            let key = try JWK(json: try Vectors.text((example["input"] as! [String: Any])["key"]!))
            let token = (example["output"] as! [String: Any])["compact"] as! String
            var parts = token.split(separator: ".").map(String.init)
            parts[1] = Base64URL.encode(Array("It's a dangerous business".utf8))
            #expect(throws: JWTError.self) { try JWS.verify(parts.joined(separator: "."), keys: JWKSet(keys: [key])) }
        }
    }

    @Test func unencodedPayloadExamplesAreRefused() throws {
        for file in ["hmac-sha2_b64_false.json", "4.2.hmac-sha2_b64_false.json"] {
            let example = try Vectors.json("jose-cookbook/rfc7797/" + file)
            let input = try #require(example["input"] as? [String: Any])
            let key = try JWK(json: try Vectors.text(try #require(input["key"])))
            let signing = try #require(example["signing"] as? [String: Any])
            // Rebuild the compact form the example describes: protected header, unencoded payload, signature.
            let token = "\(signing["protected_b64u"]!)..\(signing["sig"]!)"
            #expect {
                try JWS.verify(token, keys: JWKSet(keys: [key]))
            } throws: { error in
                // Upstream's hmac-sha2_b64_false.json header is itself broken JSON (`"b64":,`): refused as malformed.
                let code = (error as? JWTError)?.code
                return file.hasPrefix("4.2") ? code == .unsupportedHeader : code == .malformed
            }
        }
    }

    @Test func cookbookKeysParse() throws {
        let publicEC = try JWK(json: String(contentsOfFile: Vectors.directory + "/jose-cookbook/jwk/3_1.ec_public_key.json", encoding: .utf8))
        #expect(publicEC.keyType == "EC" && !publicEC.canSign)
        let privateEC = try JWK(json: String(contentsOfFile: Vectors.directory + "/jose-cookbook/jwk/3_2.ec_private_key.json", encoding: .utf8))
        #expect(privateEC.canSign)
        let publicRSA = try JWK(json: String(contentsOfFile: Vectors.directory + "/jose-cookbook/jwk/3_3.rsa_public_key.json", encoding: .utf8))
        #expect(publicRSA.keyID == "bilbo.baggins@hobbiton.example" && !publicRSA.canSign)
        let privateRSA = try JWK(json: String(contentsOfFile: Vectors.directory + "/jose-cookbook/jwk/3_4.rsa_private_key.json", encoding: .utf8))
        #expect(privateRSA.canSign)
        let mac = try JWK(json: String(contentsOfFile: Vectors.directory + "/jose-cookbook/jwk/3_5.symmetric_key_mac_computation.json", encoding: .utf8))
        #expect(mac.keyType == "oct")
        // 3.6 is an AES key for encryption ("use":"enc"): never a signing key.
        #expect(throws: JWTError.self) {
            try JWK(json: String(contentsOfFile: Vectors.directory + "/jose-cookbook/jwk/3_6.symmetric_key_encryption.json", encoding: .utf8))
        }
    }
}
