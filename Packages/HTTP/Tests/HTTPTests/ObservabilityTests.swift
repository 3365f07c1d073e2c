import Foundation
import Policy
import Runtime
import GatehouseTesting
import Testing
@testable import HTTP

/// Metrics as CloudWatch Embedded Metric Format and the audit trail, checked against the format's rules: every
/// dimension and metric a line declares is a top-level member of the right type, a timestamp in milliseconds, few
/// dimensions; one audit line per request to a protected route, never a token.
@Suite struct ObservabilityTests {
    static let token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJl"

    /// Checks one EMF line against the format's rules; its members.
    static func validatedEMF(_ line: String) throws -> [String: Any] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let aws = try #require(object["_aws"] as? [String: Any])
        let timestamp = try #require(aws["Timestamp"] as? Int)
        #expect(abs(Double(timestamp) / 1000 - Date().timeIntervalSince1970) < 60)
        let directives = try #require(aws["CloudWatchMetrics"] as? [[String: Any]])
        #expect((1...2).contains(directives.count))  // a request, its decision, or both
        for directive in directives {
            #expect(directive["Namespace"] as? String == "Gatehouse")
            let dimensionSets = try #require(directive["Dimensions"] as? [[String]])
            for set in dimensionSets {
                #expect(!set.isEmpty && set.count <= 30)
                for name in set { #expect(object[name] is String, "dimension \(name) must be a string member") }
            }
            let metrics = try #require(directive["Metrics"] as? [[String: String]])
            #expect(!metrics.isEmpty && metrics.count <= 100)
            for metric in metrics {
                let name = try #require(metric["Name"])
                #expect(["Count", "Milliseconds"].contains(metric["Unit"] ?? ""))
                #expect(object[name] is NSNumber, "metric \(name) must be a number member")
            }
        }
        return object
    }

