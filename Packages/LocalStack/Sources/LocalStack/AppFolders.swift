import Glibc

/// The apps of a project, found as Package.swift and the Makefile find them: `Apps/<Folder>/Sources/<executable>/
/// main.swift`.
public enum AppFolders {
    /// Folder → its executables, under `root`.
    public static func executables(in root: String) -> [String: [String]] {
        var found: [String: [String]] = [:]
        for folder in entries(of: root + "/Apps") {
            for target in entries(of: root + "/Apps/" + folder + "/Sources")
            where access(root + "/Apps/" + folder + "/Sources/" + target + "/main.swift", F_OK) == 0 {
                found[folder, default: []].append(target)
            }
        }
        return found
    }

    private static func entries(of folder: String) -> [String] {
        guard let directory = opendir(folder) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if !name.hasPrefix(".") { names.append(name) }
        }
        return names
    }
}
