import Glibc
import Transport

/// The apps of a project, found by their folders: `Apps/<Folder>/Sources/<executable>/main.swift` (`gatehouse check
/// --manifest` holds them against Package.swift's lines).
public enum AppFolders {
    /// Folder → its executables, under `root`.
    public static func executables(in root: String) -> [String: [String]] {
        var found: [String: [String]] = [:]
        for folder in DirectoryEntries.names(in: root + "/Apps") {
            for target in DirectoryEntries.names(in: root + "/Apps/" + folder + "/Sources")
            where access(root + "/Apps/" + folder + "/Sources/" + target + "/main.swift", F_OK) == 0 {
                found[folder, default: []].append(target)
            }
        }
        return found
    }
}
