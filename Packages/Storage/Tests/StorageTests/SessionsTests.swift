import GatehouseTesting
import Sessions
import Storage
import StorageTesting
import Testing

/// Refresh-token rotation and login throttling on every backend, against a clock the test moves.
@Suite struct SessionsTests {
    @Test(arguments: TestBackend.allCases)
    func rotationSpendsEachTokenOnce(backend: TestBackend) async throws {
        let clock = ManualClock()
        let tokens = RefreshTokens(table: try await backend.table(.sessions), now: clock.now)
        let first = try await tokens.issue(RefreshGrant(subject: "ada@example.com", clientID: "web", scope: "offline_access"))
        #expect(first.count == 64 && first.allSatisfy(\.isHexDigit))
        let (grant, second) = try await tokens.rotate(first)
        #expect(grant == RefreshGrant(subject: "ada@example.com", clientID: "web", scope: "offline_access"))
        #expect(second != first)
        let (_, third) = try await tokens.rotate(second)
        #expect(try await tokens.rotate(third).grant.subject == "ada@example.com")
        await #expect(throws: RefreshTokenError(.unknown)) { try await tokens.rotate("not-a-token") }
    }

    @Test(arguments: TestBackend.allCases)
    func reuseRevokesTheWholeFamily(backend: TestBackend) async throws {
        let tokens = RefreshTokens(table: try await backend.table(.sessions))
        let stolen = try await tokens.issue(RefreshGrant(subject: "ada@example.com"))
        let usersNewest = try await tokens.rotate(stolen).token
        let otherSession = try await tokens.issue(RefreshGrant(subject: "ada@example.com"))
        await #expect(throws: RefreshTokenError(.reused)) { try await tokens.rotate(stolen) }
        await #expect(throws: RefreshTokenError(.revoked)) { try await tokens.rotate(usersNewest) }
        await #expect(throws: RefreshTokenError(.revoked)) { try await tokens.rotate(stolen) }
        #expect(try await tokens.rotate(otherSession).grant.subject == "ada@example.com")
    }

    /// Not on moto: its server runs concurrent `TransactWriteItems` without isolation (two conditional deletes of one
    /// item both succeeded in CI). DynamoDB's transactions are serializable — the loser gets `ConditionalCheckFailed`
    /// or `TransactionConflict`, both read as a failed condition — which memory and SQLite give here too.
    @Test(arguments: [TestBackend.memory, .sqlite])
    func concurrentUsesOfOneTokenLetAtMostOneThrough(backend: TestBackend) async throws {
        let tokens = RefreshTokens(table: try await backend.table(.sessions))
        let token = try await tokens.issue(RefreshGrant(subject: "ada@example.com"))
        let outcomes = await withTaskGroup(of: String?.self) { group in
            for _ in 0..<4 { group.addTask { try? await tokens.rotate(token).token } }
            return await group.reduce(into: [String?]()) { $0.append($1) }
        }
        let winners = outcomes.compactMap { $0 }
        #expect(winners.count == 1)
        // The losers saw the token spent, so the winner's successor belongs to a revoked family.
        if let winner = winners.first {
            await #expect(throws: RefreshTokenError(.revoked)) { try await tokens.rotate(winner) }
        }
    }

    @Test(arguments: TestBackend.allCases)
    func logoutAndExpiry(backend: TestBackend) async throws {
        let clock = ManualClock()
        let tokens = RefreshTokens(table: try await backend.table(.sessions), lifetime: 3600, now: clock.now)
        let loggedOut = try await tokens.issue(RefreshGrant(subject: "ada@example.com"))
        try await tokens.revokeFamily(of: loggedOut)
        await #expect(throws: RefreshTokenError(.revoked)) { try await tokens.rotate(loggedOut) }
        try await tokens.revokeFamily(of: "never-issued")

        let aging = try await tokens.issue(RefreshGrant(subject: "ada@example.com"))
        clock.advance(3599)
        let renewed = try await tokens.rotate(aging).token  // each rotation starts a new lifetime
        clock.advance(3599)
        let last = try await tokens.rotate(renewed).token
        clock.advance(3600)
        await #expect(throws: RefreshTokenError(.expired)) { try await tokens.rotate(last) }
    }

    @Test(arguments: TestBackend.allCases)
    func tokensAreStoredOnlyAsDigests(backend: TestBackend) async throws {
        let table = try await backend.table(.sessions)
        let tokens = RefreshTokens(table: table)
        let first = try await tokens.issue(RefreshGrant(subject: "ada@example.com"))
        let second = try await tokens.rotate(first).token
        var stored = ""
        var page: Page? = nil
        repeat {
            page = try await table.scan(limit: 100, after: page?.next)
            stored += page!.items.map { "\($0)" }.joined()
        } while page?.next != nil
        #expect(stored.contains("refresh#") && !stored.contains(first) && !stored.contains(second))
    }

    @Test(arguments: TestBackend.allCases)
    func failedLoginsAreThrottledPerEmailAndPerSource(backend: TestBackend) async throws {
        let clock = ManualClock()
        let attempts = LoginAttempts(table: try await backend.table(.sessions),
                                     perEmail: .init(failures: 3, window: 60), perSource: .init(failures: 5, window: 60),
                                     now: clock.now)
        for _ in 0..<3 {
            #expect(try await attempts.retryAfter(email: "Ada@example.com", source: "10.0.0.1") == nil)
            try await attempts.recordFailure(email: "Ada@example.com", source: "10.0.0.1")
            clock.advance(10)
        }
        // Three failures at t=0, 10, 20; now t=30: the first leaves the window at t=60.
        #expect(try await attempts.retryAfter(email: "ada@example.com", source: "10.0.0.9") == 30)
        #expect(try await attempts.retryAfter(email: "nobody@example.com", source: "10.0.0.1") == nil)
        clock.advance(30.5)
        #expect(try await attempts.retryAfter(email: "ada@example.com", source: nil) == nil)

        // Per source: five failures (two still in the window) over different emails lock out the address.
        for index in 0..<3 { try await attempts.recordFailure(email: "x\(index)@example.com", source: "10.0.0.1") }
        #expect(try await attempts.retryAfter(email: "fresh@example.com", source: "10.0.0.1") != nil)
        #expect(try await attempts.retryAfter(email: "fresh@example.com", source: "10.0.0.2") == nil)

        // A success resets the email's count, not the source's.
        try await attempts.recordFailure(email: "bob@example.com", source: "10.0.0.3")
        try await attempts.recordFailure(email: "bob@example.com", source: "10.0.0.3")
        try await attempts.reset(email: "bob@example.com")
        try await attempts.recordFailure(email: "bob@example.com", source: "10.0.0.3")
        #expect(try await attempts.retryAfter(email: "bob@example.com", source: nil) == nil)
        #expect(try await attempts.retryAfter(email: "bob@example.com", source: "10.0.0.1") != nil)
    }
}
