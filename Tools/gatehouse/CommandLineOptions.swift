import Glibc

/// `--name value` options (repeatable) and positional arguments.
struct CommandLineOptions {
    struct UsageError: Error {
        let message: String
    }

    private(set) var values: [String: [String]] = [:]
    private(set) var positional: [String] = []
    /// The `flags` given (options without a value).
    private(set) var setFlags: Set<String> = []

    /// Parses `arguments`, accepting only the option names in `known` (each with a value) and in `flags` (without).
    init(_ arguments: [String], known: Set<String>, flags: Set<String> = []) throws(UsageError) {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument.hasPrefix("--"), flags.contains(String(argument.dropFirst(2))) {
                setFlags.insert(String(argument.dropFirst(2)))
                index += 1
            } else if argument.hasPrefix("--") {
                let name = String(argument.dropFirst(2))
                guard known.contains(name) else {
                    let suggestion = nearest(name, among: Array(known.union(flags))).map { "; did you mean --\($0)?" } ?? ""
                    throw UsageError(message: "unknown option --\(name.prefix(40))\(suggestion)")
                }
                guard index + 1 < arguments.count else { throw UsageError(message: "--\(name) needs a value") }
                values[name, default: []].append(arguments[index + 1])
                index += 2
            } else {
                positional.append(argument)
                index += 1
            }
        }
    }

    /// The single value of a required option.
    /// The `--template` of a command taking nothing else (default `template.json`), or nil after writing
    /// `command`'s usage error.
    static func templatePath(_ arguments: [String], command: String) -> String? {
        do throws(UsageError) {
            let options = try CommandLineOptions(arguments, known: ["template"])
            guard options.positional.isEmpty else { throw UsageError(message: "unexpected arguments") }
            return options.values["template"]?.last ?? "template.json"
        } catch {
            writeLine("gatehouse \(command): \(error.message)\n\(usage(of: command))", to: .error)
            return nil
        }
    }

    func required(_ name: String) throws(UsageError) -> String {
        guard let value = values[name]?.last else { throw UsageError(message: "--\(name) is required") }
        return value
    }
}

/// Standard output and standard error, as descriptors.
enum Output: Int32 {
    case standard = 1
    case error = 2
}

/// Writes `text` and a newline.
func writeLine(_ text: String, to output: Output) {
    writeText(text + "\n", to: output)
}

/// Writes `text` as it is.
func writeText(_ text: String, to output: Output) {
    var text = text
    text.withUTF8 { bytes in
        var offset = 0
        while offset < bytes.count {
            let written = write(output.rawValue, bytes.baseAddress! + offset, bytes.count - offset)
            if written <= 0 { return }
            offset += written
        }
    }
}

/// The whole content of a file or, for `-`, of standard input.
func readAll(_ path: String) -> [UInt8]? {
    let fd = path == "-" ? 0 : open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { if fd != 0 { close(fd) } }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
        let count = read(fd, &chunk, chunk.count)
        if count < 0 && errno == EINTR { continue }
        guard count >= 0 else { return nil }
        if count == 0 { return bytes }
        bytes += chunk[0..<count]
    }
}

/// The one of `candidates` closest to `word`, at most two edits away (insertions, deletions, substitutions and swaps
/// of neighbours: "nwe" is one from "new", "scop" one from "scope"); nil when none is that close.
func nearest(_ word: String, among candidates: [String]) -> String? {
    func distance(_ a: [Character], _ b: [Character]) -> Int {
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in stride(from: 1, through: a.count, by: 1) {
            for j in stride(from: 1, through: b.count, by: 1) {
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
    guard word.count <= 40 else { return nil }
    let scored = Set(candidates).map { ($0, distance(Array(word), Array($0))) }
    return scored.filter { $0.1 <= 2 }.min { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }?.0
}
