import Synchronization

/// Answers kept for a number of seconds, as API Gateway caches a Lambda authorizer's result under its identity
/// sources. When the cache passes `limit` entries the expired ones go, and if every entry is still fresh it starts
/// over: a flood of distinct tokens cannot grow it without bound.
final class ExpiringCache<Value: Sendable>: Sendable {
    private let entries = Mutex<[String: (expires: Double, value: Value)]>([:])
    private let limit: Int

    init(limit: Int = 1000) {
        self.limit = limit
    }

    /// The value stored under `key` when it is still fresh at `now`.
    func value(for key: String, now: Double) -> Value? {
        entries.withLock { entries in
            guard let entry = entries[key], entry.expires > now else { return nil }
            return entry.value
        }
    }

    /// Keeps `value` under `key` for `seconds` (nothing when `seconds` is 0).
    func insert(_ value: Value, for key: String, now: Double, seconds: Int) {
        guard seconds > 0 else { return }
        entries.withLock { entries in
            entries[key] = (now + Double(seconds), value)
            guard entries.count > limit else { return }
            entries = entries.filter { $0.value.expires > now }
            if entries.count > limit { entries.removeAll() }
        }
    }

    /// Entries held, fresh or not.
    var count: Int { entries.withLock { $0.count } }
}
