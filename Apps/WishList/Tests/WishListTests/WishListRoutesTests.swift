import JWT
import GatehouseTesting
import FoundationEssentials
import HTTP
import Storage
import HTTPTesting
import Testing
@testable import WishList

/// Real API Gateway events in (from Tests/Fixtures/events), status and body out; storage in memory; no sockets.
@Suite struct WishListRoutesTests {
    let app = WishListRoutes.application(table: MemoryTable(schema: WishListStore.schema), policies: nil)

    /// The HTTP API JWT-authorizer sample, re-aimed: method, path, body, claims and scopes.
    static func httpEvent(_ method: String, _ path: String, body: String? = nil, base64: Bool = false,
                          claims: [String: String]? = nil, scopes: [String] = [], requestID: String = "req-1") throws -> [UInt8] {
        try TestEvents.httpAPI(method, path, body: body, base64: base64, claims: claims, scopes: scopes, requestID: requestID)
    }

    /// The REST sample with a Lambda authorizer's context, as the REQUEST authorizer passes it on.
    static func restEvent(_ path: String, tenantID: String, context: [String: String]) throws -> [UInt8] {
        try TestEvents.rest("GET", path, resource: "/tenants/{tenantId}/wish-list", pathParameters: ["tenantId": tenantID],
                            context: context)
    }

    /// Runs `event` as one Lambda invocation with request id `invocation`.
    func call(_ event: [UInt8], invocation: String = UUID().uuidString) async throws -> (Int, String) {
        let answer = try await app.call(event, invocation: invocation)
        return (answer.status, answer.body)
    }

    let ada = ["sub": "auth0|ada", "https://gatehouse.dev/tenant": "acme", "scope": "read:profile write:wishlist"]
    let bob = ["sub": "auth0|bob", "https://gatehouse.dev/tenant": "globex", "scope": "read:profile"]

