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
