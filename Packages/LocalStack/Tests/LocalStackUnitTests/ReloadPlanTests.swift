import FoundationEssentials
import GatehouseTesting
import Glibc
import Testing
@testable import LocalStack

/// What `serve --watch` reads from the file system and the compiler: which apps a change rebuilds, the changes the
/// kernel reports (inotify) for the ways editors save, and the compiler's first error.
@Suite struct ReloadPlanTests {
    /// A project with apps `A` (executable `a`) and `B` (`b`), a shared folder and a framework package.
    static func project() throws -> String {
        var template = Array("/tmp/gatehouse-reload-XXXXXX".utf8CString)
        let root = String(cString: mkdtemp(&template)!)
        for folder in ["Apps/A/Sources/A", "Apps/A/Sources/a", "Apps/B/Sources/B", "Apps/B/Sources/b",
                       "Apps/Shared/Sources/ExampleTokens", "Packages/HTTP/Sources/HTTP", "Packages/HTTP/.build/debug", "dev"] {
            try Self.makeFolder(root + "/" + folder)
        }
        for file in ["Apps/A/Sources/a/main.swift", "Apps/B/Sources/b/main.swift", "template.json", "dev/identities.json"] {
            try write("x", to: root + "/" + file)
        }
        return root
    }

    static func makeFolder(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `text` and closes the file before returning, so its events are queued when the test reads them.
    static func write(_ text: String, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        guard Glibc.write(descriptor, text, text.utf8.count) == text.utf8.count else { throw POSIXError(.EIO) }
    }

    @Test func aChangeRebuildsTheAppsItAffects() throws {
        let root = try Self.project()
        #expect(ReloadPlan.apps(affectedBy: ["Apps/A/Sources/A/Routes.swift"], in: root) == ["a"])
        #expect(ReloadPlan.apps(affectedBy: ["Apps/B/Sources/b/main.swift", "Apps/A/README.md"], in: root) == ["a", "b"])
        #expect(ReloadPlan.apps(affectedBy: ["Packages/HTTP/Sources/HTTP/Router.swift"], in: root) == ["a", "b"])
        #expect(ReloadPlan.apps(affectedBy: ["Apps/Shared/Sources/ExampleTokens/X.swift"], in: root) == ["a", "b"])
        #expect(ReloadPlan.apps(affectedBy: ["template.json", "dev/identities.json"], in: root).isEmpty)
    }

    @Test func theWatcherSeesEverySaveStyleAndNothingElse() throws {
        let root = try Self.project()
        let watcher = try SourceWatcher(root: root, recursive: ["Apps", "Packages"], files: ["template.json", "dev/identities.json"])
        try Self.write("let a = 1", to: root + "/Apps/A/Sources/A/Routes.swift")             // a new file
        try Self.write("{}", to: root + "/template.json.tmp")                                  // write, then rename over
        rename(root + "/template.json.tmp", root + "/template.json")
        try Self.write("{}", to: root + "/dev/identities.json")                                // rewritten in place
        try Self.write("x", to: root + "/Apps/A/Sources/A/.Routes.swift.swp")                  // an editor's swap file
        try Self.write("x", to: root + "/Packages/HTTP/.build/debug/Generated.swift")          // build output
        try Self.write("x", to: root + "/Apps/A/README.md")                                    // not a source
        try Self.write("x", to: root + "/notes.txt")                                           // outside the watched
        try Self.makeFolder(root + "/Apps/C/Sources/C")                            // a new app folder
        #expect(watcher.nextChanges(quietMilliseconds: 100)
                == ["Apps/A/Sources/A/Routes.swift", "template.json", "dev/identities.json", "Apps/C"])
        // The new folder is watched from now on; a removed app folder is a change too.
        try Self.write("let c = 1", to: root + "/Apps/C/Sources/C/C.swift")
        #expect(watcher.nextChanges(quietMilliseconds: 100) == ["Apps/C/Sources/C/C.swift"])
        try FileManager.default.removeItem(atPath: root + "/Apps/B")
        #expect(watcher.nextChanges(quietMilliseconds: 100).contains("Apps/B"))
    }

    @Test func theCompilersFirstErrorIsReportedWithItsFileAndLine() async throws {
        let root = try Self.project()
        let file = root + "/Apps/A/Sources/A/Broken.swift"
        try Self.write("let fine = 1\nlet broken = undefinedThing + 1\nlet also = alsoUndefined\n", to: file)
        let result = try await FunctionProcess.run("/usr/bin/env", arguments: ["swiftc", "-typecheck", file], deadline: 300)
        #expect(result.exitCode != 0)
        #expect(ReloadPlan.firstError(in: result.lines, root: root)
                == "Apps/A/Sources/A/Broken.swift:2: error: cannot find 'undefinedThing' in scope")
        #expect(ReloadPlan.firstError(in: ["Compiling", "Build complete!"], root: root) == nil)
        #expect(ReloadPlan.firstError(in: ["error: no product named 'c'"], root: root) == "error: no product named 'c'")
        // As `swift build` prints them: its own line first, then the diagnostic that says where.
        let build = ["error: emit-module command failed with exit code 1 (use -v to see invocation)"] + result.lines
        #expect(ReloadPlan.firstError(in: build, root: root)
                == "Apps/A/Sources/A/Broken.swift:2: error: cannot find 'undefinedThing' in scope")
    }
}
