import FoundationEssentials
import HTTP

/// What the local stack needs from `template.json`: functions, their routes, the APIs' authorizers and each
/// function's environment, with `Ref`s resolved for a laptop.
struct LocalTemplate {
    enum APIKind { case http, rest }

    enum AuthorizerKind: Equatable {
        case none
        case jwt(audiences: [String])
        case token(function: String, header: String, ttl: Int)
        case request(function: String, headers: [String], ttl: Int)
    }

    struct Route {
        var method: String
        var path: String
        var api: APIKind
        var function: String
        var authorizer: AuthorizerKind
        /// `AuthorizationScopes` of a route behind a JWT authorizer: the token needs one of them.
        var scopes: [String] = []
    }

    struct Function {
        var logicalID: String
        var app: String
        var environment: [String: String]
        var timeoutSeconds: Int
    }

    var routes: [Route] = []
    var functions: [String: Function] = [:]

    /// Reads `path`; `parameters` gives the local value of each template parameter (others use their defaults).
    init(path: String, parameters: [String: String]) throws {
        let document = try JSONDecoder().decode(JSONAny.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        guard let resources = document.object?["Resources"]?.object else { throw ServeError("\(path) has no Resources") }
        var parameterValues = parameters
        for (name, definition) in document.object?["Parameters"]?.object ?? [:] where parameterValues[name] == nil {
            parameterValues[name] = definition.object?["Default"]?.text
        }
        let globalTimeout = document.object?["Globals"]?.object?["Function"]?.object?["Timeout"]?.text.flatMap { Int($0) } ?? 3

        func resolve(_ value: JSONAny) -> String? {
            if let text = value.text { return text }
            guard let object = value.object else { return nil }
            if let name = object["Ref"]?.text { return parameterValues[name] ?? name }
            if let pair = object["Fn::GetAtt"], case .array(let parts) = pair { return parts.first?.text }
            return nil
        }

        // Authorizers of each API.
        var authorizers: [String: [String: AuthorizerKind]] = [:]
        var defaults: [String: String] = [:]
        for (id, resource) in resources {
            let type = resource.object?["Type"]?.text
            guard type == "AWS::Serverless::HttpApi" || type == "AWS::Serverless::Api",
                  let auth = resource.object?["Properties"]?.object?["Auth"]?.object else { continue }
            defaults[id] = auth["DefaultAuthorizer"]?.text
            for (name, definition) in auth["Authorizers"]?.object ?? [:] {
                let properties = definition.object ?? [:]
                if let jwt = properties["JwtConfiguration"]?.object {
                    let audiences: [String] = if case .array(let list)? = jwt["audience"] { list.compactMap(resolve) } else { [] }
                    authorizers[id, default: [:]][name] = .jwt(audiences: audiences)
                } else if let function = properties["FunctionArn"].flatMap(resolve) {
                    let identity = properties["Identity"]?.object ?? [:]
                    let ttl = identity["ReauthorizeEvery"].flatMap(resolve).flatMap { Int($0) } ?? 300
                    // HTTP API Lambda authorizers always receive REQUEST events (payload 2.0 here).
                    if properties["FunctionPayloadType"]?.text == "REQUEST" || type == "AWS::Serverless::HttpApi" {
                        let headers: [String] = if case .array(let list)? = identity["Headers"] { list.compactMap(\.text) } else { [] }
                        authorizers[id, default: [:]][name] = .request(function: function, headers: headers, ttl: ttl)
                    } else {
                        authorizers[id, default: [:]][name] = .token(function: function, header: identity["Header"]?.text ?? "Authorization",
                                                                     ttl: ttl)
                    }
                }
            }
        }

        for (id, resource) in resources where resource.object?["Type"]?.text == "AWS::Serverless::Function" {
            let properties = resource.object?["Properties"]?.object ?? [:]
            guard case .object(let nameSpec)? = properties["FunctionName"], let sub = nameSpec["Fn::Sub"]?.text,
                  let app = sub.split(separator: "-", maxSplits: 1).last.map(String.init)
            else { continue }
            var environment: [String: String] = [:]
            for (name, value) in properties["Environment"]?.object?["Variables"]?.object ?? [:] {
                environment[name] = resolve(value)
            }
            let timeout = properties["Timeout"]?.text.flatMap { Int($0) } ?? globalTimeout
            functions[id] = Function(logicalID: id, app: app, environment: environment, timeoutSeconds: timeout)
            for (_, event) in properties["Events"]?.object ?? [:] {
                guard let eventType = event.object?["Type"]?.text, let eventProperties = event.object?["Properties"]?.object,
                      let method = eventProperties["Method"]?.text, let path = eventProperties["Path"]?.text else { continue }
                let api: APIKind = eventType == "HttpApi" ? .http : .rest
                let apiID = (eventProperties["ApiId"] ?? eventProperties["RestApiId"]).flatMap(resolve) ?? ""
                let auth = eventProperties["Auth"]?.object
                let named = auth?["Authorizer"]?.text ?? defaults[apiID]
                let authorizer = named == nil || named == "NONE" ? AuthorizerKind.none : authorizers[apiID]?[named!] ?? .none
                let scopes: [String] = if case .array(let list)? = auth?["AuthorizationScopes"] { list.compactMap(\.text) } else { [] }
                routes.append(Route(method: method.uppercased(), path: path, api: api, function: id, authorizer: authorizer,
                                    scopes: scopes))
            }
        }
    }
}

/// A local stack failure, in one line.
struct ServeError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
