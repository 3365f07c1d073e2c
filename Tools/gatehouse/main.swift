import Glibc

// The `gatehouse` command. Exit status: 0 success, 1 a refused input (such as an invalid token), 2 bad usage.

/// Each command's words and its usage line.
let commands: [(words: [String], usage: String)] = [
    (["jwt", "verify"], "gatehouse jwt verify --jwks FILE --issuer ISS --audience AUD [--scope S]... [--leeway SECONDS] TOKEN|-"),
    (["invoke"], "gatehouse invoke APP --event FILE [--timeout SECONDS]"),
    (["serve"], "gatehouse serve [--port N] [--template template.json] [--watch] [--allow-host NAME]..."),
    (["token"], "gatehouse token --client ID --secret S [--audience A] [--port N]\n"
        + "       gatehouse token --user EMAIL --password P [--port N]"),
    (["routes"], "gatehouse routes [--template template.json]"),
    (["check"], "gatehouse check [--template template.json] [--manifest]"),
    (["new"], "gatehouse new NAME [--authorizer jwt|token|request|none] [--scope SCOPE] [--policy]"),
    (["openapi"], "gatehouse openapi [--template template.json]"),
    (["matrix"], "gatehouse matrix [--port N] [--template template.json] [--diff REV]"),
    (["cedar", "authorize"], "gatehouse cedar authorize --policies FILE --entities FILE [--schema FILE] --requests FILE [--timing]"),
    (["cedar", "validate"], "gatehouse cedar validate --policies FILE --schema FILE"),
    (["cedar", "format"], "gatehouse cedar format [FILE]"),
    (["sync-policies"], "gatehouse sync-policies [--template template.json]"),
    (["users"], "gatehouse users add EMAIL --password P [--name N] [--tenant T] [--permissions \"A B\"]\n"
        + "       gatehouse users set-permissions EMAIL \"A B\"\n       gatehouse users remove EMAIL"),
]

/// Every command's usage.
let usage = "usage: " + commands.map(\.usage).joined(separator: "\n       ")

/// The usage of the command named by `words`.
func usage(of words: String...) -> String {
    "usage: " + (commands.first { $0.words == words }?.usage ?? usage)
}

var arguments = Array(CommandLine.arguments.dropFirst())
let command = commands.first { Array(arguments.prefix($0.words.count)) == $0.words }
let asksForHelp = arguments.first == "help" || arguments.contains("--help") || arguments.contains("-h")
let status: Int32
if asksForHelp {
    // `gatehouse help [COMMAND]` as well as `--help` anywhere.
    let named = arguments.first == "help" ? commands.first { Array(arguments.dropFirst().prefix($0.words.count)) == $0.words } : command
    writeLine(named.map { "usage: " + $0.usage } ?? usage, to: .standard)
    status = 0
} else {
    let rest = Array(arguments.dropFirst(command?.words.count ?? 0))
    switch command?.words.first {
    case "jwt": status = JWTVerifyCommand.run(rest)
    case "serve": status = await ServeCommand.run(rest)
    case "routes": status = await RoutesCommand.run(rest)
    case "check": status = await CheckCommand.run(rest)
    case "new": status = await NewCommand.run(rest)
    case "openapi": status = await OpenAPICommand.run(rest)
    case "matrix": status = await MatrixCommand.run(rest)
    case "token": status = await TokenCommand.run(rest)
    case "invoke": status = await InvokeCommand.run(rest)
    case "users": status = await UsersCommand.run(rest)
    case "sync-policies": status = SyncPoliciesCommand.run(rest)
    case "cedar":
        switch command?.words.last {
        case "validate": status = CedarCommand.validate(rest)
        case "format": status = CedarCommand.format(rest)
        default: status = CedarCommand.authorize(rest)
        }
    default:
        if let word = arguments.first {
            let suggestion = nearestCommand(to: word).map { "; did you mean \($0)?" } ?? ""
            writeLine("gatehouse: unknown command \(word.prefix(40))\(suggestion)", to: .error)
        }
        writeLine(usage, to: .error)
        status = 2
    }
}
exit(status)

/// The command word closest to `word` (at most two edits away), for a mistyped command.
func nearestCommand(to word: String) -> String? {
    /// Edits between `a` and `b`: insertions, deletions, substitutions and swaps of neighbours ("nwe" is one from "new").
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
    let candidates = Set(commands.map { $0.words[0] }).map { ($0, distance(Array(word), Array($0))) }
    return candidates.filter { $0.1 <= 2 }.min { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }?.0
}
