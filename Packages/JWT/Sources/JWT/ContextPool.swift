import COpenSSL
import Synchronization

/// Prepared OpenSSL contexts for one key, pooled per algorithm. Preparing a context in OpenSSL 3 (provider fetch,
/// key set-up, padding, HMAC's keyed pads) costs a good part of a verification, so each is prepared once, lent to
/// one operation at a time and returned; a pool grows to the number of concurrent operations.
final class ContextPool: Sendable {
    private struct Pooled: @unchecked Sendable {
        let context: OpaquePointer
    }

    private let pools = Mutex<[JWSAlgorithm: [Pooled]]>([:])
    private let release: @Sendable (OpaquePointer) -> Void

    /// A pool whose contexts are freed with `release`.
    init(release: @escaping @Sendable (OpaquePointer) -> Void) {
        self.release = release
    }

    deinit {
        pools.withLock { $0.values.joined().forEach { release($0.context) } }
    }

    /// Runs `body` with a context for `algorithm`, made by `prepare` when none is free; nil when it cannot be made.
    func withContext<T>(for algorithm: JWSAlgorithm, prepare: () -> OpaquePointer?,
                        _ body: (OpaquePointer) -> T) -> T? {
        let lent = pools.withLock { $0[algorithm]?.popLast() }
        guard let context = lent?.context ?? prepare() else { return nil }
        let result = body(context)
        pools.withLock { $0[algorithm, default: []].append(Pooled(context: context)) }
        return result
    }
}

extension ContextPool {
    /// Pooled `EVP_PKEY_CTX` verification contexts.
    static func verifyContexts() -> ContextPool { ContextPool(release: { EVP_PKEY_CTX_free($0) }) }
    /// Pooled keyed `EVP_MAC_CTX` HMAC contexts.
    static func macContexts() -> ContextPool { ContextPool(release: { EVP_MAC_CTX_free($0) }) }
}
