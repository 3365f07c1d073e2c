public import Storage

/// Login throttling (OWASP's advice against password guessing): failed logins are counted per email and per source
/// address over a sliding window; past a limit, logins are refused until the oldest failure leaves the window. The
/// count is kept for any email, known or not, so the answer never tells which emails exist.
///
/// Each failure is its own item (`attempts#email#EMAIL` or `attempts#source#ADDRESS` / time and a random suffix),
/// so concurrent failures are all counted without an atomic counter.
public struct LoginAttempts: Sendable {
    /// At most `failures` failed logins within `window` seconds.
    public struct Limit: Sendable, Equatable {
        public var failures: Int
        public var window: Double

        /// A limit.
        public init(failures: Int, window: Double) {
            self.failures = failures
            self.window = window
        }
    }

    private let table: any Table
    private let perEmail: Limit
    private let perSource: Limit
    private let now: @Sendable () -> Double

    /// Attempts in `table`, limited per email and per source address, read against `now`. The defaults allow
    /// 5 failures per email and 50 per address (offices share one) in 15 minutes.
    public init(table: any Table, perEmail: Limit = Limit(failures: 5, window: 900),
                perSource: Limit = Limit(failures: 50, window: 900), now: (@Sendable () -> Double)? = nil) {
        self.table = table
        self.perEmail = perEmail
        self.perSource = perSource
        self.now = now ?? systemTime
    }

    /// Seconds to wait before the next login for `email` from `source` may be tried, or nil when it may be now.
    public func retryAfter(email: String, source: String?) async throws -> Int? {
        var wait: Double = 0
        for (partition, limit) in keys(email: email, source: source) {
            let recent = try await failures(in: partition, limit: limit)
            guard recent.count >= limit.failures, let oldest = recent.first.flatMap(Self.time(of:)) else { continue }
            wait = max(wait, oldest + limit.window - now())
        }
        return wait > 0 ? max(1, Int(wait.rounded(.up))) : nil
    }

    /// Counts one failed login for `email` from `source`.
    public func recordFailure(email: String, source: String?) async throws {
        let time = now()
        let writes: [WriteRequest] = keys(email: email, source: source).map { partition, limit in
            .put(["pk": .string(partition), "sk": .string(Self.timeKey(time) + SessionSecrets.randomHex(bytes: 4)),
                  "expiresAt": .number(Int((time + limit.window).rounded(.up)))])
        }
        try await table.write(writes)
    }

    /// Forgets the failures counted for `email` (after a successful login); the source's count stays.
    public func reset(email: String) async throws {
        let partition = Self.emailPartition(email)
        let recent = try await failures(in: partition, limit: perEmail)
        guard !recent.isEmpty else { return }
        let keys = recent.compactMap { item in item["sk"].map { ItemKey(partition: .string(partition), sort: $0) } }
        try await table.write(keys.map { .delete($0) })
    }

    private func keys(email: String, source: String?) -> [(String, Limit)] {
        [(Self.emailPartition(email), perEmail)] + (source.map { [("attempts#source#" + $0, perSource)] } ?? [])
    }

    /// The failures of one partition still inside the window, oldest first, at most the limit's count.
    private func failures(in partition: String, limit: Limit) async throws -> [Item] {
        let windowStart = Self.timeKey(now() - limit.window)
        return try await table.query(partition: .string(partition), sort: .greaterThan(.string(windowStart)),
                                     limit: limit.failures, forward: true)
    }

    private static func emailPartition(_ email: String) -> String { "attempts#email#" + email.lowercased() }

    /// Milliseconds since the epoch, zero-padded so that text order is time order, and `#`: a failure's sort key
    /// adds a random suffix, so two at the same millisecond stay two.
    private static func timeKey(_ time: Double) -> String {
        let milliseconds = String(Int64((time * 1000).rounded(.down)))
        return String(repeating: "0", count: max(0, 15 - milliseconds.count)) + milliseconds + "#"
    }

    private static func time(of item: Item) -> Double? {
        guard let key = item["sk"]?.stringValue, let milliseconds = Int64(key.prefix(15)) else { return nil }
        return Double(milliseconds) / 1000
    }
}
