import FoundationEssentials
import GatehouseTesting
import JSON
import LocalStack
import Testing
import TransportClient

/// Shared wish lists (SPEC §6) end to end: user tokens from the dev identity provider for ada, bob, carol and dana,
/// the HTTP API JWT authorizer of `gatehouse serve`, the wish-list function as its executable deciding with its
/// Cedar policy files — or with the Verified Permissions store the stack made from the template — and the SQLite
/// table behind it.
@Suite struct SharedListsFlowTests {
    static let passwords = ["ada": "correct horse battery staple", "bob": "hunter2-hunter2", "carol": "carol-carol-carol-1",
                            "dana": "dana-dana-dana-1"]

    /// A password-grant access token for the API from `stack`'s identity provider, with the scopes the user holds.
    static func token(_ user: String, on stack: SeedFlowTests.Stack) async throws -> String {
        let body = #"{"grant_type":"password","username":"\#(user)@example.com","password":"\#(passwords[user]!)","#
            + #""client_id":"gatehouse-console","scope":"read:profile write:wishlist","audience":"https://api.gatehouse.dev"}"#
        let (status, answer) = try await SeedFlowTests.call(stack, "POST", "/idp/oauth/token", body: body)
        try #require(status == 200, "\(answer)")
        return try #require(try JSONValue.object(parsing: Array(answer.utf8))["access_token"]?.stringValue)
    }

    /// Every SPEC §6 route as every dev user, on `stack`.
    static func sharing(on stack: SeedFlowTests.Stack) async throws {
        func call(_ method: String, _ path: String, as user: String, body: String? = nil) async throws -> (Int, String) {
            try await SeedFlowTests.call(stack, method, path, token: try await token(user, on: stack), body: body)
        }
        let created = try await call("POST", "/lists", as: "ada", body: #"{"name":"Birthday"}"#)
        #expect(created.0 == 201, "\(created)")
        let id = try #require(try JSONValue.object(parsing: Array(created.1.utf8))["id"]?.stringValue)
        let list = "/lists/\(id)"
        #expect(try await call("POST", list + "/shares", as: "ada", body: #"{"user":"carol@example.com","role":"viewer"}"#).0 == 204)
        #expect(try await call("POST", list + "/shares", as: "ada", body: #"{"user":"bob@example.com","role":"editor"}"#).0 == 204)
        #expect(try await call("POST", list + "/items", as: "ada", body: #"{"name":"Kite","url":"https://example.com/kite"}"#).0 == 201)

        let owner = try await call("GET", list, as: "ada")
        #expect(owner.0 == 200 && owner.1.contains(#""name":"Kite""#) && owner.1.contains(#""owner":"auth0|ada@example.com""#))
        #expect(try await call("GET", list, as: "carol").0 == 200)                       // shared as viewer
        #expect(try await call("GET", list, as: "dana").0 == 200)                        // acme's admin
        #expect(try await call("GET", list, as: "bob") == (403, #"{"message":"not allowed: ViewList"}"#))  // other tenant
        #expect(try await call("POST", list + "/items", as: "carol", body: #"{"name":"x"}"#)
                == (403, #"{"message":"not allowed: AddItem"}"#))
        #expect(try await call("POST", list + "/shares", as: "dana", body: #"{"user":"dana@example.com","role":"editor"}"#)
                == (403, #"{"message":"not allowed: ShareList"}"#))
        #expect(try await call("POST", list + "/items", as: "bob", body: #"{"name":"x"}"#)
                == (403, #"{"message":"missing scope write:wishlist"}"#))
        #expect(try await call("DELETE", list, as: "dana") == (403, #"{"message":"not allowed: DeleteList"}"#))
        #expect(try await call("GET", "/lists/no-such-list", as: "ada") == (404, #"{"message":"no such list"}"#))
        #expect(try await SeedFlowTests.call(stack, "GET", list) == (401, #"{"message":"Unauthorized"}"#))
        #expect(try await call("DELETE", list, as: "ada").0 == 204)
        #expect(try await call("GET", list, as: "ada").0 == 404)
    }

    @Test func theSpecsRoutesForEveryDevUser() async throws {
        try await Self.sharing(on: SeedFlowTests.stack)
    }

    /// The same routes with the function deciding through Verified Permissions (`GATEHOUSE_POLICIES=avp:…`): the
    /// store the stack made from the template's resources, called at the stack's `/avp` with the dev IAM key, as
    /// the function would call the service with its role on AWS.
    @Test func theVerifiedPermissionsBackendAnswersAlike() async throws {
        let stack = try SeedFlowTests.Stack { port in
            ["GATEHOUSE_POLICIES": "avp:WishListPolicyStore", "AWS_ENDPOINT_URL_VERIFIEDPERMISSIONS": "http://127.0.0.1:\(port)/avp",
             "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "AKIAGATEHOUSEDEV0001",
             "AWS_SECRET_ACCESS_KEY": "gatehouse-dev-secret-access-key-0000000000"]
        }
        stack.ready.wait()
        defer { stack.process.kill() }
        try await Self.sharing(on: stack)
        // The decisions came from the store: its policies' ids are the template's logical ids.
        let ada = try await Self.token("ada", on: stack)
        let created = try await SeedFlowTests.call(stack, "POST", "/lists", token: ada, body: #"{"name":"x"}"#)
        let id = try #require(try JSONValue.object(parsing: Array(created.1.utf8))["id"]?.stringValue)
        let read = try await SeedFlowTests.response(stack, "GET", "/lists/\(id)", token: ada)
        let requestID = try #require(read.headers.first { $0.name.lowercased() == "apigw-requestid" }?.value)
        let decision = try await SeedFlowTests.call(stack, "GET", "/_gatehouse/decisions/" + requestID)
        #expect(decision == (200, #"{"decision":"allow","policies":"WishListPolicyOwner"}"#))
    }
}
