public import Storage

/// What a refresh token stands for: whose session it is, and for an OAuth client, which client and scope.
public struct RefreshGrant: Sendable, Equatable {
    /// The session (the token family): given to `issue` to name it, for access tokens to carry as `sid`; a random
    /// one when not given. Not a secret.
    public var session: String?
    /// The user the session belongs to.
    public var subject: String
    /// The client the token was issued to, when the issuer tracks clients.
    public var clientID: String?
    /// The scope granted with the first token of the family.
    public var scope: String?
    /// The thumbprint of the DPoP key the family is bound to (RFC 9449 §5: a public client's refresh tokens are
    /// bound to the key of the proof they were issued with); nil for unbound tokens.
    public var boundKey: String?

    /// A grant.
    public init(subject: String, clientID: String? = nil, scope: String? = nil, session: String? = nil,
                boundKey: String? = nil) {
        self.session = session
        self.subject = subject
        self.clientID = clientID
        self.scope = scope
        self.boundKey = boundKey
    }
}

/// Rotating refresh tokens with reuse detection, as Auth0 and Cognito do: each token is opaque (256 random bits),
/// stored only as its SHA-256 with its family, grant and expiry, and spent by its first use, which returns its
/// successor in the same family. A spent token presented again means two parties hold the family — the user and a
/// thief — so the whole family is revoked, the newest token included.
///
/// Items in a `KeySchema.sessions` table: `refresh#DIGEST`/`live` while unspent, `refresh#DIGEST`/`spent` after,
/// `family#ID`/`revoked` once revoked; each with `expiresAt`.
public struct RefreshTokens: Sendable {
    /// Thirty days, each rotation starting a new period.
    public static let defaultLifetime = 30 * 86_400.0

    private let table: any Table
    private let lifetime: Double
    private let now: @Sendable () -> Double

    /// Tokens in `table`, each valid for `lifetime` seconds after it was issued, read against `now` (default: the
    /// system clock).
    public init(table: any Table, lifetime: Double = defaultLifetime, now: (@Sendable () -> Double)? = nil) {
        self.table = table
        self.lifetime = lifetime
        self.now = now ?? systemTime
    }

    /// The first token of a new family for `grant`: its `session`, else a random one.
    public func issue(_ grant: RefreshGrant) async throws -> String {
        let token = SessionSecrets.randomHex(bytes: 32)
        try await table.put(liveRecord(of: token, family: grant.session ?? SessionSecrets.randomHex(bytes: 16), grant: grant),
                            condition: .notExists)
        return token
    }

    /// Spends `token` and returns its grant with the family's next token. Throws `RefreshTokenError`: `.unknown`,
    /// `.expired`, `.revoked`, or `.reused` — after revoking the family — for a token spent before. With a
    /// `retryGrace` (Cognito's `RetryGracePeriodSeconds`), a spent token presented again within that many seconds is
    /// a client's retry, not a reuse: it gets another next token of the family.
    public func rotate(_ token: String, retryGrace: Double = 0) async throws -> (grant: RefreshGrant, token: String) {
        let partition = Self.partition(of: token)
        let records = try await table.query(partition: .string(partition))
        guard let record = records.first(where: { $0["sk"] == .string("live") }) ?? records.first,
              let family = record["family"]?.stringValue else { throw RefreshTokenError(.unknown) }
        if try await isRevoked(family: family) { throw RefreshTokenError(.revoked) }
        guard record["sk"] == .string("live") else {
            if let until = record["graceUntil"]?.numberValue, Double(until) > now(), let grant = Self.grant(in: record) {
                let retry = SessionSecrets.randomHex(bytes: 32)
                try await table.put(liveRecord(of: retry, family: family, grant: grant), condition: .notExists)
                return (grant, retry)
            }
            try await revoke(family: family)
            throw RefreshTokenError(.reused)
        }
        guard let grant = Self.grant(in: record), let expiry = record["expiresAt"]?.numberValue, expiry > now() else {
            throw RefreshTokenError(.expired)
        }
        let successor = SessionSecrets.randomHex(bytes: 32)
        do {
            try await table.transact([
                .delete(ItemKey(partition: .string(partition), sort: .string("live")), condition: .exists),
                .put(spentRecord(partition: partition, family: family, grant: grant, expiry: expiry, grace: retryGrace)),
                .put(liveRecord(of: successor, family: family, grant: grant), condition: .notExists),
            ])
        } catch let error as StorageError where error.code == .conditionalCheckFailed {
            // Another request spent it between our read and our write: the same token used twice.
            try await revoke(family: family)
            throw RefreshTokenError(.reused)
        }
        return (grant, successor)
    }