    @Test func routesAndDecisionsAsEMFAndAnAuditLinePerProtectedRequest() async throws {
        let metrics = CapturedLines(), audit = CapturedLines()
        var router = Router()
        router.get("/open", requires: .public) { _, _ in ["ok": true] }
        router.get("/mine", requires: .scope("read:profile")) { _, context in ["subject": context.caller.subject] }
        router.get("/boom", requires: .public) { _, _ -> HTTPResponse in throw CancellationError() }
        let application = Application(router: router, observability: Observability(
            service: "profile", metrics: MetricsLogger(sink: metrics.sink), audit: Logger(level: .info, sink: audit.sink)))
        func call(_ path: String, _ caller: Caller?) async -> Int {
            var request = HTTPRequest(method: "GET", path: path, headers: [("Authorization", "Bearer " + Self.token)],
                                      requestID: "gw-1", caller: caller)
            request.invocationID = "inv-\(path)-\(caller?.subject ?? "none")"
            return await application.respond(to: request).status.rawValue
        }
        let reader = Caller(subject: "ada", scopes: ScopeSet(["read:profile"]), claims: [:], source: .jwt)
        let nobody = Caller(subject: "bob", scopes: ScopeSet([]), claims: [:], source: .jwt)
        #expect(await call("/mine", nil) == 401)
        #expect(await call("/mine", nobody) == 403)
        #expect(await call("/mine", reader) == 200)
        #expect(await call("/open", nil) == 200)
        #expect(await call("/boom", nil) == 500)
        #expect(await call("/nowhere", nil) == 404)  // no route: nothing to measure

        let lines = try metrics.all.map(Self.validatedEMF)
        // One line a request: a protected route's request and decision share it (one `write`).
        #expect(lines.count == 5)
        let requests = lines.filter { $0["Requests"] != nil }
        #expect(requests.map { $0["Route"] as? String } == ["GET /mine", "GET /mine", "GET /mine", "GET /open", "GET /boom"])
        #expect(requests.map { ($0["ClientErrors"] as? Int, $0["ServerErrors"] as? Int) }.map { "\($0.0!)\($0.1!)" }
                == ["10", "10", "00", "00", "01"])
        let decisions = lines.filter { $0["AuthorizationDecisions"] != nil }
        #expect(decisions.map { "\($0["Layer"]!) \($0["Decision"]!) \($0["Reason"]!)" }
                == ["handler deny no token", "handler deny missing scope", "handler allow authorized"])
        #expect(decisions.map { $0["requestId"] as? String } == ["inv-/mine-none", "inv-/mine-bob", "inv-/mine-ada"])

        let audits = try audit.all.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(audits.count == 3)
        #expect(audits.map { "\($0["audit.subject"]!) \($0["audit.decision"]!) \($0["audit.reason"]!) \($0["requestId"]!)" }
                == [" deny no token inv-/mine-none", "bob deny missing scope inv-/mine-bob", "ada allow authorized inv-/mine-ada"])
        #expect(audits.allSatisfy { $0["audit.route"] as? String == "GET /mine" && $0["message"] as? String == "authorization" })
        for line in metrics.all + audit.all { #expect(!line.contains(Self.token) && !line.contains("c2lnbmF0dXJl")) }
    }

    /// The audit reason is the decision the router made, not words in the answer: a handler's own 403 is `forbidden`
    /// whatever its message says, and the requirement's refusal is `missing scope` whatever the handler would write.
    @Test func theAuditReasonIsTheDecisionNotTheBody() async throws {
        let audit = CapturedLines()
        var router = Router()
        router.get("/own", requires: .authenticated) { _, _ -> HTTPResponse in throw HTTPError(.forbidden, "missing scope, says the handler") }
        router.get("/scoped", requires: .scope("write:x")) { _, _ in ["ok": true] }
        // A handler's own checks record their decision too: a scope it requires of the resource is `missing scope`.
        router.get("/checked", requires: .authenticated) { _, context -> HTTPResponse in
            try context.require(Scope("write:x"))
            return HTTPResponse(status: .noContent)
        }
        let application = Application(router: router, observability: Observability(
            service: "s", metrics: MetricsLogger(sink: { _ in }), audit: Logger(level: .info, sink: audit.sink)))
        let caller = Caller(subject: "ada", scopes: ScopeSet(["read:x"]), claims: [:], source: .jwt)
        for path in ["/own", "/scoped", "/checked"] {
            #expect(await application.respond(to: HTTPRequest(method: "GET", path: path, caller: caller)).status.rawValue == 403)
        }
        let reasons = try audit.all.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
            .map { $0["audit.reason"] as? String }
        #expect(reasons == ["forbidden", "missing scope", "missing scope"])
    }

    @Test func authorizerDecisionsAreCountedAndAudited() async throws {
        let metrics = CapturedLines(), audit = CapturedLines()
        let observability = Observability(service: "token-authorizer", metrics: MetricsLogger(sink: metrics.sink),
                                          audit: Logger(level: .info, sink: audit.sink))
        let runtime = LambdaRuntime(tokenAuthorizer: { event in
            event.authorizationToken == "Bearer good"
                ? .allow(principalID: "ada", policy: PolicyDocument(statements: []), context: [:]) : .unauthorized
        }, observability: observability)
        let arn = "arn:aws:execute-api:us-east-1:123456789012:abc/dev/GET/profile"
        _ = try await runtime.invoke(Array(#"{"type":"TOKEN","authorizationToken":"Bearer good","methodArn":"\#(arn)"}"#.utf8))
        await #expect(throws: LambdaError.self) {
            try await runtime.invoke(Array(#"{"type":"TOKEN","authorizationToken":"Bearer \#(Self.token)","methodArn":"\#(arn)"}"#.utf8))
        }
        let decisions = try metrics.all.map(Self.validatedEMF)
        #expect(decisions.map { "\($0["Layer"]!) \($0["Decision"]!) \($0["Reason"]!)" }
                == ["authorizer allow valid token", "authorizer deny invalid token"])
        #expect(audit.all.count == 2 && audit.all.allSatisfy { !$0.contains(Self.token) })

        // Not a TOKEN event: reported as InvalidEvent, and no decision is made or counted.
        let named = #""authorizationToken":"Bearer x","methodArn":"\#(arn)""#
        for foreign in [#"{"type":"TOKEN","methodArn":"\#(arn)"}"#, #"{"authorizationToken":7}"#, "[]", "not json",
                        "{\(named)}", #"{"type":1,\#(named)}"#, #"{"type":"TOKEN","type":"TOKEN",\#(named)}"#,
                        #"{"type":"TOKEN",\#(named)} x"#, #"{"type":"TOKEN",\#(named),"methodArn":null}"#] {
            await #expect { try await runtime.invoke(Array(foreign.utf8)) } throws: { ($0 as? LambdaError)?.type == "InvalidEvent" }
        }
        #expect(metrics.all.count == 2)
    }

    /// A request is matched once, for its metrics and its dispatch, unless a middleware changed its path or method:
    /// then the router matches the changed request (and never runs the first route's handler for it).
    @Test func aMiddlewareThatRewritesThePathIsRoutedByTheRewrittenPath() async throws {
        struct Rewrite: Middleware {
            func handle(_ request: HTTPRequest, next: @Sendable (HTTPRequest) async throws -> HTTPResponse) async throws
                -> HTTPResponse
            {
                var request = request
                if request.path == "/v1/items/7" { request.path = "/items/7" }
                return try await next(request)
            }
        }
        let metrics = CapturedLines()
        var router = Router()
        router.get("/v1/items/{id}", requires: .public) { _, _ in ["route": "old"] }
        router.get("/items/{id}", requires: .public) { request, _ in ["route": "new", "id": request.pathParameters["id"] ?? ""] }
        let application = Application(router: router, middleware: [Rewrite()], observability: Observability(
            service: "items", metrics: MetricsLogger(sink: metrics.sink), audit: Logger(level: .info, sink: { _ in })))
        let response = await application.respond(to: HTTPRequest(method: "GET", path: "/v1/items/7"))
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"id":"7","route":"new"}"#)
        let line = try Self.validatedEMF(try #require(metrics.all.first))
        #expect(line["Route"] as? String == "GET /v1/items/{id}")  // the route the gateway's request named
    }
}
