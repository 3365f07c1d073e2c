import Foundation
import Glibc
import LocalStack
import Transport

/// The Swift samples of the project's documentation (README.md, docs/*.md, Apps/*/README.md), held to the code: a
/// ```` ```swift ```` block is type-checked against the built modules as a file of its own, and a block marked
/// `<!-- excerpt: PATH -->` on the line before it must appear in PATH line for line (PATH is compiled with the
/// project, so the excerpt is too). A sample that drifts from the API fails `make lint`, not a reader.
struct DocSamples {
    /// One ```` ```swift ```` block: where it is, its text, and the file it is an excerpt of, if marked.
    struct Sample {
        let file: String
        let line: Int
        let text: String
        let excerptOf: String?
    }

    let root: String

    /// The documentation files under `root`.
    var documents: [String] {
        ["README.md"] + DocSamples.markdown(in: "docs", root: root)
            + DirectoryEntries.names(in: root + "/Apps").map { "Apps/\($0)/README.md" }.filter { access(root + "/" + $0, R_OK) == 0 }
    }

    private static func markdown(in folder: String, root: String) -> [String] {
        DirectoryEntries.names(in: root + "/" + folder).filter { $0.hasSuffix(".md") }.map { folder + "/" + $0 }
    }

    /// The Swift blocks of `text` (the document `file`).
    static func samples(in text: String, file: String) -> [Sample] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var samples: [Sample] = []
        var index = 0
        while index < lines.count {
            guard lines[index].trimmingCharacters(in: .whitespaces) == "```swift" else { index += 1; continue }
            let start = index + 1
            var end = start
            while end < lines.count, lines[end].trimmingCharacters(in: .whitespaces) != "```" { end += 1 }
            let marker = index > 0 ? lines[index - 1].firstMatch(of: #/<!-- excerpt: (\S+) -->/#).map { String($0.1) } : nil
            samples.append(Sample(file: file, line: start + 1, text: lines[start..<min(end, lines.count)].joined(separator: "\n"),
                                  excerptOf: marker))
            index = end + 1
        }
        return samples
    }

    /// Every sample that does not hold, one finding each: an excerpt not found in its file, a block that does not
    /// type-check (its first error, at the document's line).
    func findings() async -> [AccessCheck.Finding] {
        var findings: [AccessCheck.Finding] = []
        let scratch = NSTemporaryDirectory() + "gatehouse-doc-samples-\(getpid())"
        mkdir(scratch, 0o755)
        defer { _ = try? FileManager.default.removeItem(atPath: scratch) }
        for document in documents {
            guard let text = try? String(contentsOfFile: root + "/" + document, encoding: .utf8) else { continue }
            for (number, sample) in Self.samples(in: text, file: document).enumerated() {
                if let source = sample.excerptOf {
                    if !Self.contains(root + "/" + source, sample.text) {
                        findings.append(.init(isError: true, text: "\(document):\(sample.line): the excerpt is not in \(source) as written"))
                    }
                    continue
                }
                let file = scratch + "/sample\(number).swift"
                guard (try? Data(sample.text.utf8).write(to: URL(fileURLWithPath: file))) != nil else { continue }
                if let error = await typeCheck(file) {
                    findings.append(.init(isError: true, text: "\(document):\(sample.line - 1 + error.line): \(error.message)"))
                }
            }
        }
        return findings
    }

    /// Whether the file at `path` holds `excerpt`'s lines in a row, each compared without its leading spaces.
    static func contains(_ path: String, _ excerpt: String) -> Bool {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return false }
        func trimmed(_ text: String) -> [String] {
            text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0.drop { $0 == " " }) }
        }
        let lines = trimmed(text), wanted = trimmed(excerpt)
        guard !wanted.isEmpty, lines.count >= wanted.count else { return false }
        return (0...(lines.count - wanted.count)).contains { Array(lines[$0..<($0 + wanted.count)]) == wanted }
    }

    /// The repository this tool was built from (its C modules' maps are there): three folders above this file.
    private static let sources = #filePath.split(separator: "/").dropLast(3).reduce("") { $0 + "/" + $1 }

    /// The first error `swiftc -typecheck` reports for `file` against the modules built beside this tool (and the C
    /// modules' maps), with its line in `file`; nil when it type-checks.
    private func typeCheck(_ file: String) async -> (line: Int, message: String)? {
        let maps = ["Packages/OpenSSL/Sources/COpenSSL", "Packages/Storage/Sources/CSQLite"].flatMap { ["-I", Self.sources + "/" + $0] }
        let arguments = ["swiftc", "-typecheck", "-I", InvokeCommand.executableDirectory() + "/Modules"] + maps + [file]
        guard let result = try? await FunctionProcess.run("/usr/bin/env", arguments: arguments, deadline: 120) else {
            return (1, "swiftc could not be run")
        }
        guard result.exitCode != 0 else { return nil }
        for line in result.lines {
            guard line.hasPrefix(file + ":"), let marker = line.firstRange(of: ": error: ") else { continue }
            let number = line.dropFirst(file.count + 1).prefix { $0.isNumber }
            return (Int(number) ?? 1, "does not compile: " + line[marker.upperBound...].prefix(200))
        }
        return (1, "does not compile: " + (result.lines.first { $0.contains("error") } ?? "swiftc exited \(result.exitCode)").prefix(200))
    }
}
