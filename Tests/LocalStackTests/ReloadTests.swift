import Foundation
import GatehouseTesting
import LocalStack
import Testing

/// What a reload swaps in a running stack, with the real app executables: new executables for new invocations,
/// a new template's routes (or none of a refused one), new dev identities.
@Suite struct ReloadTests {
    static func template(_ events: String) -> String {
        """
        {"Resources": {
          "Items": {"Type": "AWS::DynamoDB::Table", "Properties": {}},
          "WishListFunction": {"Type": "AWS::Serverless::Function", "Properties": {
            "FunctionName": {"Fn::Sub": "${AWS::StackName}-wish-list"}, "CodeUri": ".", "Handler": "bootstrap",
            "Environment": {"Variables": {"TABLE_NAME": {"Ref": "Items"}}},
            "Events": {\(events)}}}}}
        """
    }

    static let list = #""List": {"Type": "HttpApi", "Properties": {"Method": "GET", "Path": "/wish-list", "Auth": {"Authorizer": "NONE"}}}"#
    static let tenants = #""Tenants": {"Type": "HttpApi", "Properties": {"Method": "GET", "Path": "/tenants/{tenantId}/wish-list"}}"#

    /// A stack on a template and identities of its own (copies the test rewrites).
    static func stack() throws -> (LocalStackServer, template: String, identities: String) {
        var folder = Array("/tmp/gatehouse-reload-XXXXXX".utf8CString)
        let root = String(cString: mkdtemp(&folder)!)
        try Data(template(list).utf8).write(to: URL(fileURLWithPath: root + "/template.json"))
        try FileManager.default.copyItem(atPath: Repository.identities, toPath: root + "/identities.json")
        let stack = try LocalStackServer.onFreePort(templatePath: root + "/template.json", identitiesPath: root + "/identities.json",
                                                    executables: Repository.builtProducts)
        return (stack, root + "/template.json", root + "/identities.json")
    }

    @Test func newInvocationsRunTheReplacedExecutable() async throws {
        let (stack, _, _) = try Self.stack()
        #expect(try await SeedFlowTests.call(stack, "GET", "/wish-list").0 == 200)
        // Another app's executable in the wish list's place: its router has no /wish-list.
        await stack.replaceExecutables(["wish-list": Repository.builtProducts + "/profile"])
        #expect(try await SeedFlowTests.call(stack, "GET", "/wish-list") == (404, #"{"message":"Not Found"}"#))
        await stack.replaceExecutables(["wish-list": Repository.builtProducts + "/wish-list"])
        #expect(try await SeedFlowTests.call(stack, "GET", "/wish-list").0 == 200)
        await stack.stop()
    }

    @Test func aNewTemplateSwapsRoutesAndARefusedOneChangesNothing() async throws {
        let (stack, template, _) = try Self.stack()
        #expect(try await SeedFlowTests.call(stack, "GET", "/tenants/acme/wish-list").0 == 404)
        try Data(Self.template(Self.list + ", " + Self.tenants).utf8).write(to: URL(fileURLWithPath: template))
        try await stack.reloadConfiguration(functionsChanged: true)
        // The new route reaches the handler, which wants a caller: 401 from the function, not 404 from the gateway.
        let added = try await SeedFlowTests.call(stack, "GET", "/tenants/acme/wish-list")
        #expect(added.0 == 401)

        let refused = Self.template(Self.list).replacingOccurrences(of: #""Auth": {"Authorizer": "NONE"}"#,
                                                                    with: #""Auth": {"Authorizer": "NONE", "ApiKeyRequired": true}"#)
        try Data(refused.utf8).write(to: URL(fileURLWithPath: template))
        await #expect(throws: TemplateRefusal.self) { try await stack.reloadConfiguration(functionsChanged: true) }
        #expect(try await SeedFlowTests.call(stack, "GET", "/tenants/acme/wish-list").0 == 401)
        #expect(try await SeedFlowTests.call(stack, "GET", "/wish-list").0 == 200)
        await stack.stop()
    }

    @Test func newDevIdentitiesAreServedAndKeysStay() async throws {
        let (stack, _, identities) = try Self.stack()
        let jwks = try await SeedFlowTests.call(stack, "GET", "/idp/.well-known/jwks.json").1
        let body = #"{"grant_type":"client_credentials","client_id":"new-service","client_secret":"new-service-secret"}"#
        #expect(try await SeedFlowTests.call(stack, "POST", "/idp/oauth/token", body: body).0 == 401)
        let text = try String(contentsOfFile: identities, encoding: .utf8).replacingOccurrences(
            of: #""clients": ["#,
            with: #""clients": [{"id": "new-service", "secret": "new-service-secret", "permissions": ["read:profile"]},"#)
        try Data(text.utf8).write(to: URL(fileURLWithPath: identities))
        try await stack.reloadConfiguration(functionsChanged: false)
        #expect(try await SeedFlowTests.call(stack, "POST", "/idp/oauth/token", body: body).0 == 200)
        #expect(try await SeedFlowTests.call(stack, "GET", "/idp/.well-known/jwks.json").1 == jwks)
        await stack.stop()
    }
}
