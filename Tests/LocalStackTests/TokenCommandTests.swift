import FoundationEssentials
import GatehouseTesting
import JSON
@_spi(Gatehouse) import JWT
import LocalStack
import Testing

/// `gatehouse token` against a running stack (SPEC §2): a client's token, and a dev user's token for JWT routes —
/// its scope the user's permissions — or one line and exit 1 for a wrong password.
@Suite(.serialized) struct TokenCommandTests {
    static func gatehouse(_ arguments: [String]) async throws -> (Int32, [String]) {
        let stack = SeedFlowTests.stack
        stack.ready.wait()
        let result = try await FunctionProcess.run(Repository.builtProducts + "/gatehouse",
                                                   arguments: ["token"] + arguments + ["--port", String(stack.port)],
                                                   environment: ["GATEHOUSE_IDENTITIES": Repository.identities], deadline: 60)
        return (result.exitCode, result.lines)
    }

    static func claims(_ token: String) throws -> [String: JSONValue] {
        let payload = try #require(token.split(separator: ".").dropFirst().first)
        return try JSONValue.object(parsing: try #require(Base64URL.decode(String(payload))))
    }

    @Test func aUsersTokenCarriesTheUsersPermissionsForJWTRoutes() async throws {
        let (status, lines) = try await Self.gatehouse(["--user", "ada@example.com", "--password", "correct horse battery staple"])
        #expect(status == 0 && lines.count == 1)
        let claims = try Self.claims(try #require(lines.first))
        #expect(claims["scope"] == "read:profile write:wishlist" && claims["aud"] == "https://api.gatehouse.dev")
        #expect(claims["sub"] == "auth0|ada@example.com")
        // It is what the HTTP API's JWT authorizer and the handler's scope check take.
        let created = try await SeedFlowTests.call(SeedFlowTests.stack, "POST", "/wish-list", token: lines[0],
                                                   body: #"{"name":"from a user token"}"#)
        #expect(created.0 == 201)
    }

    @Test func aWrongPasswordIsOneLineAndExit1() async throws {
        let (status, lines) = try await Self.gatehouse(["--user", "bob@example.com", "--password", "not-bobs"])
        #expect(status == 1 && lines == ["gatehouse token: the identity provider answered 403: Wrong email or password."])
        let (client, clientLines) = try await Self.gatehouse(["--client", "reader-service", "--secret", "reader-service-secret"])
        let clientClaims = try Self.claims(try #require(clientLines.first))
        #expect(client == 0 && clientClaims["scope"] == "read:profile")
    }
}
