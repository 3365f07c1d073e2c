import JSON
import Foundation
import GatehouseTesting
import Glibc
import LocalStack
import Testing

/// The OpenAPI document: valid OpenAPI 3.1 (`openapi-spec-validator`), the same whether `gatehouse openapi` prints
/// it or the stack serves it, and true to the running API under `schemathesis` (a bounded, deterministic run with a
/// dev token; its configuration file says what differs from its defaults and why).
@Suite(.serialized) struct OpenAPITests {
    /// The repository's Python test peers' folder, when `make test` made it.
    static let peers: String? = {
        let bin = Repository.path(".venv/bin")
        return access(bin + "/schemathesis", X_OK) == 0 ? bin : nil
    }()

    static func run(_ executable: String, _ arguments: [String]) async throws -> (Int32, [String]) {
        let result = try await FunctionProcess.run(executable, arguments: arguments, deadline: 600)
        return (result.exitCode, result.lines)
    }

    @Test(.enabled(if: peers != nil, "skipped: no .venv with openapi-spec-validator (make test installs it)"))
    func theDocumentIsValidOpenAPI31() async throws {
        let folder = SeedFlowTests.stack.data
        let (status, lines) = try await Self.run(Repository.builtProducts + "/gatehouse",
                                                 ["openapi", "--template", Repository.path("template.json")])
        #expect(status == 0 && lines.count == 1)
        let printed = folder + "/openapi.json"
        try Data(lines.joined().utf8).write(to: URL(fileURLWithPath: printed))
        let validation = try await Self.run(Self.peers! + "/python", ["-m", "openapi_spec_validator", printed])
        #expect(validation.0 == 0, "\(validation.1)")

        let document = try JSONDecoder().decode(JSONValue.self, from: Data(lines.joined().utf8))
        let post = document["paths"]?["/wish-list"]?["post"]
        #expect(post?["security"] == [["jwt": ["write:wishlist"]]])
        #expect(post?["requestBody"]?["content"]?["application/json"]?["example"]?["name"] == "A good book")
        #expect(post?["responses"]?["403"]?["description"] == "handler: missing scope (write:wishlist)")
        #expect(document["paths"]?["/wish-list"]?["get"]?["security"] == [])
        #expect(document["paths"]?["/profile"]?["get"]?["security"] == [["tokenAuthorizer": ["read:profile"]]])
        #expect(document["paths"]?["/profile"]?["get"]?["responses"]?["401"]?["description"]
                == "authorizer: no token, or not a valid one")
        #expect(document["components"]?["securitySchemes"]?["jwt"]?["openIdConnectUrl"]
                == "http://127.0.0.1:3000/idp/.well-known/openid-configuration")

        // The stack serves the same document, for its own port.
        let served = try await SeedFlowTests.call(SeedFlowTests.stack, "GET", "/openapi.json")
        #expect(served.0 == 200)
        let port = String(SeedFlowTests.stack.port)
        #expect(served.1 == lines.joined().replacingOccurrences(of: "127.0.0.1:3000", with: "127.0.0.1:" + port))
    }

    @Test(.enabled(if: peers != nil, "skipped: no .venv with schemathesis (make test installs it)"))
    func schemathesisFindsNothingTheDocumentDoesNotSay() async throws {
        // A stack of its own: hundreds of generated logins must not throttle the other suites' stack.
        let stack = try SeedFlowTests.Stack()
        stack.ready.wait()
        defer { stack.process.kill() }
        let token = try await SeedFlowTests.token(stack, client: "dev-service", secret: "dev-service-secret")
        let (status, lines) = try await Self.run(Self.peers! + "/schemathesis", [
            "--config-file", Repository.path("Tests/LocalStackTests/Schemathesis/schemathesis.toml"), "--no-color",
            "run", stack.base + "/openapi.json", "-H", "Authorization: Bearer " + token, "--max-examples", "25",
        ])
        #expect(status == 0, "\(lines.suffix(60).joined(separator: "\n"))")
        #expect(lines.contains { $0.contains("passed") && $0.contains("generated") })
    }
}

extension JSONValue {
    /// The member `key`, when this is an object.
    subscript(key: String) -> JSONValue? { objectValue?[key] }
}
