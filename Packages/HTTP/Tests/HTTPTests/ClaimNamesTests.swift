import Policy
import Testing
@testable import HTTP

/// A claim has one name in `Caller.claims` whichever authorizer ran, mapped once where the application is built.
@Suite struct ClaimNamesTests {
    static let application: Application = {
        var router = Router()
        router.get("/tenant", requires: .authenticated) { _, context in .message(.ok, context.caller.claims["tenant"] ?? "none") }
        return Application(router: router, claimNames: ["https://example.com/tenant": "tenant"])
    }()

    static func tenant(claims: [String: String], source: Caller.Source) async -> String {
        let caller = Caller(subject: "s", scopes: ScopeSet([]), claims: claims, source: source)
        let response = await application.respond(to: HTTPRequest(method: "GET", path: "/tenant", caller: caller))
        return String(decoding: response.body, as: UTF8.self)
    }

    @Test func everyAuthorizerShapeGivesTheSameName() async {
        #expect(await Self.tenant(claims: ["https://example.com/tenant": "acme"], source: .jwt) == #"{"message":"acme"}"#)
        #expect(await Self.tenant(claims: ["tenant": "acme"], source: .rest) == #"{"message":"acme"}"#)
        #expect(await Self.tenant(claims: ["tenant": "acme"], source: .lambda) == #"{"message":"acme"}"#)
        #expect(await Self.tenant(claims: [:], source: .jwt) == #"{"message":"none"}"#)
    }

    @Test func anAuthorizersOwnValueIsNeverOverwritten() async {
        #expect(await Self.tenant(claims: ["tenant": "globex", "https://example.com/tenant": "acme"], source: .rest)
                == #"{"message":"globex"}"#)
    }

    @Test func groupsAreReadAsEveryAuthorizerWritesThem() {
        func groups(_ claims: [String: String]) -> [String] {
            Caller(subject: "s", scopes: ScopeSet([]), claims: claims, source: .jwt).groups
        }
        #expect(groups(["groups": "[admins members]"]) == ["admins", "members"])  // API Gateway's list claim
        #expect(groups(["groups": "admins, members"]) == ["admins", "members"])
        #expect(groups(["cognito:groups": "[édition]"]) == ["édition"])
        #expect(groups(["groups": "[]"]).isEmpty && groups([:]).isEmpty && groups(["groups": "[a"]) == ["[a"])
        #expect(groups(["groups": "a", "cognito:groups": "b"]) == ["a"])
    }
}
