import Glibc

/// Finds a Python interpreter that can import a test peer: `$GATEHOUSE_PYTHON`, else the nearest `.venv`
/// above the working directory, else `python3` on the PATH.
public enum PythonPeer {
    /// The first interpreter that imports `module`; nil when none does.
    public static func find(module: String) -> String? {
        candidates().first { canImport(module, with: $0) }
    }

    /// Why a test needing `module` is skipped.
    public static func skipReason(module: String) -> String {
        "skipped: no Python with `\(module)` found (run `make test`, which installs it into .venv/)"
    }

    /// A Python peer that failed: it exited with an error, or hung past its deadline and was killed.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs `python` on `script` with `arguments`; its standard output. Throws, with one line saying so, when the
    /// script exits with an error or has not finished within `deadline` seconds (it is then killed). The output goes
    /// to a file the child alone opens: a pipe's write end could leak into a process another test spawns meanwhile,
    /// and reading to its end would then wait for that process instead of for Python.
    public static func output(_ python: String, script: String, arguments: [String] = [], deadline: Int = 300)
        throws(Failure) -> String
    {
        var template = Array("/tmp/gatehouse-python-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw Failure(description: "python: cannot make a file for its output") }
        close(fd)
        let path = String(cString: template)
        defer { unlink(path) }
        var pid = pid_t()
        let words: [String] = [python, "-c", script] + arguments
        let argv = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_TRUNC, 0)
        defer { posix_spawn_file_actions_destroy(&actions) }
        guard posix_spawn(&pid, python, &actions, nil, argv, environ) == 0 else {
            throw Failure(description: "\(python) could not be started")
        }
        let watch = ChildDeadline(pid: pid, seconds: deadline)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let what = "python script (\(script.split(separator: "\n").first { !$0.isEmpty }?.prefix(60) ?? ""))"
        if watch.reaped() { throw Failure(description: ChildDeadline.reason(what, seconds: deadline)) }
        guard status == 0 else { throw Failure(description: "\(what) failed (wait status \(status))") }
        guard let file = fopen(path, "r") else { throw Failure(description: "\(what): its output cannot be read") }
        defer { fclose(file) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count <= 0 { break }
            output += chunk[0..<count]
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func candidates() -> [String] {
        var found: [String] = []
        if let explicit = getenv("GATEHOUSE_PYTHON").map { String(cString: $0) } { found.append(explicit) }
        var buffer = [CChar](repeating: 0, count: 4096)
        var directory = getcwd(&buffer, buffer.count).map { String(cString: $0) } ?? "/"
        while !directory.isEmpty {
            found.append(directory + "/.venv/bin/python")
            guard let slash = directory.lastIndex(of: "/") else { break }
            directory = String(directory[..<slash])
        }
        found.append("/usr/bin/python3")
        found.append("/usr/local/bin/python3")
        return found.filter { access($0, X_OK) == 0 }
    }

    private static func canImport(_ module: String, with python: String) -> Bool {
        var pid = pid_t()
        let words: [String] = [python, "-c", "import \(module)"]
        let argv = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        defer { posix_spawn_file_actions_destroy(&actions) }
        guard posix_spawn(&pid, python, &actions, nil, argv, environ) == 0 else { return false }
        let watch = ChildDeadline(pid: pid, seconds: 60)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return !watch.reaped() && status == 0
    }
}
