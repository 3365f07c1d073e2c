import Synchronization

/// The `jti`s of DPoP proofs seen while they could still be accepted (RFC 9449 §11.1): a proof works once. Each id
/// is kept for `lifetime` seconds — the proof age a verifier accepts plus its leeway, after which the proof is
/// refused as stale anyway. At most `limit` ids are kept; when every one is still fresh, new proofs are refused
/// until old ones expire (fail closed: a flood of proofs costs the flooder, never a replay let through).
@_spi(Gatehouse) public final class DPoPReplayCache: Sendable {
    private let seen = Mutex<[String: Double]>([:])
    private let lifetime: Double
    private let limit: Int

    /// A cache keeping ids `lifetime` seconds, at most `limit` of them.
    public init(lifetime: Double, limit: Int = 100_000) {
        (self.lifetime, self.limit) = (lifetime, limit)
    }

    /// Whether `id` is seen for the first time at `now` (it is then remembered); false for a replay or a full cache.
    public func firstUse(_ id: String, now: Double) -> Bool {
        seen.withLock { seen in
            if seen.count >= limit { seen = seen.filter { $0.value > now } }
            guard seen[id].map({ $0 <= now }) ?? true, seen.count < limit else { return false }
            seen[id] = now + lifetime
            return true
        }
    }
}
