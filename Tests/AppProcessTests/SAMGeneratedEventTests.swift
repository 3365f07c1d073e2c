import GatehouseTesting
import JSON
import Transport
import LocalStack
import FoundationEssentials
import Glibc
import HTTP
import Runtime
import Testing

/// Events made by `sam local generate-event` (AWS SAM CLI, offline) fed to the real app executables: SAM's HTTP API
/// events carry base64 bodies (`isBase64Encoded: true`), and its REST events have no authorizer.
@Suite struct SAMGeneratedEventTests {
    static let sam: String? = {
        var candidates: [String] = []
        if let python = getenv("GATEHOUSE_PYTHON") {
            let path = String(cString: python)
            candidates.append(String(path[..<path.lastIndex(of: "/")!]) + "/sam")
        }
        candidates.append(AppProcessTests.root + "/.venv/bin/sam")
        return candidates.first { access($0, X_OK) == 0 }
    }()

    /// Runs `sam` and passes on its standard output alone: warnings SAM prints on stderr (more of them on a loaded
    /// machine) must not end up in the JSON it generates.
    static let stdoutOnly = #"""
        import os, subprocess, sys
        result = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, env={**os.environ, "SAM_CLI_TELEMETRY": "0"})
        sys.stdout.buffer.write(result.stdout)
        sys.exit(result.returncode)
        """#

    /// The event `sam local generate-event apigateway ARGUMENTS` prints.
    static func generate(_ arguments: [String]) async throws -> [String: JSONValue] {
        let python = try #require(PythonPeer.find(module: "samcli"))
        let output = try PythonPeer.output(python, script: stdoutOnly,
                                                    arguments: [sam!, "local", "generate-event", "apigateway"] + arguments)
        return try JSONDecoder().decode([String: JSONValue].self, from: Data(output.utf8))
    }

    func answer(_ app: String, _ event: [String: JSONValue]) async throws -> (Int, String) {
        let (server, process) = try AppProcessTests().start(app)
        defer { process.kill() }
        let outcome = try await server.invoke(InvocationRequest(event: Array(try JSONEncoder().encode(event)),
                                                                timeoutMilliseconds: 10_000))
        guard case .response(let body) = outcome else { return (-1, "\(outcome)") }
        struct Response: Decodable { var statusCode: Int; var body: String }
        let response = try JSONDecoder().decode(Response.self, from: Data(body))
        return (response.statusCode, response.body)
    }

    @Test(.enabled(if: sam != nil, "skipped: AWS SAM CLI not found (make test installs it into .venv/)"))
    func samHTTPAPIEventsWithBase64Bodies() async throws {
        var post = try await Self.generate(["http-api-proxy", "--method", "POST", "--path", "wish-list",
                                      "--body", #"{"name":"from sam","url":"https://aws.amazon.com/serverless/sam/"}"#])
        #expect(post["isBase64Encoded"].map { "\($0)" }?.contains("true") == true)
        // SAM's sample JWT authorizer block grants scope1/scope2 only: the handler's scope check refuses.
        #expect(try await answer("wish-list", post) == (403, #"{"message":"missing scope write:wishlist"}"#))

        guard case .object(var context)? = post["requestContext"] else { Issue.record("no requestContext"); return }
        context["authorizer"] = .object(["jwt": .object([
            "claims": .object(["sub": .string("svc@clients"), "scope": .string("write:wishlist")]),
            "scopes": .array([.string("write:wishlist")])])])
        post["requestContext"] = .object(context)
        let created = try await answer("wish-list", post)
        #expect(created.0 == 201 && created.1.hasPrefix(#"{"id":""#))

        let list = try await Self.generate(["http-api-proxy", "--method", "GET", "--path", "wish-list"])
        #expect(try await answer("wish-list", list).0 == 200)
    }

    @Test(.enabled(if: sam != nil, "skipped: AWS SAM CLI not found (make test installs it into .venv/)"))
    func samRESTEventWithoutAuthorizerIs401() async throws {
        let event = try await Self.generate(["aws-proxy", "--method", "GET", "--path", "profile", "--resource", "/profile"])
        #expect(try await answer("profile", event) == (401, #"{"message":"Unauthorized"}"#))
    }
}