    @Test func theSeedFlows() async throws {
        #expect(try await call(Self.httpEvent("GET", "/wish-list")) == (200, #"{"Count":0,"Items":[]}"#))
        let item = #"{"name":"Book","description":"A good one","url":"https://example.com/book"}"#
        #expect(try await call(Self.httpEvent("POST", "/wish-list", body: item)) == (401, #"{"message":"Unauthorized"}"#))
        #expect(try await call(Self.httpEvent("POST", "/wish-list", body: item, claims: bob, scopes: ["read:profile"]))
                == (403, #"{"message":"missing scope write:wishlist"}"#))
        let noTenant = ["sub": "svc@clients", "scope": "write:wishlist"]
        #expect(try await call(Self.httpEvent("POST", "/wish-list", body: item, claims: noTenant, scopes: ["write:wishlist"]),
                               invocation: "Zq1") == (201, #"{"id":"Zq1"}"#))
        #expect(try await call(Self.httpEvent("GET", "/wish-list"))
                == (200, #"{"Count":1,"Items":[{"description":"A good one","id":"Zq1","name":"Book","url":"https://example.com/book"}]}"#))
    }

    @Test func validation() async throws {
        let writer = (claims: ada, scopes: ["write:wishlist"])
        func post(_ body: String, base64: Bool = false) async throws -> (Int, String) {
            try await call(Self.httpEvent("POST", "/wish-list", body: body, base64: base64, claims: writer.claims,
                                          scopes: writer.scopes, requestID: "id-\(UInt32.random(in: 0...UInt32.max))"))
        }
        #expect(try await post(#"{"description":"x"}"#) == (400, #"{"message":"name is required"}"#))
        #expect(try await post(#"{"name":"   "}"#) == (400, #"{"message":"name is required"}"#))
        #expect(try await post("{\"name\":\"\(String(repeating: "n", count: 101))\"}") == (400, #"{"message":"name is longer than 100 characters"}"#))
        #expect(try await post(#"{"name":"x","url":"ftp://example.com/f"}"#) == (400, #"{"message":"url must be an http or https URL"}"#))
        #expect(try await post(#"{"name":"x","url":"javascript:alert(1)"}"#).0 == 400)
        #expect(try await post(#"{"name":7}"#) == (400, #"{"message":"invalid JSON body: expected String at name"}"#))
        #expect(try await post("not json") == (400, #"{"message":"invalid JSON body: not valid JSON"}"#))
        #expect(try await post(String(repeating: " ", count: 17 * 1024)).0 == 413)
        #expect(try await post(#"{"name":"encoded"}"#, base64: true).0 == 201)
    }

    @Test func tenantItemsOnlyForTheirTenant() async throws {
        _ = try await call(Self.httpEvent("POST", "/wish-list", body: #"{"name":"acme thing"}"#, claims: ada,
                                          scopes: ["write:wishlist"], requestID: "a1"))
        let context = ["principalId": "auth0|ada", "sub": "auth0|ada", "scope": "read:profile write:wishlist", "tenant": "acme"]
        let mine = try await call(Self.restEvent("/tenants/acme/wish-list", tenantID: "acme", context: context))
        #expect(mine.0 == 200 && mine.1.contains("acme thing"))
        let theirs = try await call(Self.restEvent("/tenants/globex/wish-list", tenantID: "globex", context: context))
        #expect(theirs == (403, #"{"message":"not a member of tenant globex"}"#))
    }

    /// The public list shows items of no tenant; a tenant's items only through its own route (issue: Ada's item
    /// leaked to anonymous callers of `GET /wish-list`).
    @Test func thePublicListShowsNoTenantsItems() async throws {
        #expect(try await call(Self.httpEvent("POST", "/wish-list", body: #"{"name":"acme secret"}"#, claims: ada,
                                              scopes: ["write:wishlist"])).0 == 201)
        #expect(try await call(Self.httpEvent("POST", "/wish-list", body: #"{"name":"for everyone"}"#,
                                              claims: ["sub": "svc@clients"], scopes: ["write:wishlist"])).0 == 201)
        let listing = try await call(Self.httpEvent("GET", "/wish-list"))
        #expect(listing.0 == 200 && listing.1.contains("for everyone") && !listing.1.contains("acme secret"))
        let context = ["principalId": "auth0|ada", "sub": "auth0|ada", "tenant": "acme"]
        let acme = try await call(Self.restEvent("/tenants/acme/wish-list", tenantID: "acme", context: context))
        #expect(acme.0 == 200 && acme.1.contains("acme secret") && !acme.1.contains("for everyone"))
    }

    /// The service route answers IAM callers only: an authorizer's caller (a misrouted template) is refused, and a
    /// request no authorizer vouched for is 401.
    @Test func theInternalListIsForIAMCallers() async throws {
        #expect(try await call(Self.httpEvent("POST", "/wish-list", body: #"{"name":"for everyone"}"#,
                                              claims: ["sub": "svc@clients"], scopes: ["write:wishlist"])).0 == 201)
        let service = try await call(TestEvents.rest("GET", "/internal/wish-list",
                                                     iamCaller: "arn:aws:iam::123456789012:user/dev-service"))
        #expect(service.0 == 200 && service.1.contains("for everyone"))
        let viaToken = try await call(TestEvents.rest("GET", "/internal/wish-list", context: ["principalId": "ada", "sub": "ada"]))
        #expect(viaToken == (403, #"{"message":"this route is for iam callers"}"#))
        #expect(try await call(TestEvents.rest("GET", "/internal/wish-list")).0 == 401)
    }

    /// The same event twice is two items (ids from the invocations); the same invocation id twice is a 409.
    @Test func aReplayedEventIsANewItemAndACollisionIsAConflict() async throws {
        let event = try Self.httpEvent("POST", "/wish-list", body: #"{"name":"Kite"}"#, claims: ada,
                                       scopes: ["write:wishlist"], requestID: "same-event")
        let first = try await call(event), second = try await call(event)
        #expect(first.0 == 201 && second.0 == 201 && first.1 != second.1)
        #expect(try await call(event, invocation: "dup") == (201, #"{"id":"dup"}"#))
        #expect(try await call(event, invocation: "dup") == (409, #"{"message":"an item with id dup already exists"}"#))
    }
}
