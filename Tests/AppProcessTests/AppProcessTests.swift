import JSON
import GatehouseTesting
import Transport
import LocalStack
import FoundationEssentials
import Glibc
import HTTP
import Runtime
import Synchronization
import Testing

/// Each app's real executable under the Runtime API server, as Lambda runs a `bootstrap`: it answers API Gateway
/// events, reports anything else on `/error`, and keeps serving.
@Suite struct AppProcessTests {
    static let root = Repository.root
    static let products = Repository.builtProducts

    static let environment = [
        "GATEHOUSE_STORAGE": "memory", "TABLE_NAME": "items", "SESSIONS_TABLE": "sessions",
        "JWT_AUDIENCE": "https://api.gatehouse.dev",
        "SECRET_KEY": "a-test-secret-that-is-at-least-32-bytes-long", "LOG_LEVEL": "error",
        "GATEHOUSE_IDENTITIES": Repository.identities,
    ]

    static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: root + "/Tests/Fixtures/events/" + name)))
    }

    func start(_ app: String, environment: [String: String] = AppProcessTests.environment,
               onOutputLine: @escaping @Sendable (String) -> Void = { _ in }) throws -> (RuntimeAPIServer, FunctionProcess) {
        let server = try RuntimeAPIServer()
        var merged = environment
        merged["AWS_LAMBDA_RUNTIME_API"] = server.endpoint
        merged["AWS_LAMBDA_FUNCTION_NAME"] = app
        let process = try FunctionProcess(executable: Self.products + "/" + app, environment: merged, onOutputLine: onOutputLine)
        server.admit(processID: process.pid)
        return (server, process)
    }

    func status(_ outcome: InvocationOutcome) throws -> Int? {
        guard case .response(let body) = outcome else { return nil }
        struct Response: Decodable { var statusCode: Int }
        return try JSONDecoder().decode(Response.self, from: Data(body)).statusCode
    }

    @Test(arguments: ["wish-list", "profile", "auth"])
    func httpAppsServeAndSurviveForeignEvents(app: String) async throws {
        let (server, process) = try start(app)
        defer { process.kill() }
        let first = try await server.invoke(InvocationRequest(event: Self.fixture("apigw-v2-http-request-no-authorizer.json"),
                                                              timeoutMilliseconds: 10_000))
        #expect(try status(first) == 404)
        let foreign = try await server.invoke(InvocationRequest(event: Array(#"{"Records":[{"eventSource":"aws:sqs"}]}"#.utf8)))
        guard case .error(let error) = foreign else { Issue.record("expected /error, got \(foreign)"); return }
        #expect(error.type == "InvalidEvent")
        let again = try await server.invoke(InvocationRequest(event: Self.fixture("apigw-v1-rest-proxy-request-console-test-nulls.json")))
        #expect(try status(again) == 404)
        #expect(!process.hasExited)
    }

    @Test func wishListGetIsPublic() async throws {
        let (server, process) = try start("wish-list")
        defer { process.kill() }
        var event = try JSONDecoder().decode([String: JSONValue].self, from: Data(Self.fixture("apigw-v2-http-request-no-authorizer.json")))
        event["rawPath"] = .string("/wish-list")
        let outcome = try await server.invoke(InvocationRequest(event: Array(try JSONEncoder().encode(event))))
        guard case .response(let body) = outcome else { Issue.record("\(outcome)"); return }
        #expect(String(decoding: body, as: UTF8.self).contains(#"\"Count\":0"#))
    }

    @Test(arguments: ["token-authorizer", "request-authorizer"])
    func authorizersSayUnauthorizedAndKeepServing(app: String) async throws {
        let lines = Mutex<[String]>([])
        let (server, process) = try start(app) { line in lines.withLock { $0.append(line) } }
        defer { process.kill() }
        let fixture = app == "token-authorizer" ? "authorizer-token-event.json" : "authorizer-request-event-rest-api.json"
        for _ in 0..<2 {
            let outcome = try await server.invoke(InvocationRequest(event: Self.fixture(fixture)))
            #expect(outcome == .error(FunctionError(type: "Unauthorized", message: "Unauthorized")))
        }
        #expect(!process.hasExited)
        // A refused token is an answer, not a failure: counted (its EMF line), never an ERROR line — not even at
        // LOG_LEVEL=error, where an ERROR line per refused token used to be all the log said.
        process.kill()
        _ = await process.exitCode()
        let logged = lines.withLock { $0 }
        #expect(logged.filter { $0.contains(#""Decision":"deny""#) }.count == 2, "\(logged)")
        #expect(!logged.contains { $0.contains(#""level":"ERROR""#) }, "\(logged)")
    }

    @Test func missingConfigurationFailsInitNamingTheVariable() async throws {
        var environment = Self.environment
        environment["TABLE_NAME"] = nil
        let (server, process) = try start("wish-list", environment: environment)
        await #expect(throws: RuntimeAPIServer.Failure.initFailed(FunctionError(
            type: "MissingConfiguration", message: "environment variable TABLE_NAME is required"))) {
            try await server.waitUntilPolling()
        }
        #expect(await process.exitCode() == 1)
    }
}

