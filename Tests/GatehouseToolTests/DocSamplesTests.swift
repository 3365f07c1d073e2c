import Foundation
import GatehouseTesting
import Testing

/// `gatehouse check --docs`: every Swift sample of the documentation type-checks against the built modules, and an
/// excerpt is in its file as written — a sample that drifts from the API fails `make lint`.
@Suite struct DocSamplesTests {
    @Test func aSampleThatDoesNotCompileOrAnExcerptThatDriftedIsFound() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("doc-samples-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/docs", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("let answer = 42\nlet question = \"six by nine\"\n".utf8).write(to: URL(fileURLWithPath: folder + "/code.swift"))
        let readme = """
            # A project
            ```swift
            import HTTP
            var router = Router()
            router.get("/ok", requires: .public) { _, _ in ["ok": true] }
            ```
            <!-- excerpt: code.swift -->
            ```swift
            let answer = 42
            ```
            """
        let docs = """
            Text.
            ```swift
            import HTTP
            let router = Router(notAnArgument: 1)
            ```
            <!-- excerpt: code.swift -->
            ```swift
            let answer = 43
            ```
            ```sh
            not swift at all
            ```
            """
        try Data(readme.utf8).write(to: URL(fileURLWithPath: folder + "/README.md"))
        try Data(docs.utf8).write(to: URL(fileURLWithPath: folder + "/docs/guide.md"))
        let result = JWTVerifyCommandTests.run([JWTVerifyCommandTests.gatehouse, "check", "--docs"], directory: folder)
        let lines = result.out.split(separator: "\n").map(String.init)
        #expect(result.status == 1 && lines.count == 2, "\(result.out)")
        #expect(lines.contains { $0.hasPrefix("error: docs/guide.md:4: does not compile: ") })
        #expect(lines.contains("error: docs/guide.md:8: the excerpt is not in code.swift as written"))
    }

    /// The project's own documentation holds.
    @Test func theProjectsSamplesCompile() {
        let result = JWTVerifyCommandTests.run([JWTVerifyCommandTests.gatehouse, "check", "--docs"], directory: Repository.root)
        #expect(result.status == 0 && result.out.isEmpty, "\(result.out)")
    }
}
