import FoundationEssentials
import Glibc
import LocalStack
import Transport

/// The apps as Package.swift lists them — one `App("Name", executable: "name", imports: […], testImports: […])` line
/// each — held against the folders under `Apps/` and the modules their sources import. The build only knows an app
/// and its dependencies from its line, so a line that disagrees would fail to build, or build stale: each finding
/// prints the line to write.
struct AppManifest {
    /// One app's line.
    struct Entry: Equatable {
        var name: String
        var executable: String
        var imports: [String]
        var testImports: [String]

        /// The line as Package.swift holds it.
        var line: String {
            func list(_ names: [String]) -> String { "[" + names.map { "\"\($0)\"" }.joined(separator: ", ") + "]" }
            return "    App(\"\(name)\", executable: \"\(executable)\", imports: \(list(imports))"
                + (testImports.isEmpty ? "" : ", testImports: \(list(testImports))") + "),"
        }
    }

    /// The apps' lines, in order.
    let entries: [Entry]
    /// The framework modules an app may import (the keys of Package.swift's `appModules`).
    let modules: Set<String>

    /// The manifest `text` (Package.swift).
    init(text: String) {
        let app = #/App\("(\w+)",\s*executable:\s*"([\w-]+)",\s*imports:\s*\[([^\]]*)\](?:,\s*testImports:\s*\[([^\]]*)\])?\s*\)/#
        entries = text.matches(of: app).map { match in
            Entry(name: String(match.1), executable: String(match.2), imports: Self.names(in: match.3),
                  testImports: match.4.map(Self.names) ?? [])
        }
        let declared = text.firstRange(of: "let appModules").flatMap { start in text[start.upperBound...].firstRange(of: "= [") }
        let block = declared.map { text[$0.upperBound...].prefix { $0 != "]" } } ?? ""
        modules = Set(block.matches(of: #/"(\w+)"\s*:/#).map { String($0.1) })
    }

    private static func names(in list: Substring) -> [String] {
        list.matches(of: #/"(\w+)"/#).map { String($0.1) }
    }

    /// The line the app in `Apps/<folder>` with executable `executable` needs, read from its sources under `root`.
    func entry(folder: String, executable: String, root: String) -> Entry {
        let sources = root + "/Apps/" + folder + "/Sources/"
        return entry(name: folder, executable: executable,
                     library: Self.texts(in: sources + folder) + Self.texts(in: sources + executable),
                     tests: Self.texts(in: root + "/Apps/" + folder + "/Tests/" + folder + "Tests"))
    }

    /// The line of app `name` whose library and executable are the sources `library` and whose tests are `tests`: the
    /// framework modules (and other apps' libraries) the library imports, and those the tests import besides.
    func entry(name: String, executable: String, library: [String], tests: [String]) -> Entry {
        let importable = modules.union(entries.map(\.name)).subtracting([name])
        let libraryImports = Self.imports(in: library).intersection(importable).union(["HTTP"])
        let testImports = Self.imports(in: tests).intersection(importable).subtracting(libraryImports)
        return Entry(name: name, executable: executable, imports: libraryImports.sorted(), testImports: testImports.sorted())
    }

    /// Every disagreement between the lines and the apps under `root`, each with the line to write.
    func findings(root: String) -> [AccessCheck.Finding] {
        var findings: [AccessCheck.Finding] = []
        let folders = AppFolders.executables(in: root).filter { $0.key != "Shared" }
        for (folder, executables) in folders.sorted(by: { $0.key < $1.key }) {
            guard executables.count == 1, let executable = executables.first else {
                findings.append(.init(isError: true, text: "Apps/\(folder): an app has one executable folder with a main.swift, "
                                      + "this one has \(executables.count)"))
                continue
            }
            let needed = entry(folder: folder, executable: executable, root: root)
            guard let listed = entries.first(where: { $0.name == folder }) else {
                findings.append(.init(isError: true, text: "Package.swift: app \(folder) has no line in `apps`; add\n\(needed.line)"))
                continue
            }
            if listed.executable != executable {
                findings.append(.init(isError: true, text: "Package.swift: \(folder)'s executable is Sources/\(executable), "
                                      + "not \(listed.executable); write\n\(needed.line)"))
            } else if let difference = Self.difference(listed: listed, needed: needed) {
                findings.append(.init(isError: true, text: "Package.swift: \(folder) \(difference); write\n\(needed.line)"))
            }
        }
        for entry in entries where folders[entry.name] == nil {
            findings.append(.init(isError: true, text: "Package.swift: the line of \(entry.name) names no app "
                                  + "(Apps/\(entry.name)/Sources/\(entry.executable)/main.swift); remove it"))
        }
        return findings
    }

    /// What differs between a line and the imports, in words; nil when nothing does.
    private static func difference(listed: Entry, needed: Entry) -> String? {
        func words(_ kind: String, _ listed: [String], _ needed: [String]) -> [String] {
            let missing = Set(needed).subtracting(listed).sorted(), extra = Set(listed).subtracting(needed).sorted()
            return (missing.isEmpty ? [] : ["\(kind) \(missing.joined(separator: ", ")) but its line does not name it"])
                + (extra.isEmpty ? [] : ["names \(extra.joined(separator: ", ")), which \(kind == "imports" ? "its library" : "its tests") "
                                         + "never import"])
        }
        let all = words("imports", listed.imports, needed.imports) + words("tests import", listed.testImports, needed.testImports)
        return all.isEmpty ? nil : all.joined(separator: "; ")
    }

    /// The texts of the `.swift` files in `folder`.
    private static func texts(in folder: String) -> [String] {
        DirectoryEntries.names(in: folder).filter { $0.hasSuffix(".swift") }
            .compactMap { try? String(contentsOfFile: folder + "/" + $0, encoding: .utf8) }
    }

    /// The modules Swift `sources` import (`import X`, `public import X`, `@testable import X`, `import struct X.Y`).
    static func imports(in sources: [String]) -> Set<String> {
        let modifiers: Set<Substring> = ["public", "package", "internal", "private", "fileprivate", "@preconcurrency",
                                         "@testable", "@_exported"]
        let kinds: Set<Substring> = ["struct", "class", "enum", "protocol", "typealias", "func", "var", "let"]
        var found: Set<String> = []
        for line in sources.flatMap({ $0.split(separator: "\n") }) {
            var words = line.split(separator: " ").drop { modifiers.contains($0) }
            guard words.first == "import" else { continue }
            words = words.dropFirst().drop { kinds.contains($0) }
            if let module = words.first?.split(separator: ".").first { found.insert(String(module)) }
        }
        return found
    }

    /// `text` with `entry`'s line added at the end of `apps`; nil when the list is not found.
    static func adding(_ entry: Entry, to text: String) -> String? {
        guard let list = text.firstRange(of: "let apps: [App] = [\n"),
              let end = text[list.upperBound...].firstRange(of: "\n]\n")
        else { return nil }
        return String(text[..<end.lowerBound]) + "\n" + entry.line + String(text[end.lowerBound...])
    }
}
