import COpenSSL

/// A shared secret for HS256/384/512.
struct HMACKey: Sendable {
    let secret: [UInt8]

    /// The MAC of `message` under this key.
    func mac(_ algorithm: JWSAlgorithm, _ message: UnsafeRawBufferPointer) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 64)
        var length: UInt32 = 0
        secret.withUnsafeBufferPointer { key in
            _ = HMAC(OpenSSLDigest.named(algorithm.digestName), key.baseAddress, Int32(key.count),
                     message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count, &output, &length)
        }
        return Array(output[0..<Int(length)])
    }

    /// Constant-time comparison of the expected MAC with `tag`; a truncated tag never matches.
    func verify(_ algorithm: JWSAlgorithm, message: UnsafeRawBufferPointer, tag: [UInt8]) -> Bool {
        let expected = mac(algorithm, message)
        guard tag.count == expected.count else { return false }
        return CRYPTO_memcmp(expected, tag, tag.count) == 0
    }
}
