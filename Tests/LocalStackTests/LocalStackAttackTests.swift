import JWT
import JSON
import TransportClient
import LocalStack
import FoundationEssentials
import Glibc
import HTTP
import Transport
import Runtime
import Testing

/// The local stack as an attacker meets it: nothing a token says reaches a response header, no key is a constant in
/// the source, and the console's page runs only its own script.
@Suite(.serialized) struct LocalStackAttackTests {
    static var stack: SeedFlowTests.Stack { SeedFlowTests.stack }
    /// The `Host` the stack answers (any other is refused: DNS rebinding protection).
    static var host: String { "127.0.0.1:\(stack.port)" }

    static func base64url(_ text: String) -> String {
        String(Data(text.utf8).base64EncodedString().compactMap { $0 == "=" ? nil : $0 == "+" ? "-" : $0 == "/" ? "_" : $0 })
    }

    /// Two requests on one keep-alive connection, read back as the client reads them.
    static func twoRequests(_ first: WireRequest, _ second: WireRequest) throws -> (WireResponse, WireResponse) {
        let connection = WireConnection(socket: try Socket.connect(host: "127.0.0.1", port: stack.port, timeoutSeconds: 30))
        try connection.write(first)
        let one = try connection.readResponse()
        try connection.write(second)
        return (one, try connection.readResponse())
    }

    @Test(arguments: [
        #"{"alg":"\r\nSet-Cookie: pwn=1\r\n"}"#,
        #"{"alg":"RS256","\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nX:":1,"\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nX:":1}"#,
    ])
    func aTokenHeaderCannotWriteResponseHeaders(header: String) throws {
        let token = Self.base64url(header) + "." + Self.base64url("{}") + ".c2ln"
        let post = WireRequest(method: "POST", target: "/wish-list",
                               headers: WireHeaders([("Host", Self.host), ("Authorization", "Bearer " + token)]), body: Array("{}".utf8))
        let (refused, next) = try Self.twoRequests(post, WireRequest(method: "GET", target: "/no/such/route",
                                                                     headers: WireHeaders([("Host", Self.host)])))
        #expect(refused.status == 401 && String(decoding: refused.body, as: UTF8.self) == #"{"message":"Unauthorized"}"#)
        #expect(refused.headers.values("set-cookie").isEmpty)
        let challenge = try #require(refused.headers["www-authenticate"])
        #expect(challenge.hasPrefix(#"Bearer scope="" error="invalid_token" error_description=""#))
        #expect(!challenge.contains("\r") && !challenge.contains("\n") && !challenge.contains("HTTP/1.1"))
        // The keep-alive client's next answer is the real one, not one forged by the token.
        #expect(next.status == 404)
    }

    @Test func theLocalSecretKeyIsMadePerDataFolder() async throws {
        let path = Self.stack.data + "/secret-key"
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        let key = try String(contentsOfFile: path, encoding: .utf8)
        #expect(key.count == 64 && key != "gatehouse-local-development-secret-key-0001")
        // A token signed with the constant every clone used to share is refused by the authorizers.
        let old = try JWK.symmetric(secret: Array("gatehouse-local-development-secret-key-0001".utf8), algorithm: .hs256)
        let now = Date().timeIntervalSince1970.rounded(.down)
        let forged = try JWTSigner(key: old, algorithm: .hs256).sign([
            "iss": "gatehouse-auth", "sub": "mallory", "aud": "https://api.gatehouse.dev", "iat": .number(now),
            "exp": .number(now + 300), "scope": "read:profile", "name": "Mallory",
            "https://gatehouse.dev/tenant": "acme",
        ])
        #expect(try await SeedFlowTests.call(Self.stack, "GET", "/profile", token: forged).0 == 401)
        #expect(try await SeedFlowTests.call(Self.stack, "GET", "/tenants/acme/wish-list", token: forged).0 == 401)
    }

    @Test(arguments: ["/", "/console.js"])
    func theConsoleRunsOnlyItsOwnScript(path: String) async throws {
        let response = try await SeedFlowTests.response(Self.stack, "GET", path)
        #expect(response.status == 200)
        let header = { (name: String) in response.headers.first { $0.name.lowercased() == name }?.value }
        #expect(header("content-security-policy")?.contains("script-src 'self';") == true)
        #expect(header("x-content-type-options") == "nosniff")
        if path == "/" { #expect(!String(decoding: response.body, as: UTF8.self).contains("<script>")) }
    }

    /// Two `Authorization` headers: the REQUEST authorizer's cache key and its event see the same one value (the last,
    /// as API Gateway's payload 1.0 keeps), so a junk string never becomes a cached credential.
    @Test func duplicateIdentitySourcesShowOneValue() async throws {
        let login = try await SeedFlowTests.call(Self.stack, "POST", "/login",
                                                 body: #"{"email":"bob@example.com","password":"hunter2-hunter2"}"#)
        struct Issued: Decodable { var token: String }
        let bob = try JSONDecoder().decode(Issued.self, from: Data(login.1.utf8)).token
        let junk = "not-a-token-\(UInt32.random(in: 0...UInt32.max))"
        func get(_ authorizations: [String]) throws -> Int {
            let connection = WireConnection(socket: try Socket.connect(host: "127.0.0.1", port: Self.stack.port, timeoutSeconds: 30))
            try connection.write(WireRequest(method: "GET", target: "/tenants/globex/wish-list",
                                             headers: WireHeaders([("Host", Self.host)] + authorizations.map { ("Authorization", $0) })))
            let response = try connection.readResponse()
            return response.status
        }
        #expect(try get([junk, "Bearer " + bob]) == 200)  // the last value is Bob's token
        #expect(try get([junk]) == 401)                    // and the junk alone was never cached as his
        #expect(try get(["Bearer " + bob, junk]) == 401)   // the last value is junk, whatever came first
        let mixedCase = WireRequest(method: "GET", target: "/tenants/globex/wish-list",
                                    headers: WireHeaders([("Host", Self.host), ("authorization", junk), ("Authorization", "Bearer " + bob)]))
        let connection = WireConnection(socket: try Socket.connect(host: "127.0.0.1", port: Self.stack.port, timeoutSeconds: 30))
        try connection.write(mixedCase)
        #expect(try connection.readResponse().status == 200)
    }
}