/// `<app> --describe`: the route table as JSON (SPEC §2), printed with an empty environment — no variable is read;
/// routes that document their bodies add `request`/`responses` (schema and example) beside SPEC's keys.
@Suite struct DescribeTests {
    @Test(arguments: [
        ("wish-list", #"{"routes":[{"method":"GET","path":"/wish-list","requires":"public"},{"method":"POST","path":"/wish-list","requires":{"scope":"write:wishlist"}},{"method":"GET","path":"/tenants/{tenantId}/wish-list","requires":"authenticated"},{"method":"GET","path":"/internal/wish-list","requires":"authenticated"},{"actions":["CreateList"],"method":"POST","path":"/lists","requires":{"scope":"write:wishlist"},"resources":[{"attrs":{"editors":["dana@example.com"],"owner":{"__entity":{"id":"auth0|ada@example.com","type":"User"}},"tenant":"acme","viewers":["carol@example.com"]},"parents":[],"uid":{"id":"sample","type":"List"}}]},{"actions":["ViewList"],"method":"GET","path":"/lists/{id}","requires":"authenticated","resources":[{"attrs":{"editors":["dana@example.com"],"owner":{"__entity":{"id":"auth0|ada@example.com","type":"User"}},"tenant":"acme","viewers":["carol@example.com"]},"parents":[],"uid":{"id":"sample","type":"List"}}]},{"actions":["ShareList"],"method":"POST","path":"/lists/{id}/shares","requires":{"scope":"write:wishlist"},"resources":[{"attrs":{"editors":["dana@example.com"],"owner":{"__entity":{"id":"auth0|ada@example.com","type":"User"}},"tenant":"acme","viewers":["carol@example.com"]},"parents":[],"uid":{"id":"sample","type":"List"}}]},{"actions":["AddItem"],"method":"POST","path":"/lists/{id}/items","requires":{"scope":"write:wishlist"},"resources":[{"attrs":{"editors":["dana@example.com"],"owner":{"__entity":{"id":"auth0|ada@example.com","type":"User"}},"tenant":"acme","viewers":["carol@example.com"]},"parents":[],"uid":{"id":"sample","type":"List"}}]},{"actions":["DeleteList"],"method":"DELETE","path":"/lists/{id}","requires":{"scope":"write:wishlist"},"resources":[{"attrs":{"editors":["dana@example.com"],"owner":{"__entity":{"id":"auth0|ada@example.com","type":"User"}},"tenant":"acme","viewers":["carol@example.com"]},"parents":[],"uid":{"id":"sample","type":"List"}}]}]}"#),
        ("profile", #"{"routes":[{"method":"GET","path":"/profile","requires":{"scope":"read:profile"}},"#
            + #"{"method":"GET","path":"/edge/profile","requires":{"scope":"read:profile"}},{"method":"GET","path":"/me","requires":"authenticated"},"#
            + #"{"method":"GET","path":"/dpop/whoami","requires":"authenticated"}]}"#),
        ("auth", #"{"routes":[{"method":"POST","path":"/login","requires":"public"},{"method":"POST","path":"/token/refresh","requires":"public"},{"method":"POST","path":"/logout","requires":"public"}]}"#),
        ("token-authorizer", #"{"authorizer":"token"}"#),
        ("request-authorizer", #"{"authorizer":"request"}"#),
        ("policy-authorizer", #"{"authorizer":"request"}"#),
        ("dpop-authorizer", #"{"authorizer":"request"}"#),
    ])
    func everyAppDescribesItself(app: String, expected: String) async throws {
        let output = try await FunctionProcess.run(AppProcessTests.products + "/" + app, arguments: ["--describe"], deadline: 30)
        #expect(output.exitCode == 0 && output.lines.count == 1)
        let described = try JSONDecoder().decode(FunctionDescription.self, from: Data((output.lines.first ?? "").utf8))
        #expect(described.json == output.lines.first)  // nothing lost reading it back
        let parsed = try JSONDecoder().decode(FunctionDescription.self, from: Data(expected.utf8))
        #expect(parsed.json == expected)
        #expect(Self.withoutBodies(described) == parsed)
    }

    @Test func theWishListDocumentsItsBodies() async throws {
        let output = try await FunctionProcess.run(AppProcessTests.products + "/wish-list", arguments: ["--describe"], deadline: 30)
        guard case .routes(let routes) = try JSONDecoder().decode(FunctionDescription.self, from: Data(output.lines.joined().utf8)),
              let post = routes.first(where: { $0.method == "POST" }) else { Issue.record("no POST route"); return }
        #expect(post.documentation.request?.example == ["name": "A good book", "description": "Any edition",
                                                        "url": "https://example.com/book"])
        #expect(post.documentation.request?.schema.objectValue?["required"] == ["name"])
        #expect(post.documentation.responses[201]?.schema.objectValue?["required"] == ["id"])
        #expect(routes.first?.documentation.responses[200] != nil)
    }

    static func withoutBodies(_ description: FunctionDescription) -> FunctionDescription {
        guard case .routes(let routes) = description else { return description }
        return .routes(routes.map {
            FunctionDescription.Route(method: $0.method, path: $0.path, requirement: $0.requirement, actions: $0.actions,
                                      resources: $0.resources)
        })
    }
}
