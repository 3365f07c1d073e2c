import TransportClient
import Transport
import LocalStack
import HTTP
import Runtime
import GatehouseTesting
import Testing

/// A route whose JWT authorizer lists `AuthorizationScopes`: a valid token granting none of them is refused by the
/// gateway with 403 `{"message":"Forbidden"}` and `error="insufficient_scope"`, before the function runs.
@Suite(.serialized) struct HTTPAPIJWTScopeTests {
    @Test func routeScopesAreEnforcedAtTheEdge() async throws {
        // In this process: only the gateway is under test here, not the command.
        let stack = try LocalStackServer.onFreePort(
            templatePath: Repository.path("Tests/LocalStackTests/Templates/http-jwt-scopes.json"),
            identitiesPath: Repository.identities, executables: Repository.builtProducts)
        let reader = try await SeedFlowTests.token(stack, client: "reader-service", secret: "reader-service-secret")
        let refused = try await SeedFlowTests.response(stack, "POST", "/wish-list", token: reader, body: #"{"name":"Kite"}"#)
        #expect(refused.status == 403 && String(decoding: refused.body, as: UTF8.self) == #"{"message":"Forbidden"}"#)
        #expect(refused.headers.first { $0.name.lowercased() == "www-authenticate" }?.value
                == #"Bearer scope="write:wishlist admin:wishlist" error="insufficient_scope" error_description="the token does not have the required scopes""#)
        let writer = try await SeedFlowTests.token(stack, client: "dev-service", secret: "dev-service-secret")
        #expect(try await SeedFlowTests.call(stack, "POST", "/wish-list", token: writer, body: #"{"name":"Kite"}"#).0 == 201)
        #expect(try await SeedFlowTests.call(stack, "POST", "/wish-list", body: #"{"name":"Kite"}"#).0 == 401)
        await stack.stop()  // (a function left behind by a throw exits when its Runtime API goes away)
    }
}
