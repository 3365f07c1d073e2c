import FoundationEssentials
import GatehouseTesting
import JSON
import Testing
@testable import Cedar

/// Random cases over the whole language (`CedarGenerator`) answered by this engine and by Rust's Cedar (`cedarpy`):
/// every decision, reason and erroring policy must agree. `CEDAR_DIFFERENTIAL_CASES` sets how many (300 by default,
/// three requests each); a disagreement prints its seed and case to replay.
@Suite struct CedarDifferentialTests {
    static let python = PythonPeer.find(module: "cedarpy")

    static let rust = #"""
        import cedarpy, json, re, sys
        def answer(request, policies, entities):
            try:
                result = cedarpy.is_authorized(json.loads(request), policies, entities)
                if result.decision == cedarpy.Decision.NoDecision:
                    return {"failure": " ".join(result.diagnostics.errors)[:200]}
                errors = sorted(set(m.group(1) for e in result.diagnostics.errors
                                    for m in [re.search(r"policy `([^`]*)`", str(e))] if m))
                return {"decision": "allow" if result.decision == cedarpy.Decision.Allow else "deny",
                        "reasons": sorted(result.diagnostics.reasons), "errors": errors}
            except Exception as error:
                return {"failure": str(error)[:200]}
        for case in json.load(open(sys.argv[1])):
            # Rust's JSON form of the policies, and Rust reading ours back as text (None where it cannot).
            try:
                rust_json = cedarpy.policies_to_json_str(case["policies"])
            except Exception:
                rust_json = None
            from_ours = None
            try:
                from_ours = cedarpy.policies_from_json_str(case["ours"]) if case["ours"] else None
            except Exception as error:
                from_ours = error
            print(json.dumps({"rustJSON": rust_json}))
            for request in case["requests"]:
                if isinstance(from_ours, Exception):
                    mine = {"failure": "Rust could not read our JSON: " + str(from_ours)[:200]}
                else:
                    mine = answer(request, from_ours, case["entities"]) if from_ours is not None else None
                print(json.dumps({**answer(request, case["policies"], case["entities"]), "viaOurJSON": mine}))
        """#

    @Test(.enabled(if: python != nil, Comment(rawValue: PythonPeer.skipReason(module: "cedarpy"))))
    func randomCasesAgreeWithRustsCedar() throws {
        let count = Int(ProcessInfo.processInfo.environment["CEDAR_DIFFERENTIAL_CASES"] ?? "") ?? 300
        let seed: UInt64 = 0x6A7E_4005_E000 &+ UInt64(count)
        var generator = CedarGenerator(seed: seed)
        let cases = (0..<count).map { _ in generator.makeCase() }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cedar-differential-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        let document = JSONValue.array(cases.map { (item: CedarGenerator.Case) -> JSONValue in
            let ours = (try? CedarPolicySet(text: item.policies)).map { JSONValue.string(String(decoding: $0.jsonBytes, as: UTF8.self)) }
            return JSONValue.object(["policies": .string(item.policies), "entities": .string(item.entities),
                                     "requests": .array(item.requests.map { JSONValue.string($0) }), "ours": ours ?? .null])
        })
        try Data(document.jsonBytes).write(to: file)
        let output = try PythonPeer.output(Self.python!, script: Self.rust, arguments: [file.path])
        var answers = output.split(separator: "\n").makeIterator()
        var compared = 0, disagreements = 0, refusedByBoth = 0
        var jsonChecked = 0
        for item in cases {
            // Text one engine refuses, the other must refuse too.
            let parsed = Result { try CedarPolicySet(text: item.policies) }
            let policies = try? parsed.get()
            let entities = try? CedarJSON.entities(Array(item.entities.utf8))
            guard let header = answers.next() else { Issue.record("Rust answered fewer cases"); return }
            // Rust's JSON form, read here, is the same policy set: the same JSON as ours.
            if let policies, case .string(let rustJSON)? = try JSONValue.object(parsing: Array(header.utf8))["rustJSON"] {
                let fromRust = try CedarPolicySet(json: Array(rustJSON.utf8))
                #expect(try CedarPolicySet(json: fromRust.jsonBytes).jsonBytes == fromRust.jsonBytes)
                #expect(fromRust.policies.count == policies.policies.count)
                jsonChecked += 1
            }
            for request in item.requests {
                guard let line = answers.next() else { Issue.record("Rust answered fewer requests"); return }
                var theirs = try JSONValue.object(parsing: Array(line.utf8))
                // Rust reading our JSON form must answer as Rust reading the text did.
                if let viaOurs = theirs.removeValue(forKey: "viaOurJSON"), viaOurs != .null {
                    #expect(viaOurs == .object(theirs), "Rust read our JSON form differently: \(item.policies)")
                }
                guard let policies, let entities, theirs["failure"] == nil else {
                    compared += 1
                    refusedByBoth += 1
                    if (policies == nil || entities == nil) != (theirs["failure"] != nil) {
                        disagreements += 1
                        let ours = (try? parsed.map { _ in "read" }.get()) ?? "refused: \(parsed)"
                        Issue.record(Comment(rawValue: "seed \(seed): one engine refused what the other read: Rust "
                            + "\(JSONValue.object(theirs).jsonText), here \(ours)\npolicies:\n\(item.policies)\nentities: \(item.entities)"))
                    }
                    continue
                }
                let response = policies.authorize(try CedarJSON.request(Array(request.utf8)), entities: entities)
                let mine: [String: JSONValue] = [
                    "decision": .string(response.allowed ? "allow" : "deny"),
                    "reasons": .array(response.reasons.sorted().map { JSONValue.string($0) }),
                    "errors": .array(Set(response.errors.map { $0.id }).sorted().map { JSONValue.string($0) }),
                ]
                compared += 1
                if mine != theirs {
                    disagreements += 1
                    if disagreements <= 3 {
                        let rustAnswer = JSONValue.object(theirs).jsonText, ours = JSONValue.object(mine).jsonText
                        Issue.record(Comment(rawValue: "seed \(seed): Rust \(rustAnswer), here \(ours)\npolicies:\n\(item.policies)"
                            + "\nentities: \(item.entities)\nrequest: \(request)"))
                    }
                }
            }
        }
        print("cedar differential: \(compared - disagreements)/\(compared) requests agree with Rust's Cedar "
            + "(\(refusedByBoth) of them refused by both); \(jsonChecked) policy sets exchanged in the JSON policy format")
        #expect(compared > count && disagreements == 0)
    }
}
