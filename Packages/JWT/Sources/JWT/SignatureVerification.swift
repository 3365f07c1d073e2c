import COpenSSL

/// Verifies and creates JWS signatures with OpenSSL EVP, for every algorithm except HMAC (see `HMACKey`).
enum AsymmetricSignature {
    /// True only when `signature` is a valid `algorithm` signature of `message` under `key`.
    static func verify(_ algorithm: JWSAlgorithm, key: EVPKey, contexts: VerifyContextCache,
                       message: UnsafeRawBufferPointer, signature: [UInt8]) -> Bool {
        var signature = signature
        if let size = algorithm.ecdsaSignatureSize {
            // JWS carries raw r‖s of exact length (RFC 7518 §3.4); anything else, DER included, is refused.
            guard signature.count == size, let der = ECDSASignatureCodec.der(fromRaw: signature) else { return false }
            signature = der
        }
        guard let context = contexts.context(for: algorithm, key: key) else { return false }
        defer { EVP_MD_CTX_free(context) }
        let result = EVP_DigestVerify(context, signature, signature.count, message.baseAddress, message.count)
        if result != 1 { ERR_clear_error() }
        return result == 1
    }

    /// A context initialised to verify `algorithm` signatures under `key`, owned by the caller.
    static func verificationContext(_ algorithm: JWSAlgorithm, key: EVPKey) -> OpaquePointer? {
        guard let context = EVP_MD_CTX_new() else { return nil }
        var keyContext: OpaquePointer?
        guard EVP_DigestVerifyInit(context, &keyContext, OpenSSLDigest.named(algorithm.digestName), nil, key.pointer) == 1,
              configurePSS(algorithm, keyContext)
        else {
            EVP_MD_CTX_free(context)
            ERR_clear_error()
            return nil
        }
        return context
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
    private static func configurePSS(_ algorithm: JWSAlgorithm, _ context: OpaquePointer?) -> Bool {
        guard algorithm.isPSS else { return true }
        let digest = OpenSSLDigest.named(algorithm.digestName)
        return EVP_PKEY_CTX_set_rsa_padding(context, gatehouse_rsa_pss_padding()) == 1
            && EVP_PKEY_CTX_set_rsa_pss_saltlen(context, gatehouse_pss_salt_length_digest()) == 1
            && EVP_PKEY_CTX_set_rsa_mgf1_md(context, digest) == 1
    }
}

/// Converts ECDSA signatures between JWS's raw r‖s and the DER form OpenSSL speaks.
enum ECDSASignatureCodec {
    static func der(fromRaw raw: [UInt8]) -> [UInt8]? {
        let half = raw.count / 2
        guard let signature = ECDSA_SIG_new() else { return nil }
        defer { ECDSA_SIG_free(signature) }
        let r = raw.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, Int32(half), nil) }
        let s = raw.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress! + half, Int32(half), nil) }
        guard ECDSA_SIG_set0(signature, r, s) == 1 else {
            BN_free(r)
            BN_free(s)
            return nil
        }
        var output: UnsafeMutablePointer<UInt8>?
        let length = i2d_ECDSA_SIG(signature, &output)
        guard length > 0, let output else { return nil }
        defer { gatehouse_openssl_free(output) }
        return Array(UnsafeBufferPointer(start: output, count: Int(length)))
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
