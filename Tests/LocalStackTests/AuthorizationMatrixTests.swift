import Foundation
import GatehouseTesting
import LocalStack
import Testing

/// docs/authorization-matrix.md is the decided access of every route for every dev identity; a fresh stack must
/// answer exactly that, twice in a row (the matrix's own calls change nothing it reads).
@Suite(.serialized) struct AuthorizationMatrixTests {
    /// The table between the document's markers.
    static func decidedTable() throws -> [String] {
        let text = try String(contentsOfFile: Repository.path("docs/authorization-matrix.md"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let begin = lines.firstIndex(of: "<!-- matrix:begin -->"), let end = lines.firstIndex(of: "<!-- matrix:end -->")
        else { return [] }
        return Array(lines[(begin + 1)..<end])
    }

    /// The project's own decided matrix against the project's own dev data: a user's edit of dev/identities.json
    /// (a grant `gatehouse new` made, a user they added) shows in the matrix they regenerate, and here.
    @Test func theStackAnswersTheDecidedMatrix() async throws {
        let identities = Repository.path("dev/identities.json")
        let stack = try SeedFlowTests.Stack(environment: { _ in ["GATEHOUSE_IDENTITIES": identities] })
        stack.ready.wait()
        defer { stack.process.kill() }
        let decided = try Self.decidedTable()
        #expect(decided.count > 2)
        for run in 1...2 {
            let result = try await FunctionProcess.run(
                Repository.builtProducts + "/gatehouse",
                arguments: ["matrix", "--port", String(stack.port), "--template", Repository.path("template.json")],
                environment: ["GATEHOUSE_DATA": stack.data, "GATEHOUSE_IDENTITIES": identities], deadline: 300)
            #expect(result.exitCode == 0, "\(result.lines)")
            let differences = zip(result.lines, decided).filter { $0 != $1 }.map { "got      \($0)\ndecided  \($1)" }
            let report = "run \(run): the stack differs from docs/authorization-matrix.md\n"
                + differences.joined(separator: "\n") + "\n\(result.lines.count) lines, \(decided.count) decided"
            #expect(result.lines.count == decided.count && differences.isEmpty, Comment(rawValue: report))
        }
    }
}
