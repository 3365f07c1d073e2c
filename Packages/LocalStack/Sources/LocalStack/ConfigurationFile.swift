import FoundationEssentials
import Glibc

/// The bytes of a file the stack is configured by (the template, `dev/identities.json`). A missing or unreadable one
/// is one line naming it and where a relative path was looked for, not Foundation's error dump.
func configurationFile(_ path: String) throws -> Data {
    do {
        return try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
        let reason = access(path, F_OK) == 0 ? "cannot be read" : "does not exist"
        let place = path.hasPrefix("/") ? "" : " (looked for in \(currentDirectory())): run gatehouse from the project's root)"
        throw ServeError("\(path) \(reason)\(place)")
    }
}
