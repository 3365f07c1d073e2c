import FoundationEssentials
import GatehouseTesting
import JSON
import Testing
@testable import Cedar

/// The paper's three apps at three sizes, 4,500 requests: every decision, reason and error agrees with Rust's Cedar
/// (`cedarpy`, PyPI: the `cedar-policy` 4 crate) run on the same files.
@Suite struct CedarOOPSLATests {
    static let python = PythonPeer.find(module: "cedarpy")
    static let folder = Repository.path("Packages/Policy/Tests/CedarTests/OOPSLA")

    /// Rust's answers: one JSON line per request, `{"decision","reasons","errors"}`.
    static let rust = #"""
        import cedarpy, json, sys
        folder, app, size = sys.argv[1:4]
        schema = open(f"{folder}/{app}.cedarschema.json").read()
        policies = cedarpy.PolicySet.from_str(open(f"{folder}/{app}.cedar").read())
        entities = cedarpy.Entities.from_json_str(open(f"{folder}/{app}-{size}.entities.json").read(), schema)
        requests = [json.loads(line) for line in open(f"{folder}/{app}-{size}.requests.jsonl")]
        for result in cedarpy.is_authorized_batch(requests, policies, entities, schema):
            print(json.dumps({"decision": "allow" if result.decision == cedarpy.Decision.Allow else "deny",
                              "reasons": sorted(result.diagnostics.reasons),
                              "errors": sorted(str(e.get("policy_id", e)) if isinstance(e, dict) else str(e)
                                               for e in result.diagnostics.errors)}))
        """#

    static func contents(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)))
    }

    @Test(.enabled(if: python != nil, Comment(rawValue: PythonPeer.skipReason(module: "cedarpy"))),
          arguments: ["gdrive", "github", "tinytodo"], [5, 20, 50])
    func everyAnswerAgreesWithRustsCedar(app: String, size: Int) throws {
        let schema = try CedarSchema(json: try Self.contents("\(app).cedarschema.json"))
        let policies = try CedarPolicySet(text: String(decoding: try Self.contents("\(app).cedar"), as: UTF8.self))
        let entities = try CedarJSON.entities(try Self.contents("\(app)-\(size).entities.json"), schema: schema)
        let lines = try Self.contents("\(app)-\(size).requests.jsonl").split(separator: UInt8(ascii: "\n"))
        let rust = try PythonPeer.output(Self.python!, script: Self.rust, arguments: [Self.folder, app, String(size)])
            .split(separator: "\n")
        #expect(lines.count == 500 && rust.count == 500)
        var disagreements = 0
        for (line, expected) in zip(lines, rust) {
            let response = policies.authorize(try CedarJSON.request(Array(line), schema: schema), entities: entities)
            let mine = JSONValue.object([
                "decision": .string(response.allowed ? "allow" : "deny"),
                "reasons": .array(response.reasons.sorted().map { JSONValue.string($0) }),
                "errors": .array(response.errors.map { $0.id }.sorted().map { JSONValue.string($0) }),
            ])
            let theirs = try JSONValue.object(parsing: Array(expected.utf8))
            if .object(theirs) != mine {
                disagreements += 1
                if disagreements <= 5 { Issue.record("\(app)-\(size): Rust \(expected), here \(mine.jsonText)") }
            }
        }
        #expect(disagreements == 0)
    }
}
