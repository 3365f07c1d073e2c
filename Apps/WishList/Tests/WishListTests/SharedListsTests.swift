import Cedar
import FoundationEssentials
import GatehouseTesting
import HTTP
import HTTPTesting
import JSON
import Policy
import Runtime
import Storage
import Testing
@testable import WishList

/// The shared lists (SPEC §6) at their two inner layers: the policies alone, question by question, and the handlers
/// with real HTTP API events (claims as API Gateway's JWT authorizer passes them) over the app's own policy files.
@Suite struct SharedListsTests {
    static let policies: EmbeddedPolicies = {
        do { return try EmbeddedPolicies.forFunction() } catch { fatalError("the app's policies do not load: \(error)") }
    }()

    /// The dev users as the JWT authorizer hands them on (groups as API Gateway flattens a list claim).
    static func claims(_ name: String, tenant: String?, groups: String?, scope: String) -> [String: String] {
        var claims = ["sub": "auth0|\(name)@example.com", "email": "\(name)@example.com", "scope": scope]
        if let tenant { claims["https://gatehouse.dev/tenant"] = tenant }
        if let groups { claims["https://gatehouse.dev/groups"] = "[\(groups)]" }
        return claims
    }

    static let ada = claims("ada", tenant: "acme", groups: "editors", scope: "read:profile write:wishlist")
    static let bob = claims("bob", tenant: "globex", groups: "readers", scope: "read:profile")
    static let carol = claims("carol", tenant: "acme", groups: "members", scope: "read:profile write:wishlist")
    static let dana = claims("dana", tenant: "acme", groups: "admins", scope: "read:profile write:wishlist")
    static let service = ["sub": "dev-service@clients", "scope": "read:profile write:wishlist"]

    static func caller(_ claims: [String: String]) -> Caller {
        var named = claims
        named["tenant"] = claims["https://gatehouse.dev/tenant"]
        named["groups"] = claims["https://gatehouse.dev/groups"]
        return Caller(subject: claims["sub"]!, scopes: ScopeSet(spaceSeparated: claims["scope"]!), claims: named, source: .jwt)
    }

    // MARK: the policies alone

    @Test(arguments: [
        // who, action, allowed, deciding policies (named by their @id)
        ("ada", "ViewList", true, ["owner"]), ("ada", "ShareList", true, ["owner"]),
        ("ada", "AddItem", true, ["owner"]), ("ada", "DeleteList", true, ["owner"]),
        ("carol", "ViewList", true, ["viewers"]), ("carol", "AddItem", false, []), ("carol", "ShareList", false, []),
        ("dana", "ViewList", true, ["tenant-admins"]), ("dana", "AddItem", false, []), ("dana", "DeleteList", false, []),
        // Shared with bob as editor, but bob is of another tenant: the forbid decides.
        ("bob", "ViewList", false, ["same-tenant"]), ("bob", "AddItem", false, ["same-tenant"]),
        ("service", "ViewList", false, ["same-tenant"]),
    ])
    func policiesDecide(who: String, action: String, allowed: Bool, policies: [String]) async throws {
        let list = SharedList(id: "l1", name: "Birthday", owner: "auth0|ada@example.com", tenant: "acme",
                              viewers: ["carol@example.com"], editors: ["bob@example.com"])
        let callers = ["ada": Self.ada, "bob": Self.bob, "carol": Self.carol, "dana": Self.dana, "service": Self.service]
        let question = PolicyQuestion(principal: PolicyEntity(caller: Self.caller(callers[who]!)),
                                      action: PolicyAction(action), resource: PolicyEntity(list))
        let decision = Self.policies.decide(question)
        #expect(decision == PolicyDecision(allowed: allowed, policies: policies), "\(who) \(action)")
    }

