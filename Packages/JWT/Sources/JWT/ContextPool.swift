import COpenSSL
import Synchronization

/// Prepared OpenSSL verification contexts for one key, pooled per algorithm. Preparing a context in OpenSSL 3
/// (provider fetch, key context, padding) costs a good part of an RSA verification, so a context is prepared once,
/// lent to one verification at a time and returned; the pool grows to the number of concurrent verifications.
final class VerifyContextCache: Sendable {
    private struct Pooled: @unchecked Sendable {
        let context: OpaquePointer
    }

    private let pools = Mutex<[JWSAlgorithm: [Pooled]]>([:])

    deinit {
        pools.withLock { $0.values.joined().forEach { EVP_PKEY_CTX_free($0.context) } }
    }

    /// Runs `body` with a context ready for `EVP_PKEY_verify` under `algorithm`; false when OpenSSL refuses the key.
    func withContext(for algorithm: JWSAlgorithm, key: EVPKey, _ body: (OpaquePointer) -> Bool) -> Bool {
        let lent = pools.withLock { $0[algorithm]?.popLast() }
        guard let context = lent?.context ?? Self.prepare(algorithm, key: key) else { return false }
        let result = body(context)
        pools.withLock { $0[algorithm, default: []].append(Pooled(context: context)) }
        return result
    }

    private static func prepare(_ algorithm: JWSAlgorithm, key: EVPKey) -> OpaquePointer? {
        guard let context = EVP_PKEY_CTX_new_from_pkey(nil, key.pointer, nil) else { return nil }
        guard EVP_PKEY_verify_init(context) == 1,
              EVP_PKEY_CTX_set_signature_md(context, OpenSSLDigest.named(algorithm.digestName)) == 1,
              AsymmetricSignature.configurePSS(algorithm, context)
        else {
            EVP_PKEY_CTX_free(context)
            ERR_clear_error()
            return nil
        }
        return context
    }
}
