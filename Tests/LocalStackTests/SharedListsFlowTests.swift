import FoundationEssentials
import GatehouseTesting
import JSON
import Testing

/// Shared wish lists (SPEC §6) end to end: user tokens from the dev identity provider for ada, bob, carol and dana,
/// the HTTP API JWT authorizer of `gatehouse serve`, the wish-list function as its executable deciding with its
/// Cedar policy files, and the SQLite table behind it.
@Suite struct SharedListsFlowTests {
    static let passwords = ["ada": "correct horse battery staple", "bob": "hunter2-hunter2", "carol": "carol-carol-carol-1",
                            "dana": "dana-dana-dana-1"]

    /// A password-grant access token for the API, with the scopes the user holds.
    static func token(_ user: String) async throws -> String {
        let body = #"{"grant_type":"password","username":"\#(user)@example.com","password":"\#(passwords[user]!)","#
            + #""client_id":"gatehouse-console","scope":"read:profile write:wishlist","audience":"https://api.gatehouse.dev"}"#
        let (status, answer) = try await SeedFlowTests.call(SeedFlowTests.stack, "POST", "/idp/oauth/token", body: body)
        try #require(status == 200, "\(answer)")
        return try #require(try JSONValue.object(parsing: Array(answer.utf8))["access_token"]?.stringValue)
    }

    func call(_ method: String, _ path: String, as user: String, body: String? = nil) async throws -> (Int, String) {
        try await SeedFlowTests.call(SeedFlowTests.stack, method, path, token: try await Self.token(user), body: body)
    }

    @Test func theSpecsRoutesForEveryDevUser() async throws {
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
        #expect(try await SeedFlowTests.call(SeedFlowTests.stack, "GET", list) == (401, #"{"message":"Unauthorized"}"#))
        #expect(try await call("DELETE", list, as: "ada").0 == 204)
        #expect(try await call("GET", list, as: "ada").0 == 404)
    }
}