    /// The grant of an unspent `token`, which stays unspent: for issuers whose refresh tokens do not rotate (Cognito's
    /// default). Throws `RefreshTokenError`: `.unknown` (also for a spent token), `.expired` or `.revoked`.
    public func grant(of token: String) async throws -> RefreshGrant {
        guard let record = try await table.get(ItemKey(partition: .string(Self.partition(of: token)), sort: .string("live"))),
              let family = record["family"]?.stringValue, let grant = Self.grant(in: record) else {
            throw RefreshTokenError(.unknown)
        }
        if try await isRevoked(family: family) { throw RefreshTokenError(.revoked) }
        guard let expiry = record["expiresAt"]?.numberValue, expiry > now() else { throw RefreshTokenError(.expired) }
        return grant
    }

    /// Revokes the family `token` belongs to (logout); nothing happens for a token this store does not know.
    public func revokeFamily(of token: String) async throws {
        let records = try await table.query(partition: .string(Self.partition(of: token)))
        guard let family = records.first?["family"]?.stringValue else { return }
        try await revoke(family: family)
    }

    private func revoke(family: String) async throws {
        // Every token of the family expires within one lifetime from now, so the mark may expire then too.
        try await table.put(["pk": .string("family#" + family), "sk": .string("revoked"),
                             "expiresAt": .number(Int(now() + lifetime))])
    }

    /// Whether `session` (a grant's, a token family) was revoked: by logout, or by a spent token presented again.
    public func isRevoked(session: String) async throws -> Bool { try await isRevoked(family: session) }

    private func isRevoked(family: String) async throws -> Bool {
        try await table.get(ItemKey(partition: .string("family#" + family), sort: .string("revoked"))) != nil
    }

    /// A spent token's record: its family (a reuse revokes it) and, within a retry grace, the grant a retry gets.
    private func spentRecord(partition: String, family: String, grant: RefreshGrant, expiry: Double, grace: Double) -> Item {
        var item: Item = ["pk": .string(partition), "sk": .string("spent"), "family": .string(family), "expiresAt": .number(Int(expiry))]
        guard grace > 0 else { return item }
        for (name, value) in liveRecord(of: "", family: family, grant: grant) where !["pk", "sk", "expiresAt"].contains(name) {
            item[name] = value
        }
        item["graceUntil"] = .number(Int((now() + grace).rounded(.up)))
        return item
    }

    private func liveRecord(of token: String, family: String, grant: RefreshGrant) -> Item {
        var item: Item = ["pk": .string(Self.partition(of: token)), "sk": .string("live"), "family": .string(family),
                          "subject": .string(grant.subject), "expiresAt": .number(Int(now() + lifetime))]
        if let clientID = grant.clientID { item["clientId"] = .string(clientID) }
        if let scope = grant.scope { item["scope"] = .string(scope) }
        if let key = grant.boundKey { item["jkt"] = .string(key) }
        return item
    }

    private static func grant(in record: Item) -> RefreshGrant? {
        guard let subject = record["subject"]?.stringValue else { return nil }
        return RefreshGrant(subject: subject, clientID: record["clientId"]?.stringValue,
                            scope: record["scope"]?.stringValue, session: record["family"]?.stringValue,
                            boundKey: record["jkt"]?.stringValue)
    }

    private static func partition(of token: String) -> String { "refresh#" + SessionSecrets.digest(token) }
}
