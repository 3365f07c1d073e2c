import LocalStack
import Auth
import HTTP
import Policy
import Profile
import Storage
import WishList

/// `gatehouse routes [--template FILE]`: each route of the template, the authorizer API Gateway runs for it, and what
/// the handler itself requires (read from the app's own route table).
enum RoutesCommand {
    static func run(_ arguments: [String]) -> Int32 {
        let options: CommandLineOptions
        let template: LocalTemplate
        do {
            options = try CommandLineOptions(arguments, known: ["template"])
            template = try LocalTemplate(path: options.values["template"]?.last ?? "template.json", parameters: [:])
        } catch {
            writeLine("gatehouse routes: \(error)\n\(usage(of: "routes"))", to: .error)
            return 2
        }
        let known: [String: Router] = [
            "wish-list": WishListRoutes.application(store: WishListStore(table: MemoryTable(schema: WishListStore.schema))).router,
            "profile": ProfileRoutes.application().router,
        ]
        var routers = known
        // Only the route table is read; the key signs nothing, so a random one does.
        let throwawayKey = (0..<4).map { _ in String(UInt64.random(in: 0...UInt64.max), radix: 16) }.joined()
        if let issuer = try? TokenIssuer(secretKey: throwawayKey, audience: "https://api.gatehouse.dev") {
            routers["auth"] = AuthRoutes.application(users: UserStore(table: MemoryTable(schema: UserStore.schema)),
                                                     issuer: issuer).router
        }
        var lines = [("ROUTE", "API", "AUTHORIZER", "HANDLER REQUIRES", "FUNCTION")]
        for route in template.routes.sorted(by: { ($0.path, $0.method) < ($1.path, $1.method) }) {
            let function = template.functions[route.function]?.app ?? route.function
            let authorizer: String = switch route.authorizer {
            case .none: "none"
            case .jwt: "JWT"
            case .token: "TOKEN (Lambda)"
            case .request: "REQUEST (Lambda)"
            }
            let requirement = routers[function]?.routes.first { $0.method == route.method && $0.path == route.path }
            let requires = requirement.map { $0.requirement.map(describe) ?? "public" } ?? "(authorizer only)"
            lines.append(("\(route.method) \(route.path)", route.api == .http ? "HTTP" : "REST", authorizer, requires, function))
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
