import Transport
import LocalStack
import FoundationEssentials
import Runtime
import GatehouseTesting
import Testing

/// An HTTP API route behind a Lambda REQUEST authorizer answering with simple responses: payload 2.0 authorizer
/// events, `isAuthorized:false` → 403 `{"message":"Forbidden"}`, missing identity source → 401 without a call, and the
/// authorizer's context reaching the handler as `requestContext.authorizer.lambda`.
@Suite(.serialized) struct HTTPAPILambdaAuthorizerTests {
    @Test func simpleResponses() async throws {
        // In this process: only the gateway is under test here, not the command.
        let stack = try LocalStackServer.onFreePort(
            templatePath: Repository.path("Tests/LocalStackTests/Templates/http-lambda-authorizer.json"),
            identitiesPath: Repository.identities, executables: Repository.builtProducts)
        let login = try await SeedFlowTests.call(stack, "POST", "/idp/oauth/token", body:
            #"{"grant_type":"password","username":"ada@example.com","password":"correct horse battery staple","scope":"read:profile","client_id":"gatehouse-console"}"#)
        struct Issued: Decodable { var access_token: String }
        let token = try JSONDecoder().decode(Issued.self, from: Data(login.1.utf8)).access_token
        #expect(try await SeedFlowTests.call(stack, "GET", "/tenants/acme/wish-list", token: token) == (200, #"{"Count":0,"Items":[]}"#))
        #expect(try await SeedFlowTests.call(stack, "GET", "/tenants/globex/wish-list", token: token) == (403, #"{"message":"Forbidden"}"#))
        #expect(try await SeedFlowTests.call(stack, "GET", "/tenants/acme/wish-list") == (401, #"{"message":"Unauthorized"}"#))
        #expect(try await SeedFlowTests.call(stack, "GET", "/tenants/acme/wish-list", token: "forged") == (401, #"{"message":"Unauthorized"}"#))
        await stack.stop()  // (a function left behind by a throw exits when its Runtime API goes away)
    }
}
