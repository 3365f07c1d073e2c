public import Storage

/// Login throttling (OWASP's advice against password guessing): login attempts are counted per email and per source
/// address over a sliding window, and each is **reserved before the password is checked**, so parallel guesses
/// cannot all pass a check made before any of them was counted. Past a limit, attempts are refused until the oldest
/// leaves the window. A failed attempt stays counted; a successful one is released and clears the email's count.
/// The count is kept for any email, known or not, so the answer never tells which emails exist.
///
/// Each attempt is an item numbered in its partition (`login#email#EMAIL` or `login#source#ADDRESS` / a
/// zero-padded sequence number), written only if that number is still free (`attribute_not_exists`, in one
/// transaction for both partitions): of two attempts that read the same count, one wins and the other reads again.
/// That works the same on DynamoDB, SQLite and memory.
public struct LoginAttempts: Sendable {
    /// At most `failures` counted attempts within `window` seconds.
    public struct Limit: Sendable, Equatable {
        public var failures: Int
        public var window: Double

        /// A limit.
        public init(failures: Int, window: Double) {
            self.failures = failures
            self.window = window
        }
    }

    /// An attempt reserved by `begin`: release it with `succeeded` when the password was right.
    public struct Attempt: Sendable {
        let email: String
        let keys: [ItemKey]
    }

    /// Too many attempts: the next may be tried after `retryAfter` seconds.
    public struct Throttled: Error, Equatable {
        public let retryAfter: Int
    }

    private let table: any Table
    private let perEmail: Limit
    private let perSource: Limit
    private let now: @Sendable () -> Double

    /// Races lost in a row before an attempt is refused (fails closed under contention).
    private static let maxRaces = 16

    /// Attempts in `table`, limited per email and per source address, read against `now`. The defaults allow
    /// 5 failures per email and 50 per address (offices share one) in 15 minutes.
    public init(table: any Table, perEmail: Limit = Limit(failures: 5, window: 900),
                perSource: Limit = Limit(failures: 50, window: 900), now: (@Sendable () -> Double)? = nil) {
        self.table = table
        self.perEmail = perEmail
        self.perSource = perSource
        self.now = now ?? systemTime
    }

    /// Reserves an attempt for `email` from `source`, before its password is checked; throws `Throttled` when the
    /// email or the address is over its limit.
    public func begin(email: String, source: String?) async throws -> Attempt {
        for _ in 0..<Self.maxRaces {
            let time = now()
            var wait = 0.0
            var writes: [WriteRequest] = [], keys: [ItemKey] = []
            for (partition, limit) in partitions(email: email, source: source) {
                let newest = try await table.query(partition: .string(partition), sort: nil, limit: limit.failures,
                                                   forward: false)
                let counted = newest.compactMap { $0["at"]?.numberValue.map { $0 / 1000 } }.filter { $0 > time - limit.window }
                if counted.count >= limit.failures, let oldest = counted.last {
                    wait = max(wait, oldest + limit.window - time)
                }
                let number = AttributeValue.string(Self.sequenceKey((newest.first.flatMap(Self.sequence(of:)) ?? 0) + 1))
                keys.append(ItemKey(partition: .string(partition), sort: number))
                writes.append(.put(["pk": .string(partition), "sk": number, "at": .number(Int(time * 1000)),
                                    "expiresAt": .number(Int((time + limit.window).rounded(.up)))], condition: .notExists))
            }
            if wait > 0 { throw Throttled(retryAfter: max(1, Int(wait.rounded(.up)))) }
            do {
                try await table.transact(writes)
                return Attempt(email: email, keys: keys)
            } catch let error as StorageError where error.code == .conditionalCheckFailed {
                continue  // another attempt took that number first: count again
            }
        }
        throw Throttled(retryAfter: 1)
    }

    /// The attempt's password was right: it is released, and the email's counted failures are forgotten (the
    /// address's stay).
    public func succeeded(_ attempt: Attempt) async throws {
        let partition = Self.emailPartition(attempt.email)
        let failures = try await table.query(partition: .string(partition), sort: nil, limit: perEmail.failures + 1,
                                             forward: false)
        let keys = Set(attempt.keys + failures.compactMap { $0["sk"].map { ItemKey(partition: .string(partition), sort: $0) } })
        try await table.write(keys.map { .delete($0) })
    }

    private func partitions(email: String, source: String?) -> [(String, Limit)] {
        [(Self.emailPartition(email), perEmail)] + (source.map { [("login#source#" + $0, perSource)] } ?? [])
    }

    private static func emailPartition(_ email: String) -> String { "login#email#" + email.lowercased() }

    /// An attempt's sort key: its number, zero-padded so that text order is number order.
    private static func sequenceKey(_ number: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, 15 - digits.count)) + digits
    }

    private static func sequence(of item: Item) -> Int? { item["sk"]?.stringValue.flatMap { Int($0) } }
}
