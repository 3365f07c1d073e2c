import Glibc

// The `gatehouse` command. Exit status: 0 success, 1 a refused input (such as an invalid token), 2 bad usage.

/// Each command's words, its usage line, and what `--help` says besides: what it does, its defaults, what it reads
/// and which files it writes.
let commands: [(words: [String], usage: String, about: String)] = [
    (["jwt", "verify"], "gatehouse jwt verify --jwks FILE --issuer ISS --audience AUD [--scope S]... [--leeway SECONDS] TOKEN|-",
     """
     Verifies a JWT (RS/PS/ES/EdDSA/HS) against a JWKS file: exit 0 and its claims as JSON when valid, exit 1 and
     `invalid: REASON` when not. `-` reads the token from stdin. Leeway 0 s by default. Writes nothing.
     """),
    (["invoke"], "gatehouse invoke APP --event FILE [--timeout SECONDS]",
     """
     Runs one built app's executable on one event under a local Runtime API, as Lambda would, and prints its response
     JSON (its own log lines go to stderr). Timeout 10 s by default; data under $GATEHOUSE_DATA (.gatehouse/).
     """),
    (["serve"], "gatehouse serve [--port N] [--template template.json] [--watch] [--allow-host NAME]...",
     """
     The local stack: API Gateway (HTTP and REST APIs, every authorizer), the functions as real processes, the dev
     identity provider and Cognito pool, tables, Verified Permissions, the console at /. Port 3000, template.json
     and data under $GATEHOUSE_DATA (.gatehouse/) by default. --watch rebuilds and reloads on changes under Apps/,
     Packages/, to template.json and dev/identities.json.
     """),
    (["token"], "gatehouse token --client ID --secret S [--audience A] [--port N]\n"
        + "       gatehouse token --user EMAIL --password P [--port N]",
     """
     An access token from the running stack's identity provider (port 3000 by default): a client's (client
     credentials) or a dev user's (password grant, scope = the user's permissions), for JWT and Lambda-authorized routes.
     """),
    (["routes"], "gatehouse routes [--template template.json]",
     """
     Each route of the template: its API, the authorizer API Gateway runs, what the handler requires and the
     function, read from template.json and the built apps' --describe. Writes nothing.
     """),
    (["check"], "gatehouse check [--template template.json] [--manifest] [--docs]",
     """
     Holds the project together: Package.swift's app lines against the apps' imports (--manifest: only that,
     nothing built needed), the template against the handlers' routes, scopes and tables, and the policies against
     their schema; --docs: only the Swift samples of README.md, docs/ and the apps' READMEs, type-checked against the
     debug build (a block after <!-- excerpt: PATH --> must be in PATH as written). One line per finding; exit 1 when
     one is an error. Writes nothing.
     """),
    (["new"], "gatehouse new NAME [--authorizer jwt|token|request|none] [--scope SCOPE] [--route \"METHOD PATH\"]... [--table]\n"
        + "           [--grant EMAIL]...\n       gatehouse new NAME --policy",
     """
     A new app: writes Apps/<Name>/ (routes, function, tests, README), its line in Package.swift, its function and
     routes in template.json, SCOPE granted to dev-service (and each --grant user) in dev/identities.json and its rows
     in docs/authorization-matrix.md. --route (GET, POST or DELETE; repeatable) replaces the one GET /NAME; a
     {tenantId} in a path is checked against the caller's tenant. --table gives the app its own table (SQLite locally,
     DynamoDB on AWS) and a store the handlers list, read, create and delete items in. --policy makes one route
     decided by Cedar policies (policies/ and their Verified Permissions resources). Authorizer jwt and scope read:NAME
     by default. Run at the project's root; a refused name or route changes nothing.
     """),
    (["openapi"], "gatehouse openapi [--template template.json]",
     """
     The OpenAPI 3.1 document of every route on stdout, from template.json and the built apps' --describe (the stack
     serves the same at /openapi.json). Writes nothing.
     """),
    (["matrix"], "gatehouse matrix [--port N] [--template template.json] [--diff REV]",
     """
     Calls every route of the running stack (port 3000) as every dev identity and prints route × identity → status
     and the layer that decided; --diff REV shows what another revision's policies would change. Its calls are real:
     what they create (the scenario's lists) stays in the stack's data.
     """),
    (["cedar", "authorize"], "gatehouse cedar authorize --policies FILE --entities FILE [--schema FILE] --requests FILE [--timing]",
     "Cedar authorization: one JSON line per request, in order. Writes nothing."),
    (["cedar", "validate"], "gatehouse cedar validate --policies FILE --schema FILE",
     "Validates every policy against the schema in strict mode: one line per error, exit 1 when there is one."),
    (["cedar", "format"], "gatehouse cedar format [FILE]", "The policies of FILE (else stdin) in Cedar's canonical layout, on stdout."),
    (["sync-policies"], "gatehouse sync-policies [--template template.json]",
     "Writes template.json's Verified Permissions resources from the apps' policies/ files (check fails until they agree)."),
    (["users"], "gatehouse users add EMAIL --password P [--name N] [--tenant T] [--permissions \"A B\"]\n"
        + "       gatehouse users set-permissions EMAIL \"A B\"\n       gatehouse users remove EMAIL",
     """
     The auth app's users, in the local data under $GATEHOUSE_DATA (.gatehouse/) or the table GATEHOUSE_STORAGE and
     TABLE_NAME name. (The dev identity provider's users are dev/identities.json's.)
     """),
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
    writeLine(named.map { "usage: " + $0.usage + "\n\n" + $0.about } ?? usage, to: .standard)
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
            let suggestion = nearest(word, among: commands.map { $0.words[0] }).map { "; did you mean \($0)?" } ?? ""
            writeLine("gatehouse: unknown command \(word.prefix(40))\(suggestion)", to: .error)
        }
        writeLine(usage, to: .error)
        status = 2
    }
}
exit(status)
