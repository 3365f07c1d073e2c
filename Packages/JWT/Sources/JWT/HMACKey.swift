import COpenSSL
import Synchronization

/// A shared secret for HS256/384/512. HMAC contexts keyed with the secret are made once and pooled; each use
/// re-initialises one (`EVP_MAC_init` without a key restarts from the keyed state), so no per-token set-up or copy.
struct HMACKey: Sendable {
    let secret: [UInt8]
    private let contexts = ContextPool.macContexts()

    init(secret: [UInt8]) {
        self.secret = secret
    }

    /// The MAC of `message` under this key; empty when OpenSSL refuses.
    func mac(_ algorithm: JWSAlgorithm, _ message: UnsafeRawBufferPointer) -> [UInt8] {
        withMAC(algorithm, message) { Array($0) } ?? []
    }

    /// Constant-time comparison of the expected MAC with `tag`; a truncated tag never matches.
    func verify(_ algorithm: JWSAlgorithm, message: UnsafeRawBufferPointer, tag: [UInt8]) -> Bool {
        withMAC(algorithm, message) { expected in
            !expected.isEmpty && tag.count == expected.count && CRYPTO_memcmp(expected.baseAddress, tag, tag.count) == 0
        } ?? false
    }

    private func withMAC<T>(_ algorithm: JWSAlgorithm, _ message: UnsafeRawBufferPointer,
                            _ body: (UnsafeRawBufferPointer) -> T) -> T? {
        let result = contexts.withContext(for: algorithm, prepare: { Self.keyedContext(algorithm, secret: secret) }) {
            context -> T? in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { output -> T? in
                var length = 0
                guard EVP_MAC_init(context, nil, 0, nil) == 1,
                      EVP_MAC_update(context, message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count) == 1,
                      EVP_MAC_final(context, output.baseAddress, &length, output.count) == 1
                else { return nil }
                return body(UnsafeRawBufferPointer(start: output.baseAddress, count: length))
            }
        }
        return result ?? nil
    }

    private static let hmac = Mutex<OpaquePointer?>(nil)

    /// A new HMAC context keyed with `secret` for `algorithm`'s digest.
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
