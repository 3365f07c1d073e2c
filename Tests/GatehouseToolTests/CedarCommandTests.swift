import Foundation
import GatehouseTesting
import Testing

/// `gatehouse cedar authorize|validate|format` (SPEC §6): one answer line per request, the context read with the
/// schema, a file that does not parse named with its line and column; policies laid out from a file or stdin.
@Suite struct CedarCommandTests {
    static let data = Repository.path("Packages/Policy/Tests/CedarTests/Corpus")

    static func authorize(_ policies: String, requests: [String], schema: Bool = true,
                          timing: Bool = false) throws -> (status: Int32, out: String, err: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cedar-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let policyFile = folder.appendingPathComponent("policies.cedar"), requestFile = folder.appendingPathComponent("r.jsonl")
        try Data(policies.utf8).write(to: policyFile)
        try Data(requests.joined(separator: "\n").utf8).write(to: requestFile)
        var arguments = [JWTVerifyCommandTests.gatehouse, "cedar", "authorize", "--policies", policyFile.path,
                         "--entities", data + "/sample-data/sandbox_b/entities.json", "--requests", requestFile.path]
        if schema { arguments += ["--schema", data + "/sample-data/sandbox_b/schema_exts.cedarschema"] }
        if timing { arguments.append("--timing") }
        return JWTVerifyCommandTests.run(arguments)
    }

    static func request(_ principal: String, score: String) -> String {
        #"{"principal":{"type":"User","id":"\#(principal)"},"action":{"type":"Action","id":"view"},"#
            + #""resource":{"type":"Photo","id":"vacation.jpg"},"context":{"confidence_score":"\#(score)","#
            + #""source_ip":"10.0.0.1","authenticated":true}}"#
    }

    static let policies = """
        permit(principal, action == Action::"view", resource in Account::"alice")
        when { context.confidence_score.greaterThan(decimal("0.75")) && context.source_ip.isInRange(ip("10.0.0.0/8")) };
        forbid(principal == User::"bob", action, resource);
        permit(principal, action, resource) when { context.nope };
        """

    @Test func answersEachRequestInOrder() throws {
        let result = try Self.authorize(Self.policies, requests: [Self.request("alice", score: "0.8"),
                                                                  Self.request("alice", score: "0.5"),
                                                                  Self.request("bob", score: "0.9")])
        #expect(result.status == 0 && result.err.isEmpty)
        #expect(result.out == """
            {"decision":"allow","errors":["policy2"],"reasons":["policy0"]}
            {"decision":"deny","errors":["policy2"],"reasons":[]}
            {"decision":"deny","errors":["policy2"],"reasons":["policy1"]}

            """)
        // Without the schema, "0.8" stays a string: greaterThan is then an error of policy0.
        let untyped = try Self.authorize(Self.policies, requests: [Self.request("alice", score: "0.8")], schema: false)
        #expect(untyped.out.hasPrefix(#"{"decision":"deny","errors":["policy0","policy2"]"#))
        let timed = try Self.authorize(Self.policies, requests: [Self.request("alice", score: "0.8")], timing: true)
        #expect(timed.out.contains(#""nanos":"#))
    }

    @Test func aPolicyFileThatDoesNotParseIsNamedWithItsPlace() throws {
        let result = try Self.authorize("permit(principal, action, resource)\nwhen { 1 < };", requests: [])
        #expect(result.status == 1 && result.out.isEmpty)
        #expect(result.err.hasPrefix("error: ") && result.err.hasSuffix("policies.cedar:2:12: expected an expression\n"))
        #expect(JWTVerifyCommandTests.run([JWTVerifyCommandTests.gatehouse, "cedar", "authorize"]).status == 2)
    }

    @Test func validateReportsEachPolicyThatDoesNotTypecheck() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cedar-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let policyFile = folder.appendingPathComponent("policies.cedar")
        try Data("""
            permit(principal, action == Action::"view", resource) when { context.authenticated };
            permit(principal, action == Action::"view", resource) when { principal.jobLevel > "5" };
            permit(principal is Photo, action == Action::"view", resource);
            """.utf8).write(to: policyFile)
        let schema = Self.data + "/sample-data/sandbox_b/schema.cedarschema"
        let result = JWTVerifyCommandTests.run([JWTVerifyCommandTests.gatehouse, "cedar", "validate", "--policies", policyFile.path,
                                                "--schema", schema])
        let lines = result.out.split(separator: "\n")
        #expect(result.status == 1 && lines.count == 2)
        #expect(lines.first?.hasPrefix("policy1: ") == true && lines.last?.hasPrefix("policy2: ") == true)
        try Data(#"permit(principal, action == Action::"view", resource) when { context.authenticated };"#.utf8).write(to: policyFile)
        let valid = JWTVerifyCommandTests.run([JWTVerifyCommandTests.gatehouse, "cedar", "validate", "--policies", policyFile.path,
                                               "--schema", schema])
        #expect(valid.status == 0 && valid.out.isEmpty)
    }

    @Test func formatLaysOutAFileOrStandardInput() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cedar-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let policyFile = folder.appendingPathComponent("policies.cedar")
        let text = "// owners edit\npermit(principal,action==Action::\"edit\",resource)when{resource.owner==principal};"
        try Data(text.utf8).write(to: policyFile)
        let laidOut = """
            // owners edit
            permit (
              principal,
              action == Action::"edit",
              resource
            )
            when { resource.owner == principal };

            """
        let fromFile = JWTVerifyCommandTests.run([JWTVerifyCommandTests.gatehouse, "cedar", "format", policyFile.path])
        #expect(fromFile.status == 0 && fromFile.out == laidOut && fromFile.err.isEmpty)
        let fromInput = JWTVerifyCommandTests.run([JWTVerifyCommandTests.gatehouse, "cedar", "format"], stdin: text)
        #expect(fromInput.status == 0 && fromInput.out == laidOut)
        try Data("permit(principal, action, resource)\nwhen { 1 < };".utf8).write(to: policyFile)
        let refused = JWTVerifyCommandTests.run([JWTVerifyCommandTests.gatehouse, "cedar", "format", policyFile.path])
        #expect(refused.status == 1 && refused.out.isEmpty && refused.err.hasSuffix("policies.cedar:2:12: expected an expression\n"))
        #expect(JWTVerifyCommandTests.run([JWTVerifyCommandTests.gatehouse, "cedar", "format", "a", "b"]).status == 2)
    }
}
