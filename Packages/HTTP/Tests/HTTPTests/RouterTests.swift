import FoundationEssentials
import Testing
@testable import HTTP
import Policy

@Suite struct RouterTests {
    struct NewItem: Decodable { var name: String }

    static func router() -> Router {
        var router = Router(maxBodyBytes: 64)
        router.get("/wish-list", requires: .public) { _, context in try .ok(["caller": context.caller?.subject ?? "-"]) }
        router.post("/wish-list", requires: .scope("write:wishlist")) { request, context in
            let item = try request.decode(NewItem.self)
            return try .created(["name": item.name, "by": context.caller.subject])
        }
        router.get("/tenants/{tenantId}/wish-list", requires: .authenticated) { request, context in
            try context.require("read:profile")
            return try .ok(["tenant": request.pathParameters["tenantId"] ?? ""])
        }
        router.get("/files/{path+}", requires: .public) { request, _ in try .ok(["path": request.pathParameters["path"] ?? ""]) }
        return router
    }

    func call(_ method: String, _ path: String, body: String = "", caller: Caller? = nil) async -> (Int, String) {
        let response = await Application(router: Self.router()).respond(to: HTTPRequest(
            method: method, path: path, body: Array(body.utf8), caller: caller))
        return (response.status.rawValue, String(decoding: response.body, as: UTF8.self))
    }

    let writer = Caller(subject: "ada", scopes: ScopeSet(spaceSeparated: "read:profile write:wishlist"), claims: [:], source: .jwt)
    let reader = Caller(subject: "bob", scopes: ScopeSet(spaceSeparated: "read:profile"), claims: [:], source: .jwt)

    @Test func statusMatrix() async {
        #expect(await call("GET", "/wish-list") == (200, #"{"caller":"-"}"#))
        #expect(await call("GET", "/wish-list", caller: reader) == (200, #"{"caller":"bob"}"#))
        #expect(await call("POST", "/wish-list", body: #"{"name":"x"}"#) == (401, #"{"message":"Unauthorized"}"#))
        #expect(await call("POST", "/wish-list", body: #"{"name":"x"}"#, caller: reader)
                == (403, #"{"message":"missing scope write:wishlist"}"#))
        #expect(await call("POST", "/wish-list", body: #"{"name":"x"}"#, caller: writer) == (201, #"{"by":"ada","name":"x"}"#))
        #expect(await call("POST", "/wish-list", body: #"{"nam":"x"}"#, caller: writer)
                == (400, #"{"message":"invalid JSON body: missing field name"}"#))
        #expect(await call("POST", "/wish-list", body: "{", caller: writer) == (400, #"{"message":"invalid JSON body: not valid JSON"}"#))
        #expect(await call("POST", "/wish-list", caller: writer) == (400, #"{"message":"request body must be JSON"}"#))
        #expect(await call("POST", "/wish-list", body: String(repeating: " ", count: 65), caller: writer).0 == 413)
        #expect(await call("DELETE", "/wish-list") == (405, #"{"message":"Method Not Allowed"}"#))
        #expect(await call("GET", "/nothing") == (404, #"{"message":"Not Found"}"#))
        #expect(await call("GET", "/tenants/acme/wish-list", caller: reader) == (200, #"{"tenant":"acme"}"#))
        #expect(await call("GET", "/tenants//wish-list", caller: reader).0 == 404)
        #expect(await call("GET", "/files/a/b/c.txt") == (200, #"{"path":"a/b/c.txt"}"#))
        #expect(await call("GET", "/files").0 == 404)
    }

    @Test func resourceLevelChecks() async {
        let scopeless = Caller(subject: "svc", scopes: ScopeSet([]), claims: [:], source: .rest)
        #expect(await call("GET", "/tenants/acme/wish-list", caller: scopeless) == (403, #"{"message":"missing scope read:profile"}"#))
    }

    @Test func everyRouteDeclaresItsAccess() {
        let routes = Self.router().routes
        #expect(routes.map { "\($0.method) \($0.path) \($0.requirement.map { "\($0)" } ?? "public")" } == [
            "GET /wish-list public", "POST /wish-list scope(write:wishlist)",
            "GET /tenants/{tenantId}/wish-list authenticated", "GET /files/{path+} public",
        ])
    }

    @Test func allowHeaderOn405() async {
        let response = await Application(router: Self.router()).respond(to: HTTPRequest(method: "PUT", path: "/wish-list"))
        #expect(response.headers["allow"] == "GET, POST")
    }
}

@Suite struct MiddlewareTests {
    final class Trace: @unchecked Sendable {
        var steps: [String] = []
    }

    struct Recorder: Middleware {
        let name: String
        let trace: Trace
        func handle(_ request: HTTPRequest, next: @Sendable (HTTPRequest) async throws -> HTTPResponse) async throws -> HTTPResponse {
            trace.steps.append("\(name) in")
            defer { trace.steps.append("\(name) out") }
            return try await next(request)
        }
    }

    struct Crash: Error {}

    @Test func onionOrderIsAsDocumented() async {
        let trace = Trace()
        var router = Router()
        router.get("/x", requires: .public) { _, _ in
            trace.steps.append("handler")
            return .message(.ok, "fine")
        }
        let app = Application(router: router, middleware: [Recorder(name: "a", trace: trace), Recorder(name: "b", trace: trace)])
        _ = await app.respond(to: HTTPRequest(method: "GET", path: "/x"))
        #expect(trace.steps == ["a in", "b in", "handler", "b out", "a out"])
    }

    @Test func unknownErrorsBecomeBare500() async {
        var router = Router()
        router.get("/boom", requires: .public) { _, _ in throw Crash() }
        let seen = Trace()
        let app = Application(router: router, onError: { _, error in seen.steps.append("\(error)") })
        let response = await app.respond(to: HTTPRequest(method: "GET", path: "/boom"))
        #expect(response.status == .internalServerError)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"message":"Internal Server Error"}"#)
        #expect(seen.steps.count == 1)
    }

    @Test func corsPreflightAndErrors() async {
        let app = Application(router: RouterTests.router(), cors: CORS(allowedOrigins: ["https://app.example"]))
        let preflight = await app.respond(to: HTTPRequest(method: "OPTIONS", path: "/wish-list", headers: [
            ("Origin", "https://app.example"), ("Access-Control-Request-Method", "POST")]))
        #expect(preflight.status == .noContent)
        #expect(preflight.headers["access-control-allow-origin"] == "https://app.example")
        let denied = await app.respond(to: HTTPRequest(method: "POST", path: "/wish-list", headers: [("origin", "https://app.example")]))
        #expect(denied.status == .unauthorized && denied.headers["access-control-allow-origin"] == "https://app.example")
        let stranger = await app.respond(to: HTTPRequest(method: "GET", path: "/wish-list", headers: [("origin", "https://evil.example")]))
        #expect(stranger.headers["access-control-allow-origin"] == nil)
    }
}
