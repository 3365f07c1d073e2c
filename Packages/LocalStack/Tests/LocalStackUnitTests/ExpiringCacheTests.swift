@testable import LocalStack
import Testing

/// The local stack's authorizer cache: answers expire, and it stays bounded.
@Suite struct ExpiringCacheTests {
    @Test func answersExpire() {
        let cache = ExpiringCache<String>()
        cache.insert("allow", for: "token-a", now: 100, seconds: 300)
        cache.insert("never kept", for: "token-b", now: 100, seconds: 0)
        #expect(cache.value(for: "token-a", now: 399) == "allow")
        #expect(cache.value(for: "token-a", now: 400) == nil)
        #expect(cache.value(for: "token-b", now: 100) == nil)
    }

    @Test func staysBounded() {
        let cache = ExpiringCache<Int>(limit: 3)
        for index in 0..<3 { cache.insert(index, for: "old-\(index)", now: 0, seconds: 10) }
        cache.insert(3, for: "new", now: 20, seconds: 10)  // past the limit: the three expired answers go
        #expect(cache.count == 1 && cache.value(for: "new", now: 21) == 3)
        for index in 0..<3 { cache.insert(index, for: "fresh-\(index)", now: 21, seconds: 10) }
        #expect(cache.count == 0)  // four fresh answers over a limit of three: it starts over
    }
}

/// The token buckets and quota counters behind API Gateway's 429s, on an injected clock.
@Suite struct RequestLimitsTests {
    @Test func aBucketHoldsItsBurstAndRefillsAtItsRate() {
        let limits = RequestLimits()
        let throttle = Throttle(rate: 2, burst: 3)
        #expect((0..<4).map { _ in limits.take("k", throttle, now: 100) } == [true, true, true, false])
        #expect(limits.take("k", throttle, now: 100.4) == false)  // 0.8 of a token
        #expect(limits.take("k", throttle, now: 100.5) == true)
        #expect((0..<4).map { _ in limits.take("k", throttle, now: 1000) } == [true, true, true, false])  // never above burst
        #expect(limits.take("other", throttle, now: 1000))  // one bucket per key
        #expect(!limits.take("none", Throttle(rate: 10, burst: 0), now: 0))
    }

    @Test func aQuotaStartsOverEachPeriod() {
        let limits = RequestLimits()
        let quota = Quota(limit: 2, period: "DAY")
        let day = 86_400.0 * 20_000
        #expect([limits.count("k", quota, now: day + 10), limits.count("k", quota, now: day + 20),
                 limits.count("k", quota, now: day + 86_399)] == [true, true, false])
        #expect(limits.count("k", quota, now: day + 86_400))
    }

    @Test func periodsStartInUTC() {
        // 2026-11-30 (a Monday) 13:00 UTC.
        let now = 1_796_043_600.0
        #expect(RequestLimits.periodStart("DAY", now: now) == 1_795_996_800)
        #expect(RequestLimits.periodStart("WEEK", now: now) == 1_795_996_800)
        #expect(RequestLimits.periodStart("WEEK", now: now - 86_400) == 1_795_996_800 - 7 * 86_400)
        #expect(RequestLimits.periodStart("MONTH", now: now) == 1_793_491_200)  // 2026-11-01
        #expect(RequestLimits.periodStart("MONTH", now: 1_796_083_200) == 1_796_083_200)  // 2026-12-01 itself
    }
}