    @Test func thePoliciesValidateAndAreLaidOutAsCedarFormatWould() throws {
        let folder = Repository.path("Apps/WishList/policies")
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: folder + "/lists.cedar")), as: UTF8.self)
        #expect(try CedarFormatter.format(text) == text)
        #expect(CedarValidator(schema: Self.policies.schema).validate(Self.policies.policies).isEmpty)
        #expect(Self.policies.policies.policies.count == 5)
    }

    @Test func aPolicyNamingAnUndeclaredAttributeDoesNotLoad() throws {
        let schema = String(decoding: try Data(contentsOf: URL(fileURLWithPath: Repository.path("Apps/WishList/policies/schema.cedarschema"))),
                            as: UTF8.self)
        #expect(throws: EmbeddedPolicies.LoadError.self) {
            try EmbeddedPolicies(text: #"permit(principal, action, resource) when { resource.colour == "red" };"#, schema: schema)
        }
        #expect(throws: EmbeddedPolicies.LoadError.self) {
            try EmbeddedPolicies(text: #"permit(principal, action == Action::"Rename", resource);"#, schema: schema)
        }
    }

    // MARK: the handlers, with real events

    let audit = CapturedLines()
    let app: Application

    init() {
        app = WishListRoutes.application(table: MemoryTable(schema: WishListStore.schema), policies: Self.policies,
                                         observability: Observability(service: "wish-list", metrics: MetricsLogger(sink: { _ in }),
                                                                      audit: Logger(level: .info, sink: audit.sink)))
    }

    func call(_ method: String, _ path: String, _ claims: [String: String], body: String? = nil) async throws -> (Int, String) {
        let scopes = claims["scope"]!.split(separator: " ").map(String.init)
        let event = try TestEvents.httpAPI(method, path, body: body, claims: claims, scopes: scopes,
                                           requestID: "gw-\(UInt32.random(in: 0...UInt32.max))")
        let answer = try await app.call(event, invocation: UUID().uuidString)
        return (answer.status, answer.body)
    }

    @Test func sharingAsTheSpecSaysIt() async throws {
        let created = try await call("POST", "/lists", Self.ada, body: #"{"name":"Birthday"}"#)
        #expect(created.0 == 201)
        let id = try #require(try JSONValue.object(parsing: Array(created.1.utf8))["id"]?.stringValue)
        let list = "/lists/\(id)"
        #expect(try await call("GET", list, Self.ada).0 == 200)
        #expect(try await call("GET", list, Self.carol) == (403, #"{"message":"not allowed: ViewList"}"#))
        #expect(try await call("POST", list + "/shares", Self.ada, body: #"{"user":"carol@example.com","role":"viewer"}"#).0 == 204)
        #expect(try await call("POST", list + "/shares", Self.ada, body: #"{"user":"bob@example.com","role":"editor"}"#).0 == 204)
        #expect(try await call("GET", list, Self.carol).0 == 200)
        #expect(try await call("POST", list + "/items", Self.carol, body: #"{"name":"Kite"}"#)
                == (403, #"{"message":"not allowed: AddItem"}"#))
        #expect(try await call("POST", list + "/shares", Self.carol, body: #"{"user":"dana@example.com","role":"editor"}"#)
                == (403, #"{"message":"not allowed: ShareList"}"#))
        // A second share replaces the first: carol becomes an editor.
        #expect(try await call("POST", list + "/shares", Self.ada, body: #"{"user":"carol@example.com","role":"editor"}"#).0 == 204)
        #expect(try await call("POST", list + "/items", Self.carol, body: #"{"name":"Kite","url":"https://example.com/kite"}"#).0 == 201)
        let read = try await call("GET", list, Self.dana)
        #expect(read.0 == 200 && read.1.contains(#""name":"Kite""#) && read.1.contains(#""owner":"auth0|ada@example.com""#))
        // Shared with bob as editor, but across tenants: refused (and bob's token lacks write:wishlist anyway).
        #expect(try await call("GET", list, Self.bob) == (403, #"{"message":"not allowed: ViewList"}"#))
        #expect(try await call("POST", list + "/items", Self.bob, body: #"{"name":"x"}"#)
                == (403, #"{"message":"missing scope write:wishlist"}"#))
        #expect(try await call("DELETE", list, Self.dana) == (403, #"{"message":"not allowed: DeleteList"}"#))
        #expect(try await call("DELETE", list, Self.carol) == (403, #"{"message":"not allowed: DeleteList"}"#))
        #expect(try await call("DELETE", list, Self.ada).0 == 204)
        #expect(try await call("GET", list, Self.ada) == (404, #"{"message":"no such list"}"#))
    }

    @Test func badInputIsRefusedBeforeAnyDecision() async throws {
        #expect(try await call("POST", "/lists", Self.ada, body: #"{"name":""}"#) == (400, #"{"message":"name is required"}"#))
        #expect(try await call("POST", "/lists", Self.ada, body: "[").0 == 400)
        // A caller without a tenant may not create a list: it would belong to no tenant.
        #expect(try await call("POST", "/lists", Self.service, body: #"{"name":"x"}"#) == (403, #"{"message":"not allowed: CreateList"}"#))
        let id = try #require(try JSONValue.object(parsing: Array(try await call("POST", "/lists", Self.ada, body: #"{"name":"x"}"#).1.utf8))["id"]?.stringValue)
        #expect(try await call("POST", "/lists/\(id)/shares", Self.ada, body: #"{"user":"carol","role":"viewer"}"#)
                == (400, #"{"message":"user must be an email address"}"#))
        #expect(try await call("POST", "/lists/\(id)/shares", Self.ada, body: #"{"user":"carol@example.com","role":"owner"}"#)
                == (400, #"{"message":"role must be viewer or editor"}"#))
        #expect(try await call("POST", "/lists/nope/items", Self.ada, body: #"{"name":"x"}"#) == (404, #"{"message":"no such list"}"#))
    }

    @Test func theAuditLineNamesTheActionTheResourceAndTheDecidingPolicy() async throws {
        let id = try #require(try JSONValue.object(parsing: Array(try await call("POST", "/lists", Self.ada, body: #"{"name":"x"}"#).1.utf8))["id"]?.stringValue)
        _ = try await call("GET", "/lists/\(id)", Self.bob)
        let line = try #require(audit.all.last)
        let fields = try JSONValue.object(parsing: Array(line.utf8))
        #expect(fields["audit.decision"] == "deny" && fields["audit.reason"] == "policy")
        #expect(fields["audit.action"] == "ViewList" && fields["audit.resource"] == .string("List::\"\(id)\""))
        #expect(fields["audit.policies"] == "same-tenant" && fields["audit.subject"] == "auth0|bob@example.com")
        #expect(!line.contains("eyJ"))
        // The fields in name order, as every log line writes them.
        let names = line.split(separator: "\"").filter { $0.hasPrefix("audit.") }
        #expect(names.count == 8 && names == names.sorted())
    }
}
