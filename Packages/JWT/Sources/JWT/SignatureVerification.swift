import COpenSSL

/// Verifies and creates JWS signatures with OpenSSL EVP, for every algorithm except HMAC (see `HMACKey`).
enum AsymmetricSignature {
    /// True only when `signature` is a valid `algorithm` signature of `message` under `key`.
    static func verify(_ algorithm: JWSAlgorithm, key: EVPKey, contexts: ContextPool,
                       message: UnsafeRawBufferPointer, signature: [UInt8]) -> Bool {
        guard algorithm != .eddsa else { return verifyEdDSA(key: key, message: message, signature: signature) }
        var signature = signature
        if let size = algorithm.ecdsaSignatureSize {
            // JWS carries raw r‖s of exact length (RFC 7518 §3.4); anything else, DER included, is refused.
            guard signature.count == size else { return false }
            signature = ECDSASignatureCodec.der(fromRaw: signature)
        }
        var digest = [UInt8](repeating: 0, count: 64)
        let length = hash(algorithm, message, into: &digest)
        let verified = contexts.withContext(for: algorithm, prepare: { verifyContext(algorithm, key: key) }) { context in
            EVP_PKEY_verify(context, signature, signature.count, digest, length) == 1
        } ?? false
        if !verified { ERR_clear_error() }
        return verified
    }

    /// A context ready for `EVP_PKEY_verify` of `algorithm` signatures under `key`.
    private static func verifyContext(_ algorithm: JWSAlgorithm, key: EVPKey) -> OpaquePointer? {
        guard let context = EVP_PKEY_CTX_new_from_pkey(nil, key.pointer, nil) else { return nil }
        guard EVP_PKEY_verify_init(context) == 1,
              EVP_PKEY_CTX_set_signature_md(context, OpenSSLDigest.named(algorithm.digestName)) == 1,
              configurePSS(algorithm, context)
        else {
            EVP_PKEY_CTX_free(context)
            ERR_clear_error()
            return nil
        }
        return context
    }

    /// SHA-2 of `message` with the one-shot functions (no context set-up); returns the digest length.
    private static func hash(_ algorithm: JWSAlgorithm, _ message: UnsafeRawBufferPointer, into digest: inout [UInt8]) -> Int {
        let bytes = message.baseAddress?.assumingMemoryBound(to: UInt8.self)
        switch algorithm.digestSize {
        case 32: SHA256(bytes, message.count, &digest)
        case 48: SHA384(bytes, message.count, &digest)
        default: SHA512(bytes, message.count, &digest)
        }
        return algorithm.digestSize
    }

    /// Ed25519 hashes internally, so it goes through `EVP_DigestVerify` (RFC 8037).
    private static func verifyEdDSA(key: EVPKey, message: UnsafeRawBufferPointer, signature: [UInt8]) -> Bool {
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, nil, nil, key.pointer) == 1,
              EVP_DigestVerify(context, signature, signature.count, message.baseAddress, message.count) == 1
        else {
            ERR_clear_error()
            return false
        }
        return true
    }

    /// Signs `message`; ECDSA signatures come back as raw r‖s.
    static func sign(_ algorithm: JWSAlgorithm, key: EVPKey, message: [UInt8]) throws(JWTError) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw JWTError(.invalidKey, "out of memory") }
        defer { EVP_MD_CTX_free(context) }
        var keyContext: OpaquePointer?
        var length = 0
        guard EVP_DigestSignInit(context, &keyContext, OpenSSLDigest.named(algorithm.digestName), nil, key.pointer) == 1,
              configurePSS(algorithm, keyContext),
              EVP_DigestSign(context, nil, &length, message, message.count) == 1
        else { throw JWTError(.invalidKey, "cannot sign with this key: \(openSSLErrorLine())") }
        var signature = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(context, &signature, &length, message, message.count) == 1 else {
            throw JWTError(.invalidKey, "signing failed: \(openSSLErrorLine())")
        }
        signature.removeSubrange(length...)
        if let size = algorithm.ecdsaSignatureSize {
            guard let raw = ECDSASignatureCodec.raw(fromDER: signature, size: size) else {
                throw JWTError(.invalidKey, "unexpected ECDSA signature")
            }
            return raw
        }
        return signature
    }

    /// PSS with MGF1 over the same digest and a salt as long as the digest (RFC 7518 §3.5).
    static func configurePSS(_ algorithm: JWSAlgorithm, _ context: OpaquePointer?) -> Bool {
        guard algorithm.isPSS else { return true }
        let digest = OpenSSLDigest.named(algorithm.digestName)
        return EVP_PKEY_CTX_set_rsa_padding(context, gatehouse_rsa_pss_padding()) == 1
            && EVP_PKEY_CTX_set_rsa_pss_saltlen(context, gatehouse_pss_salt_length_digest()) == 1
            && EVP_PKEY_CTX_set_rsa_mgf1_md(context, digest) == 1
    }
}

/// Converts ECDSA signatures between JWS's raw r‖s and the DER form OpenSSL speaks.
enum ECDSASignatureCodec {
    /// DER `SEQUENCE { INTEGER r, INTEGER s }` for raw `r‖s` (minimal integers, as OpenSSL requires).
    static func der(fromRaw raw: [UInt8]) -> [UInt8] {
        let half = raw.count / 2
        func integer(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
            var value = Array(bytes.drop { $0 == 0 })
            if value.isEmpty || value[0] & 0x80 != 0 { value.insert(0, at: 0) }
            return [0x02] + length(value.count) + value
        }
        func length(_ count: Int) -> [UInt8] { count < 0x80 ? [UInt8(count)] : [0x81, UInt8(count)] }
        let body = integer(raw[..<half]) + integer(raw[half...])
        return [0x30] + length(body.count) + body
    }

    static func raw(fromDER der: [UInt8], size: Int) -> [UInt8]? {
        der.withUnsafeBufferPointer { buffer -> [UInt8]? in
            var cursor = buffer.baseAddress
            guard let signature = d2i_ECDSA_SIG(nil, &cursor, buffer.count) else { return nil }
            defer { ECDSA_SIG_free(signature) }
            var raw = [UInt8](repeating: 0, count: size)
            let half = size / 2
            let ok = raw.withUnsafeMutableBufferPointer { output in
                BN_bn2binpad(ECDSA_SIG_get0_r(signature), output.baseAddress, Int32(half)) == half
                    && BN_bn2binpad(ECDSA_SIG_get0_s(signature), output.baseAddress! + half, Int32(half)) == half
            }
            return ok ? raw : nil
        }
    }
}
