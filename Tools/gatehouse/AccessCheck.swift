import JSON
import HTTP
import LocalStack

/// `gatehouse check`'s rules: the template and the handlers must agree on every route, every authorizer and every
/// table, because AWS enforces the template while the code states its intent (`requires:`). Each finding is one line.
struct AccessCheck {
    /// One disagreement. Errors fail the check; a warning is printed and does not.
    struct Finding: Equatable, Comparable {
        var isError: Bool
        var text: String

        static func < (a: Finding, b: Finding) -> Bool { a.isError != b.isError ? a.isError : a.text < b.text }
        var line: String { (isError ? "error: " : "warning: ") + text }
    }

    let template: LocalTemplate
    /// The template as JSON, for what the typed model does not keep (policies, environment references).
    let document: JSONValue
    let descriptions: [String: FunctionDescription]
    /// Every app executable under `Apps/`.
    let apps: [String]

    /// Every finding, errors first.
    func findings() -> [Finding] {
        (routeFindings() + unreachedRouteFindings() + authorizerFindings() + tableFindings()).sorted()
    }

    private func routeFindings() -> [Finding] {
        var findings: [Finding] = []
        for route in template.routes {
            let app = template.functions[route.function]?.app ?? route.function
            let place = "\(route.name) (\(route.function))"
            switch descriptions[app] {
            case nil:
                findings.append(Finding(isError: true, text: "\(place): app \(app) is not built (swift build --product \(app))"))
            case .authorizer?:
                findings.append(Finding(isError: true, text: "\(place): \(app) is an authorizer app, not a route handler"))
            case .routes(let handlers)?:
                guard let handler = handlers.first(where: route.isServed(by:)) else {
                    findings.append(Finding(isError: true, text: "\(place): no handler route of \(app) answers it (404 on AWS)"))
                    continue
                }
                let required = handler.requirement?.scopeNames ?? []
                switch (route.authorizer, handler.requirement) {
                case (.none, .some):
                    findings.append(Finding(isError: true, text: "\(place): the handler requires "
                        + "\(describe(handler.requirement)) but no authorizer runs (every call 401 on AWS)"))
                case (.jwt, nil), (.token, nil), (.request, nil), (.iam, nil), (.cognito, nil):
                    findings.append(Finding(isError: false, text: "\(place): the handler is public but an authorizer "
                        + "guards it (callers need a token the handler never reads)"))
                default: break
                }
                for scope in route.scopes where !required.contains(scope) {
                    findings.append(Finding(isError: true, text: "\(place): AuthorizationScopes lists \(scope), "
                        + "which the handler does not require"))
                }
            }
        }
        return findings
    }

    private func unreachedRouteFindings() -> [Finding] {
        var findings: [Finding] = []
        let deployed = Set(template.functions.values.map(\.app))
        for app in apps.sorted() where !deployed.contains(app) {
            findings.append(Finding(isError: true, text: "app \(app) has no function in the template"))
        }
        for (id, function) in template.functions {
            guard case .routes(let handlers)? = descriptions[function.app] else { continue }
            for handler in handlers where !template.routes.contains(where: { $0.function == id && $0.isServed(by: handler) }) {
                findings.append(Finding(isError: true, text: "\(handler.method) \(handler.path) (\(id)): "
                    + "no template event reaches this handler route"))
            }
        }
        return findings
    }

    private func authorizerFindings() -> [Finding] {
        var findings: [Finding] = []
        var seen: Set<String> = []
        for route in template.routes {
            let (function, kind): (String, FunctionDescription.AuthorizerKind)
            switch route.authorizer {
            case .token(let name, _, _): (function, kind) = (name, .token)
            case .request(let name, _, _): (function, kind) = (name, .request)
            case .none, .jwt, .iam, .cognito: continue
            }
            guard seen.insert(function).inserted else { continue }
            let app = template.functions[function]?.app ?? function
            switch descriptions[app] {
            case .authorizer(kind)?: continue
            case .authorizer(let other)?:
                findings.append(Finding(isError: true, text: "\(function): a \(kind.rawValue.uppercased()) authorizer's "
                    + "function, but \(app) is a \(other.rawValue.uppercased()) authorizer"))
            case .routes?, nil:
                findings.append(Finding(isError: true, text: "\(function): a Lambda authorizer's function, "
                    + "but \(app) is not an authorizer app"))
            }
        }
        return findings
    }

    /// A function's table policies and its table variables must name the same tables.
    private func tableFindings() -> [Finding] {
        guard let resources = document.objectValue?["Resources"]?.objectValue else { return [] }
        let tables = Set(resources.filter { $0.value.objectValue?["Type"]?.text == "AWS::DynamoDB::Table" }.keys)
        var findings: [Finding] = []
        for (id, resource) in resources where resource.objectValue?["Type"]?.text == "AWS::Serverless::Function" {
            let properties = resource.objectValue?["Properties"]?.objectValue ?? [:]
            var given: [String: String] = [:]  // table → variable
            for (variable, value) in properties["Environment"]?.objectValue?["Variables"]?.objectValue ?? [:] {
                if let table = value.objectValue?["Ref"]?.text, tables.contains(table) { given[table] = variable }
            }
            var granted: Set<String> = []
            if case .array(let policies)? = properties["Policies"] {
                for policy in policies {
                    for (name, body) in policy.objectValue ?? [:] where name.hasPrefix("DynamoDB") {
                        if let table = body.objectValue?["TableName"]?.objectValue?["Ref"]?.text { granted.insert(table) }
                    }
                }
            }
            for table in granted.subtracting(given.keys).sorted() {
                findings.append(Finding(isError: true, text: "\(id): its policy names table \(table), "
                    + "which no environment variable gives it"))
            }
            for (table, variable) in given.sorted(by: { $0.key < $1.key }) where !granted.contains(table) {
                findings.append(Finding(isError: true, text: "\(id): \(variable) names table \(table), "
                    + "but no policy grants access to it (AccessDeniedException on AWS)"))
            }
        }
        return findings
    }

    private func describe(_ requirement: Requirement?) -> String {
        let scopes = requirement?.scopeNames ?? []
        return scopes.isEmpty ? "an authenticated caller" : "scope " + scopes.joined(separator: ", ")
    }
}
