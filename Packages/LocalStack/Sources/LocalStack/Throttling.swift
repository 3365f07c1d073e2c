import Synchronization

/// A throttling limit as API Gateway applies it: a token bucket holding up to `burst` requests, refilled at `rate`
/// requests a second.
public struct Throttle: Sendable, Equatable {
    /// Requests a second, sustained.
    public var rate: Double
    /// Requests at once.
    public var burst: Int
}

/// A usage plan's request quota: `limit` requests a `period` (`DAY`, `WEEK` or `MONTH`, starting in UTC).
public struct Quota: Sendable, Equatable {
    public var limit: Int
    public var period: String
}

/// The token buckets and quota counters of one gateway, by key (a route, an API key): what each limit allows now.
final class RequestLimits: Sendable {
    private let buckets = Mutex<[String: (tokens: Double, at: Double)]>([:])
    private let counts = Mutex<[String: (period: Double, used: Int)]>([:])

    /// Takes one request from the bucket `key` limited by `throttle` at `now`; false when it is empty (429).
    func take(_ key: String, _ throttle: Throttle, now: Double) -> Bool {
        buckets.withLock { buckets in
            let capacity = Double(throttle.burst)
            var bucket = buckets[key] ?? (capacity, now)
            bucket.tokens = min(capacity, bucket.tokens + max(0, now - bucket.at) * throttle.rate)
            bucket.at = now
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            buckets[key] = bucket
            return allowed
        }
    }

    /// Counts one request against `quota` for `key` at `now`; false when the period's quota is spent (429).
    func count(_ key: String, _ quota: Quota, now: Double) -> Bool {
        let period = Self.periodStart(quota.period, now: now)
        return counts.withLock { counts in
            var entry = counts[key] ?? (period, 0)
            if entry.period != period { entry = (period, 0) }
            guard entry.used < quota.limit else { return false }
            entry.used += 1
            counts[key] = entry
            return true
        }
    }

    /// The start of the quota period holding `now` (UTC days; weeks from Monday; calendar months).
    static func periodStart(_ period: String, now: Double) -> Double {
        let day = (now / 86_400).rounded(.down)
        switch period {
        case "WEEK": return (day - (day + 3).truncatingRemainder(dividingBy: 7)) * 86_400  // 1970-01-01 was a Thursday
        case "MONTH":
            let (year, month) = civilMonth(daysSince1970: Int(day))
            return Double(daysSince1970(year: year, month: month, day: 1)) * 86_400
        default: return day * 86_400
        }
    }

    /// The year and month of a day counted from 1970-01-01 (Howard Hinnant's civil calendar algorithm).
    private static func civilMonth(daysSince1970 days: Int) -> (Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shifted = (5 * dayOfYear + 2) / 153
        let month = shifted < 10 ? shifted + 3 : shifted - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month)
    }

    private static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
