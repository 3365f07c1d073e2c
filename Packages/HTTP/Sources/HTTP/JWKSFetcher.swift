import JSON
import FoundationEssentials
public import JWT
public import TransportClient

/// An issuer's signing keys fetched over HTTPS through OpenID Connect discovery (`ISSUER/.well-known/openid-configuration`
/// → `jwks_uri`), cached, and refreshed carefully:
/// - keys are reused for `cacheSeconds`;
/// - a token naming an unknown `kid` triggers at most one refetch per `minimumRefetchSeconds` (a penalty box, so a
///   flood of forged `kid`s cannot hammer the issuer), and concurrent refetches share one request;
/// - when the issuer is down, the last good keys stay in use; with no keys ever fetched, verification fails closed.
@_spi(Gatehouse) public actor JWKSFetcher: KeySetSource {
    private let issuer: String
    private let client: HTTPClient
    private let cacheSeconds: Double
    private let minimumRefetchSeconds: Double
    private let now: @Sendable () -> Double
    private var keys: JWKSet?
    private var fetchedAt = -Double.infinity
    private var attemptedAt = -Double.infinity
    private var inFlight: Task<JWKSet, any Error>?
    /// Fetches made so far (for tests and metrics).
    public private(set) var fetchCount = 0

    /// A fetcher for `issuer` (its exact `iss` value). Plain `http` is accepted only for loopback issuers. `now`
    /// is the clock (seconds since the epoch) the cache and penalty box are timed by.
    public init(issuer: String, client: HTTPClient, cacheSeconds: Double = 600, minimumRefetchSeconds: Double = 30,
                now: @escaping @Sendable () -> Double = currentTime) throws {
        guard Self.isAllowed(issuer) else {
            throw HTTPClient.Failure(description: "issuer must be an https URL (plain http only on loopback)")
        }
        self.issuer = issuer
        self.client = client
        self.cacheSeconds = cacheSeconds
        self.minimumRefetchSeconds = minimumRefetchSeconds
        self.now = now
    }

    public func keySet(unknownKeyID: String?) async throws -> JWKSet {
        let now = self.now()
        if let keys {
            let fresh = now - fetchedAt < cacheSeconds
            if unknownKeyID == nil && fresh { return keys }
            if let kid = unknownKeyID, keys.contains(keyID: kid) { return keys }
            if unknownKeyID != nil && now - attemptedAt < minimumRefetchSeconds { return keys }
        }
        do {
            return try await refresh()
        } catch {
            if let keys { return keys }  // stale keys beat no keys while the issuer is down
            throw error
        }
    }

    private func refresh() async throws -> JWKSet {
        if let inFlight { return try await inFlight.value }
        attemptedAt = now()
        let task = Task { [issuer, client] in try await Self.fetch(issuer: issuer, client: client) }
        inFlight = task
        defer { inFlight = nil }
        fetchCount += 1
        let fetched = try await task.value
        keys = fetched
        fetchedAt = now()
        return fetched
    }

    /// `https`, or plain `http` whose host is exactly a loopback name (the local identity provider). The URL is
    /// parsed, not prefix-matched: `http://127.0.0.1.evil.example/` is a remote host.
    static func isAllowed(_ url: String) -> Bool {
        guard let target = try? HTTPClient.Target(url) else { return false }
        return target.secure || ["127.0.0.1", "localhost", "::1"].contains(target.host.lowercased())
    }

    private static func fetch(issuer: String, client: HTTPClient) async throws -> JWKSet {
        struct Discovery: Decodable {
            var issuer: String
            var jwks_uri: String
        }
        let base = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        let discovery = try await client.get(base + "/.well-known/openid-configuration", headers: [("Accept", "application/json")])
        guard discovery.status == 200 else {
            throw HTTPClient.Failure(description: "discovery answered \(discovery.status)")
        }
        let document = try JSONDecoder().decode(Discovery.self, from: Data(discovery.body))
        guard document.issuer == issuer else {
            throw HTTPClient.Failure(description: "discovery document names another issuer")
        }
        guard isAllowed(document.jwks_uri) else { throw HTTPClient.Failure(description: "jwks_uri must be https") }
        let jwks = try await client.get(document.jwks_uri, headers: [("Accept", "application/json")])
        guard jwks.status == 200 else { throw HTTPClient.Failure(description: "JWKS answered \(jwks.status)") }
        return try JWKSet(jsonBytes: jwks.body)
    }
}
