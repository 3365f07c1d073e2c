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
        #expect(grant == RefreshGrant(subject: "ada@example.com", clientID: "web", scope: "offline_access", session: grant.session))
        #expect(grant.session?.count == 32 && grant.session != first)
        let named = try await tokens.issue(RefreshGrant(subject: "ada@example.com", session: "s-1"))
        #expect(try await tokens.rotate(named).grant.session == "s-1")
        #expect(try await !tokens.isRevoked(session: "s-1"))
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

    /// Cognito's retry grace (`RetryGracePeriodSeconds`): a spent token presented again within the grace is a retry
    /// and gets another token of the family; after it, a reuse that revokes the family.
    @Test(arguments: TestBackend.allCases)
    func aRetryWithinTheGraceIsNoReuse(backend: TestBackend) async throws {
        let clock = ManualClock()
        let tokens = RefreshTokens(table: try await backend.table(.sessions), now: clock.now)
        let first = try await tokens.issue(RefreshGrant(subject: "ada@example.com", clientID: "web", scope: "openid"))
        let rotated = try await tokens.rotate(first, retryGrace: 10)
        clock.advance(9)
        let retried = try await tokens.rotate(first, retryGrace: 10)
        #expect(retried.grant == rotated.grant && retried.token != rotated.token)
        #expect(try await tokens.rotate(retried.token, retryGrace: 10).grant.subject == "ada@example.com")
        clock.advance(2)
        await #expect(throws: RefreshTokenError(.reused)) { try await tokens.rotate(first, retryGrace: 10) }
        await #expect(throws: RefreshTokenError(.revoked)) { try await tokens.rotate(rotated.token) }
        // Without a grace, the first presentation after the rotation is already a reuse.
        let other = try await tokens.issue(RefreshGrant(subject: "bob@example.com"))
        _ = try await tokens.rotate(other)
        await #expect(throws: RefreshTokenError(.reused)) { try await tokens.rotate(other) }
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
            _ = try await attempts.begin(email: "Ada@example.com", source: "10.0.0.1")  // wrong password: it stays counted
            clock.advance(10)
        }
        // Three failures at t=0, 10, 20; now t=30: the first leaves the window at t=60.
        let throttled = await #expect(throws: LoginAttempts.Throttled.self) {
            try await attempts.begin(email: "ada@example.com", source: "10.0.0.9")
        }
        #expect(throttled?.retryAfter == 30)
        clock.advance(30.5)
        let fourth = try await attempts.begin(email: "ada@example.com", source: nil)
        try await attempts.succeeded(fourth)  // released: a right password is no failure

        // Per source: five counted within the window (Ada's at t=10 and t=20, then three more) over different emails.
        for index in 0..<2 { _ = try await attempts.begin(email: "x\(index)@example.com", source: "10.0.0.1") }
        _ = try await attempts.begin(email: "fresh@example.com", source: "10.0.0.1")
        await #expect(throws: LoginAttempts.Throttled.self) { try await attempts.begin(email: "new@example.com", source: "10.0.0.1") }
        _ = try await attempts.begin(email: "new@example.com", source: "10.0.0.2")

        // A success clears the email's count, not the source's.
        for _ in 0..<2 { _ = try await attempts.begin(email: "bob@example.com", source: "10.0.0.3") }
        try await attempts.succeeded(try await attempts.begin(email: "bob@example.com", source: "10.0.0.3"))
        for _ in 0..<3 { _ = try await attempts.begin(email: "bob@example.com", source: "10.0.0.4") }
        await #expect(throws: LoginAttempts.Throttled.self) { try await attempts.begin(email: "bob@example.com", source: "10.0.0.4") }
    }

    /// Parallel guesses cannot outrun the limit: each is counted before its password is checked, so of 20 at once
    /// for one email with 4 already counted, exactly one more is let through (limit 5). Not on moto, whose
    /// transactions have no isolation (above); the sequential test runs the same writes over DynamoDB's protocol.
    @Test(arguments: [TestBackend.memory, .sqlite])
    func parallelAttemptsNeverPassTheLimit(backend: TestBackend) async throws {
        let attempts = LoginAttempts(table: try await backend.table(.sessions))
        for _ in 0..<4 { _ = try await attempts.begin(email: "bob@example.com", source: nil) }
        let admitted = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<20 {
                group.addTask {
                    do {
                        _ = try await attempts.begin(email: "bob@example.com", source: "10.0.1.\(index)")
                        return true
                    } catch is LoginAttempts.Throttled { return false }
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(admitted == 1)
    }
}
