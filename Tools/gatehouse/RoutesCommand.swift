import FoundationEssentials
import HTTP
import LocalStack
import Policy

/// `gatehouse routes [--template FILE]`: each route of the template, the authorizer API Gateway runs for it, and what
/// the handler itself requires — read from each app executable's `--describe`, so no app is linked into the tool.
enum RoutesCommand {
    static func run(_ arguments: [String]) async -> Int32 {
        guard let options = DescribedTemplate.options(arguments, known: ["template"], command: "routes"),
              let described = await DescribedTemplate.load(options, command: "routes") else { return 2 }
        let (template, descriptions) = (described.template, described.descriptions)
        var lines = [("ROUTE", "API", "AUTHORIZER", "HANDLER REQUIRES", "FUNCTION")]
        for route in template.routes.sorted(by: { ($0.path, $0.method) < ($1.path, $1.method) }) {
            let function = template.functions[route.function]?.app ?? route.function
            let authorizer: String = switch route.authorizer {
            case .none: "none"
            case .jwt: "JWT"
            case .token: "TOKEN (Lambda)"
            case .request: "REQUEST (Lambda)"
            case .iam: "AWS_IAM (SigV4)"
            case .cognito: "Cognito user pool"
            }
            let requires: String = switch descriptions[function] {
            case .routes(let routes)?:
                routes.first { $0.method == route.method && $0.path == route.path }.map { $0.requirement.map(describe) ?? "public" }
                    ?? "(no handler route)"
            case .authorizer?: "(an authorizer)"
            case nil: "(not built: swift build --product \(function))"
            }
            lines.append((route.name, route.api == .http ? "HTTP" : "REST", authorizer, requires, function))
        }
        let widths = [0, 1, 2, 3].map { column in lines.map { [$0.0, $0.1, $0.2, $0.3][column].count }.max() ?? 0 }
        for line in lines {
            let cells = [line.0, line.1, line.2, line.3]
            let padded = zip(cells, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }
            writeLine(padded.joined(separator: "  ") + "  " + line.4, to: .standard)
        }
        return 0
    }

    private static func describe(_ requirement: Requirement) -> String {
        switch requirement {
        case .authenticated: "authenticated"
        case .scope(let scope): "scope \(scope.name)"
        case .scopes(.allOf(let scopes)): "all of " + scopes.map(\.name).joined(separator: " ")
        case .scopes(.anyOf(let scopes)): "any of " + scopes.map(\.name).joined(separator: " ")
        }
    }
}
