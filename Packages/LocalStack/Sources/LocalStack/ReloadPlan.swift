/// What a reload must do, read from the changed paths and the compiler's output.
enum ReloadPlan {
    /// The app executables to rebuild for `changed` (paths relative to `root`): those of `Apps/<Folder>/` for a file
    /// there; every app for a framework package (`Packages/`) or the apps' shared code (`Apps/Shared/`).
    static func apps(affectedBy changed: Set<String>, in root: String) -> [String] {
        let all = AppFolders.executables(in: root)
        var affected: Set<String> = []
        for path in changed {
            let parts = path.split(separator: "/")
            guard parts.count >= 2 else { continue }
            if parts[0] == "Packages" || (parts[0] == "Apps" && parts[1] == "Shared") {
                affected.formUnion(all.values.flatMap { $0 })
            } else if parts[0] == "Apps" {
                affected.formUnion(all[String(parts[1])] ?? [])
            }
        }
        return affected.sorted()
    }

    /// The compiler's first error as `file:line: error: message`, the file relative to `root` when under it; else
    /// SwiftPM's own first error (no such product…), but not its "command failed" line that precedes diagnostics.
    static func firstError(in lines: [String], root: String) -> String? {
        for line in lines {
            guard let marker = line.firstRange(of: ": error: ") else { continue }
            let location = line[..<marker.lowerBound].split(separator: ":")
            guard location.count >= 2, let lineNumber = Int(location[1]) else { continue }
            var file = String(location[0])
            if file.hasPrefix(root + "/") { file.removeFirst(root.count + 1) }
            return "\(file):\(lineNumber): error: \(line[marker.upperBound...].prefix(300))"
        }
        return lines.first { $0.hasPrefix("error: ") && !$0.contains("command failed") }.map { String($0.prefix(300)) }
    }
}
