import JSON
import TransportClient
import GatehouseTesting
import Transport
@_spi(Gatehouse) import JWT
import Synchronization
import Testing
@_spi(Gatehouse) @testable import HTTP

/// The fetcher against a real issuer served over loopback HTTP.
@Suite struct JWKSFetcherTests {
    /// A tiny issuer: discovery + JWKS, counting requests, able to rotate keys or go down.
    final class Issuer: Sendable {
        let server: HTTPServer
        let shared = Shared()
        var url: String { "http://127.0.0.1:\(server.port)/idp/" }

        final class Shared: Sendable {
            let state = Mutex<(keys: [JWK], down: Bool, jwksRequests: Int)>(([], false, 0))
            let port = Mutex<UInt16>(0)
        }

        init() throws {
            let shared = self.shared
            server = try HTTPServer { request in
                let (keys, down) = shared.state.withLock { ($0.keys, $0.down) }
                if down { return .message(HTTPStatus(rawValue: 503), "down") }
                let base = "http://127.0.0.1:\(shared.port.withLock { $0 })/idp/"
                switch request.path {
                case "/idp/.well-known/openid-configuration":
                    return (try? .ok(["issuer": base, "jwks_uri": base + ".well-known/jwks.json"])) ?? .message(.internalServerError, "")
                case "/idp/.well-known/jwks.json":
                    shared.state.withLock { $0.jwksRequests += 1 }
                    let document = JSONValue.object(["keys": .array(keys.map { .object($0.members(includingPrivate: false)) })])
                    return HTTPResponse(status: .ok, headers: ["content-type": "application/json"], body: Array(document.jsonText.utf8))
                default:
                    return .message(.notFound, "Not Found")
                }
            }
            shared.port.withLock { $0 = server.port }
        }
    }

    @Test func cachesRefetchesOnUnknownKidAndKeepsStaleKeys() async throws {
        let issuer = try Issuer()
        defer { issuer.server.shutdown() }
        let first = try JWK.generate(for: .rs256, keyID: "k1")
        issuer.shared.state.withLock { $0.keys = [try! first.publicKey()] }
        let clock = ManualClock()
        let fetcher = try JWKSFetcher(issuer: issuer.url, client: try HTTPClient(), minimumRefetchSeconds: 30,
                                      now: clock.now)

        for _ in 0..<5 { #expect(try await fetcher.keySet(unknownKeyID: nil).contains(keyID: "k1")) }
        #expect(await fetcher.fetchCount == 1)

        // Rotation: a token signed with k2 makes one refetch that finds it.
        let second = try JWK.generate(for: .rs256, keyID: "k2")
        issuer.shared.state.withLock { $0.keys = [try! first.publicKey(), try! second.publicKey()] }
        clock.advance(31)
        #expect(try await fetcher.keySet(unknownKeyID: "k2").contains(keyID: "k2"))
        #expect(await fetcher.fetchCount == 2)

        // Forged kids: inside the penalty box no refetch happens, however many arrive.
        for index in 0..<20 { _ = try await fetcher.keySet(unknownKeyID: "forged-\(index)") }
        let afterForgeries = await fetcher.fetchCount
        #expect(afterForgeries == 2)  // k2's refetch opened the penalty box: forged kids fetch nothing
        let before = issuer.shared.state.withLock { $0.jwksRequests }
        for index in 0..<20 { _ = try await fetcher.keySet(unknownKeyID: "again-\(index)") }
        #expect(issuer.shared.state.withLock { $0.jwksRequests } == before)

        // The issuer goes down: the last good keys stay in use.
        issuer.shared.state.withLock { $0.down = true }
        clock.advance(31)
        #expect(try await fetcher.keySet(unknownKeyID: "k3").contains(keyID: "k2"))
    }

    @Test func concurrentUnknownKidsShareOneFetch() async throws {
        let issuer = try Issuer()
        defer { issuer.server.shutdown() }
        issuer.shared.state.withLock { $0.keys = [try! JWK.generate(for: .es256, keyID: "e1").publicKey()] }
        let fetcher = try JWKSFetcher(issuer: issuer.url, client: try HTTPClient())
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<10 { group.addTask { _ = try await fetcher.keySet(unknownKeyID: "e1") } }
            try await group.waitForAll()
        }
        #expect(issuer.shared.state.withLock { $0.jwksRequests } == 1)
    }

    @Test func failsClosedWithoutKeys() async throws {
        let issuer = try Issuer()
        defer { issuer.server.shutdown() }
        issuer.shared.state.withLock { $0.down = true }
        let fetcher = try JWKSFetcher(issuer: issuer.url, client: try HTTPClient())
        await #expect(throws: (any Error).self) { try await fetcher.keySet(unknownKeyID: nil) }
        // A discovery document naming another issuer is refused.
        issuer.shared.state.withLock { $0.down = false }
        let impostor = try JWKSFetcher(issuer: "http://127.0.0.1:\(issuer.server.port)/idp", client: try HTTPClient())
        await #expect(throws: (any Error).self) { try await impostor.keySet(unknownKeyID: nil) }
        #expect(throws: (any Error).self) { try JWKSFetcher(issuer: "http://evil.example/", client: try HTTPClient()) }
    }

    @Test func verifiesTokensEndToEnd() async throws {
        let issuer = try Issuer()
        defer { issuer.server.shutdown() }
        let key = try JWK.generate(for: .rs256, keyID: "live")
        issuer.shared.state.withLock { $0.keys = [try! key.publicKey()] }
        let verifier = MultiIssuerVerifier(issuers: [TrustedIssuer(
            issuer: issuer.url, audiences: ["https://api.gatehouse.dev"],
            keys: try JWKSFetcher(issuer: issuer.url, client: try HTTPClient()))])
        let token = try JWTSigner(key: key, algorithm: .rs256).sign([
            "iss": .string(issuer.url), "aud": "https://api.gatehouse.dev", "sub": "svc", "exp": .number(currentTime() + 60)])
        #expect(try await verifier.verify(token).claims.subject == "svc")
        let stranger = try JWTSigner(key: try JWK.generate(for: .rs256, keyID: "live"), algorithm: .rs256).sign([
            "iss": .string(issuer.url), "aud": "https://api.gatehouse.dev", "sub": "x", "exp": .number(currentTime() + 60)])
        await #expect(throws: JWTError.self) { try await verifier.verify(stranger) }
    }
}

extension JWKSFetcherTests {
    /// Plain http only to a host that is exactly loopback: the URL is parsed, never prefix-matched.
    @Test(arguments: [
        ("https://idp.example/", true), ("http://127.0.0.1:3000/idp/", true), ("http://localhost/idp/", true),
        ("http://[::1]:8080/", true), ("http://LOCALHOST/", true),
        ("http://127.0.0.1.evil.example/", false), ("http://localhost.evil.example/", false),
        ("http://127.0.0.1@evil.example/", false), ("http://[::1].evil.example/", false), ("http://evil.example/", false),
        ("ftp://127.0.0.1/", false),
    ])
    func issuerURLs(url: String, allowed: Bool) throws {
        #expect(JWKSFetcher.isAllowed(url) == allowed)
        let client = try HTTPClient()
        if allowed {
            #expect(throws: Never.self) { try JWKSFetcher(issuer: url, client: client) }
        } else {
            #expect(throws: HTTPClient.Failure.self) { try JWKSFetcher(issuer: url, client: client) }
        }
    }
}
