import COpenSSL
import Synchronization

/// A shared secret for HS256/384/512. MAC contexts keyed with the secret are made once per algorithm and copied
/// per use (keying HMAC through OpenSSL 3 costs more than MACing a token).
struct HMACKey: Sendable {
    let secret: [UInt8]
    private let templates = MACTemplates()

    init(secret: [UInt8]) {
        self.secret = secret
    }

    /// The MAC of `message` under this key.
    func mac(_ algorithm: JWSAlgorithm, _ message: UnsafeRawBufferPointer) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 64)
        var length = 0
        guard let context = templates.context(for: algorithm, secret: secret) else { return [] }
        defer { EVP_MAC_CTX_free(context) }
        guard EVP_MAC_update(context, message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count) == 1,
              EVP_MAC_final(context, &output, &length, output.count) == 1
        else { return [] }
        return Array(output[0..<length])
    }

    /// Constant-time comparison of the expected MAC with `tag`; a truncated tag never matches.
    func verify(_ algorithm: JWSAlgorithm, message: UnsafeRawBufferPointer, tag: [UInt8]) -> Bool {
        let expected = mac(algorithm, message)
        guard !expected.isEmpty, tag.count == expected.count else { return false }
        return CRYPTO_memcmp(expected, tag, tag.count) == 0
    }
}

/// Keyed `EVP_MAC_CTX` templates, one per algorithm.
private final class MACTemplates: Sendable {
    private struct Template: @unchecked Sendable {
        let context: OpaquePointer
    }

    private static let hmac = Mutex<OpaquePointer?>(nil)
    private let templates = Mutex<[JWSAlgorithm: Template]>([:])

    deinit {
        templates.withLock { $0.values.forEach { EVP_MAC_CTX_free($0.context) } }
    }

    /// A keyed context for `algorithm`, owned by the caller.
    func context(for algorithm: JWSAlgorithm, secret: [UInt8]) -> OpaquePointer? {
        let template = templates.withLock { cache -> Template? in
            if let existing = cache[algorithm] { return existing }
            guard let made = Self.keyedContext(algorithm, secret: secret) else { return nil }
            cache[algorithm] = Template(context: made)
            return cache[algorithm]
        }
        return template.flatMap { EVP_MAC_CTX_dup($0.context) }
    }

    private static func keyedContext(_ algorithm: JWSAlgorithm, secret: [UInt8]) -> OpaquePointer? {
        let mac = hmac.withLock { cached -> OpaquePointer? in
            if cached == nil { cached = EVP_MAC_fetch(nil, "HMAC", nil) }
            return cached
        }
        guard let mac, let digest = algorithm.digestName, let context = EVP_MAC_CTX_new(mac) else { return nil }
        let keyed = "digest".withCString { name in
            digest.withCString { value in
                var parameters = [
                    OSSL_PARAM_construct_utf8_string(name, UnsafeMutablePointer(mutating: value), 0),
                    OSSL_PARAM_construct_end(),
                ]
                return secret.withUnsafeBufferPointer { key in
                    EVP_MAC_init(context, key.baseAddress, key.count, &parameters) == 1
                }
            }
        }
        guard keyed else {
            EVP_MAC_CTX_free(context)
            ERR_clear_error()
            return nil
        }
        return context
    }
}
