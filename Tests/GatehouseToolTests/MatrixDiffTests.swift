import Foundation
import GatehouseTesting
import Glibc
import Testing

/// `gatehouse matrix --diff REV` in a git repository of its own (this tree's template, identities and apps, every
/// app's policy files copied): a policy change prints exactly the cells it flips, and no change prints none.
@Suite struct MatrixDiffTests {
    static func git(_ arguments: [String], in folder: String) -> Int32 {
        JWTVerifyCommandTests.run(["/usr/bin/env", "git", "-C", folder, "-c", "user.name=Gatehouse", "-c",
                                   "user.email=gatehouse@example.com"] + arguments).status
    }

    @Test func aPolicyChangePrintsTheCellsItFlips() throws {
        var template = Array("/tmp/gatehouse-diff-XXXXXX".utf8CString)
        let folder = String(cString: mkdtemp(&template)!)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let files = FileManager.default
        // Each app's sources linked, its policy files copied (git keeps a link as a link, and the diff reads files).
        for app in try files.contentsOfDirectory(atPath: Repository.path("Apps")) {
            try files.createDirectory(atPath: folder + "/Apps/" + app, withIntermediateDirectories: true)
            for entry in try files.contentsOfDirectory(atPath: Repository.path("Apps/" + app)) {
                if entry == "policies" {
                    try files.copyItem(atPath: Repository.path("Apps/\(app)/policies"), toPath: folder + "/Apps/\(app)/policies")
                } else {
                    symlink(Repository.path("Apps/\(app)/\(entry)"), folder + "/Apps/\(app)/\(entry)")
                }
            }
        }
        try files.copyItem(atPath: Repository.path("dev"), toPath: folder + "/dev")
        try files.copyItem(atPath: Repository.path("template.json"), toPath: folder + "/template.json")
        #expect(Self.git(["init", "-q"], in: folder) == 0)
        #expect(Self.git(["add", "-A"], in: folder) == 0 && Self.git(["commit", "-q", "-m", "policies"], in: folder) == 0)
        func diff() -> (status: Int32, out: String) {
            let result = JWTVerifyCommandTests.run([JWTVerifyCommandTests.gatehouse, "matrix", "--diff", "HEAD",
                                                    "--template", folder + "/template.json"],
                                                   environment: ["GATEHOUSE_IDENTITIES": folder + "/dev/identities.json"])
            return (result.status, result.out)
        }
        #expect(diff() == (0, "no cell changes against HEAD\n"))
        // Viewers no longer see lists: carol's cell flips, and nothing else does.
        let policies = folder + "/Apps/WishList/policies/lists.cedar"
        let text = try String(contentsOfFile: policies, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "resource.viewers.contains(principal.email)",
                                           with: "resource.viewers.contains(principal.email) && false").utf8)
            .write(to: URL(fileURLWithPath: policies))
        #expect(diff() == (0, "GET /lists/{id} × carol@example.com: 200 handler (viewers) → 403 policy\n"))
    }
}
