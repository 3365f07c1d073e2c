import JSON
import FoundationEssentials
import GatehouseTesting
import LocalStack
import Testing

/// The caching pitfall of docs/authn-authz.md, reproduced: a REQUEST authorizer's answer is cached under its
/// identity sources only. Without the path among them, ada's Deny for another tenant is reused for her own tenant's
/// path (403, the authorizer not asked again); with the path, as template.json has it, she gets her items.
@Suite(.serialized) struct AuthorizerCachingTests {
    static func adaToken(_ stack: LocalStackServer) async throws -> String {
        let (status, body) = try await SeedFlowTests.call(stack, "POST", "/idp/oauth/token", body: #"""
            {"grant_type":"password","client_id":"gatehouse-console","username":"ada@example.com",
             "password":"correct horse battery staple","scope":"read:profile"}
            """#)
        #expect(status == 200)
        return try #require(try JSONValue.object(parsing: Array(body.utf8))["access_token"]?.stringValue)
    }

    /// template.json with the REQUEST authorizer's identity sources replaced by `sources`.
    static func template(identity: [String: JSONValue]) throws -> String {
        var document = try JSONValue.object(parsing: Array(try String(contentsOfFile: Repository.path("template.json"), encoding: .utf8).utf8))
        guard case .object(var resources)? = document["Resources"], case .object(var api)? = resources["RestApi"],
              case .object(var properties)? = api["Properties"], case .object(var auth)? = properties["Auth"],
              case .object(var authorizers)? = auth["Authorizers"], case .object(var request)? = authorizers["RequestAuthorizer"]
        else { throw ServeFailure() }
        request["Identity"] = .object(identity)
        authorizers["RequestAuthorizer"] = .object(request)
        auth["Authorizers"] = .object(authorizers)
        properties["Auth"] = .object(auth)
        api["Properties"] = .object(properties)
        resources["RestApi"] = .object(api)
        document["Resources"] = .object(resources)
        let path = "/tmp/gatehouse-caching-\(UInt64.random(in: 0...UInt64.max)).json"
        try Data(JSONValue.object(document).jsonText.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    struct ServeFailure: Error {}

    @Test(arguments: [false, true])
    func theCacheKeyIsTheIdentitySources(withPath: Bool) async throws {
        let sources: [String: JSONValue] = withPath ? ["Headers": ["Authorization"], "Context": ["path"]] : ["Headers": ["Authorization"]]
        let path = try Self.template(identity: sources.merging(["ReauthorizeEvery": 300]) { $1 })
        defer { try? FileManager.default.removeItem(atPath: path) }
        let stack = try LocalStackServer.onFreePort(templatePath: path, identitiesPath: Repository.identities,
                                                    executables: Repository.builtProducts)
        let token = try await Self.adaToken(stack)
        let other = try await SeedFlowTests.call(stack, "GET", "/tenants/globex/wish-list", token: token)
        #expect(other == (403, #"{"message":"User is not authorized to access this resource with an explicit deny"}"#))
        let own = try await SeedFlowTests.call(stack, "GET", "/tenants/acme/wish-list", token: token)
        if withPath {
            #expect(own.0 == 200)
        } else {
            // The cached Deny names globex's method only, so acme's request finds no Allow in it.
            #expect(own == (403, #"{"message":"User is not authorized to access this resource"}"#))
        }
        await stack.stop()
    }
}
