import FoundationEssentials
import GatehouseTesting
import JSON
import Testing
@testable import Cedar

/// `CedarFormatter` lays policies out byte for byte as Rust's `cedar format`: over the formatter's own test inputs
/// (comments everywhere), the corpus sample (`CEDAR_CORPUS_LIMIT`; `make conformance` formats all 7,809) and random
/// policies from `CedarGenerator`, compared with `cedarpy.format_policies`.
@Suite struct CedarFormatTests {
    static let inputs = Repository.path("Packages/Policy/Tests/CedarTests/Formatter")

    static let rust = #"""
        import cedarpy, json, sys
        for text in json.load(open(sys.argv[1])):
            try:
                print(json.dumps({"formatted": cedarpy.format_policies(text)}))
            except Exception as error:
                print(json.dumps({"failure": str(error)[:200]}))
        """#

    static func formatterInputs() throws -> [(name: String, text: String)] {
        let names = try FileManager.default.contentsOfDirectory(atPath: inputs).filter { $0.hasSuffix(".cedar") }.sorted()
        return try names.map { ($0, String(decoding: try Data(contentsOf: URL(fileURLWithPath: inputs + "/" + $0)), as: UTF8.self)) }
    }

    @Test(.enabled(if: CedarDifferentialTests.python != nil, Comment(rawValue: PythonPeer.skipReason(module: "cedarpy"))))
    func layoutIsRustsLayout() throws {
        var texts = try Self.formatterInputs().map { ("formatter test " + $0.name, $0.text) }
        for file in CedarCorpusTests.sampledCorpusFiles() {
            let path = CedarCorpusTests.corpus + "/" + file.dropLast(".json".count) + ".cedar"
            texts.append((file, String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)))
        }
        var generator = CedarGenerator(seed: 0xF0_4A7)
        for index in 0..<300 { texts.append(("generated case \(index)", generator.makeCase().policies)) }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cedar-format-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(JSONValue.array(texts.map { JSONValue.string($0.1) }).jsonBytes).write(to: file)
        let output = try PythonPeer.output(CedarDifferentialTests.python!, script: Self.rust, arguments: [file.path])
        let answers = output.split(separator: "\n")
        try #require(answers.count == texts.count)
        var agreed = 0, formattedByRust = 0
        for ((name, text), line) in zip(texts, answers) {
            let theirs = try JSONValue.object(parsing: Array(line.utf8))
            let ours = Result { () throws(CedarFormatter.Failure) in try CedarFormatter.format(text) }
            guard case .string(let formatted)? = theirs["formatted"] else {
                // Text Rust's formatter refuses is refused here too.
                #expect(throws: CedarFormatter.Failure.self, "\(name): Rust refused it, here it was formatted") { try ours.get() }
                agreed += 1
                continue
            }
            formattedByRust += 1
            if (try? ours.get()) == formatted {
                agreed += 1
            } else {
                Issue.record(Comment(rawValue: "\(name) is laid out differently:\n\(formatted)\n-- here:\n\((try? ours.get()) ?? "\(ours)")"))
            }
        }
        print("cedar format: \(agreed)/\(texts.count) policy texts laid out as Rust's (\(formattedByRust) formatted by it)")
        #expect(agreed == texts.count && formattedByRust > 300)
    }

    @Test func formattingKeepsEveryCommentAndIsStable() throws {
        for (name, text) in try Self.formatterInputs() {
            guard let formatted = try? CedarFormatter.format(text) else { continue }
            #expect(try CedarFormatter.format(formatted) == formatted, "\(name): formatting twice changes it")
            let comments = { (text: String) -> [String] in
                text.split(separator: "\n").compactMap { line in
                    line.firstRange(of: "//").map { String(line[$0.lowerBound...].reversed().drop(while: \.isWhitespace).reversed()) }
                }
            }
            let kept = comments(formatted)
            for comment in comments(text) where !comment.contains("\"") {
                #expect(kept.contains(comment), "\(name) lost \(comment)")
            }
        }
    }

    @Test func textThatDoesNotParseIsRefusedWithItsPosition() {
        #expect(throws: CedarFormatter.Failure(description: "2:11: expected ';'")) {
            try CedarFormatter.format("permit(principal, action, resource)\nwhen { 1 }")
        }
        #expect(throws: CedarFormatter.Failure.self) { try CedarFormatter.format("permit(principal, action);") }
    }

    @Test func layoutFitsEightyColumnsAndIndentsByTwo() throws {
        let text = "permit(principal in Group::\"admins\", action in [Action::\"read\", Action::\"write\"], resource)"
            + " when { resource.owner == principal && resource.tags.containsAll([\"a\", \"b\"]) || context.x > 1 };"
        #expect(try CedarFormatter.format(text) == """
            permit (
              principal in Group::"admins",
              action in [Action::"read", Action::"write"],
              resource
            )
            when
            {
              resource.owner == principal &&
              resource.tags.containsAll(["a", "b"]) ||
              context.x > 1
            };

            """)
    }
}
