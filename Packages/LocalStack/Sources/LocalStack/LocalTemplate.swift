import JSON
import FoundationEssentials
import HTTP

/// What the local stack emulates of `template.json`: functions, their routes, the APIs' authorizers and each
/// function's environment, with `Ref`s resolved for a laptop. Reading it refuses every feature the stack cannot
/// emulate exactly (`TemplateRefusal`, naming the route and the property): a route is never open here while it is
/// protected on AWS.
public struct LocalTemplate: Sendable {
    /// HTTP API (payload 2.0) or REST API (payload 1.0).
    public enum APIKind: Sendable { case http, rest }

    /// One value a Lambda authorizer is given and cached under.
    public enum IdentitySource: Sendable, Equatable {
        /// A request header.
        case header(String)
        /// A query string parameter.
        case query(String)
        /// A `$context` variable (`path`, `resourcePath`, `httpMethod`, `identity.sourceIp`, `stage`).
        case context(String)
        /// A stage variable.
        case stageVariable(String)
    }

    /// The authorizer API Gateway runs for a route.
    public enum Authorizer: Sendable, Equatable {
        /// None: the route is public.
        case none
        /// The HTTP API's built-in JWT authorizer, trusting `issuer` (the dev provider's or the dev pool's).
        case jwt(issuer: String, audiences: [String])
        /// A Lambda TOKEN authorizer.
        case token(function: String, header: String, ttl: Int)
        /// A Lambda REQUEST authorizer.
        case request(function: String, sources: [IdentitySource], ttl: Int)
        /// `AWS_IAM`: a SigV4 signature by a dev IAM identity.
        case iam
        /// A REST API's Cognito user pool authorizer (the dev pool), reading the token from `header`.
        case cognito(header: String)

        /// The function of a Lambda authorizer; nil for the others.
        public var lambdaFunction: String? {
            switch self {
            case .token(let function, _, _), .request(let function, _, _): function
            case .none, .jwt, .iam, .cognito: nil
            }
        }
    }

    /// One route of an API.
    public struct Route: Sendable {
        /// `GET`, `POST`, …
        public var method: String
        /// The path template (`/tenants/{tenantId}/wish-list`).
        public var path: String
        /// The API type.
        public var api: APIKind
        /// The logical id of the function behind it.
        public var function: String
        /// Its authorizer.
        public var authorizer: Authorizer
        /// `AuthorizationScopes` of a route behind a JWT authorizer: the token needs one of them.
        public var scopes: [String] = []
        /// The logical id of its API (for limits kept per API).
        public var apiID = ""
        /// The stage's or route's throttle.
        public var throttle: Throttle?
        /// Whether a REST method requires an API key (`x-api-key`).
        public var apiKeyRequired = false
        /// The API's usage plan, applied per API key.
        var usagePlan: APILimits.UsagePlan?
        /// Its stage's variables (REST `Variables`, HTTP API `StageVariables`).
        public var stageVariables: [String: String] = [:]
        /// An HTTP API's CORS configuration.
        var cors: CORSConfiguration?
        /// A REST API's customized gateway responses.
        var gatewayResponses: [GatewayResponseType: GatewayResponse] = [:]

        /// `GET /wish-list`.
        public var name: String { "\(method) \(path)" }
    }

    /// One function.
    public struct Function: Sendable {
        /// Its logical id.
        public var logicalID: String
        /// The app (and executable) name, from `FunctionName`.
        public var app: String
        /// Its environment, resolved.
        public var environment: [String: String]
        /// Its timeout.
        public var timeoutSeconds: Int
    }

    /// Every route.
    public private(set) var routes: [Route] = []
    /// Every function by logical id.
    public private(set) var functions: [String: Function] = [:]
    /// The Cognito app clients' managed-login settings, for the dev pool.
    private(set) var userPoolClients: [UserPoolClient] = []
    /// The folder holding the template: the project's root, where its `Apps/` and `dev/` are.
    public let folder: String

    /// Reads `path`; `parameters` gives the local value of each template parameter (others use their defaults).
    /// Throws `TemplateRefusal` for a feature the stack cannot emulate or a property of a shape SAM does not take.
    public init(path: String, parameters: [String: String]) throws {
        folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let document = try TemplateObject(configurationDocument(JSONValue.self, path), path: "the template")
        guard let resources = try document.object("Resources") else { throw ServeError("\(path) has no Resources") }
        var values = parameters
        for (name, definition) in try document.object("Parameters")?.members ?? [:] where values[name] == nil {
            values[name] = definition.objectValue?["Default"]?.text
        }
        let resolver = Resolver(parameters: values)
        let globals = try document.object("Globals")
        let globalTimeout = try globals?.object("Function")?.int("Timeout", resolver) ?? 3
        var apis: [String: API] = [:]
        for (id, resource) in resources.members { apis[id] = API(id: id, resource: resource, resolver: resolver) }
        for id in resources.names where resources[id]?.objectValue?["Type"]?.text == "AWS::Cognito::UserPoolClient" {
            userPoolClients.append(try reading({ TemplateRefusal(resource: id, $0) }) {
                let properties = try TemplateObject(resources[id]?.objectValue?["Properties"], path: "Properties")
                return try UserPoolClient(properties.members, resolver: resolver)
            })
        }
        for id in resources.names where resources[id]?.objectValue?["Type"]?.text == "AWS::Serverless::Function" {
            let declared = try TemplateFunction(id: id, resource: try TemplateObject(resources[id], path: ""),
                                                globalTimeout: globalTimeout, resolver: resolver)
            functions[id] = declared.function
            for event in declared.events {
                routes.append(try Self.route(event, function: id, apis: apis, globals: globals))
            }
        }
    }

    /// The route an API event makes, its authorizer and limits those of the API it names.
    private static func route(_ event: TemplateFunction.Event, function: String, apis: [String: API],
                              globals: TemplateObject?) throws(TemplateRefusal) -> Route {
        let name = event.route
        let found: API? = if let apiID = event.apiID { apis[apiID] } else { API(implicit: event.api, globals: globals) }
        guard let api = found else {
            throw TemplateRefusal(route: name,
                                  "its event names \(event.apiID ?? "no API"), not an API resource of the template")
        }
        if let unsupported = api.unsupported { throw TemplateRefusal(route: name, unsupported) }
        let auth = event.auth
        // A property of another type than SAM takes is refused, never read as absent (an open route).
        let authorizerName: String? = switch auth["Authorizer"] {
        case nil: api.defaultAuthorizer
        case .string(let named)?: named
        default:
            throw TemplateRefusal(route: name, "Auth.Authorizer must be a string (an authorizer's name, NONE or "
                                  + "AWS_IAM), as SAM requires")
        }
        let authorizer = try api.authorizer(named: authorizerName, route: name)
        // Scopes are checked by an HTTP API's JWT authorizer and a REST API's Cognito authorizer only.
        let scoped: Bool = if case .cognito = authorizer { true } else { api.kind == .http }
        for property in ["ApiKeyRequired", "ResourcePolicy", "InvokeRole", "AuthorizationScopes"]
        where auth[property] != nil && !(property == "AuthorizationScopes" && scoped)
            && !(property == "ApiKeyRequired" && api.kind == .rest) {
            throw TemplateRefusal(route: name, "Auth.\(property) cannot be emulated locally")
        }
        do {
            return Route(method: event.method, path: event.path, api: api.kind, function: function,
                         authorizer: authorizer, scopes: try auth.texts("AuthorizationScopes") ?? [],
                         apiID: event.apiID ?? (event.api == .http ? "ServerlessHttpApi" : "ServerlessRestApi"),
                         throttle: api.limits.throttle(method: event.method, path: event.path),
                         apiKeyRequired: try auth.bool("ApiKeyRequired") ?? api.limits.apiKeyRequired,
                         usagePlan: api.limits.usagePlan, stageVariables: api.stageVariables, cors: api.cors,
                         gatewayResponses: api.gatewayResponses)
        } catch {
            throw TemplateRefusal(route: name, error.reason)
        }
    }
}

/// A template feature the local stack cannot emulate, on one route: one line naming both.
public struct TemplateRefusal: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(route: String, _ reason: String) {
        description = "\(route): \(reason); the local stack refuses to start rather than answer differently from AWS"
    }

    init(resource: String, _ reason: String) {
        description = "\(resource): \(reason); the local stack refuses to start rather than answer differently from AWS"
    }

    init(function: String, _ reason: String) {
        description = "function \(function): \(reason); the local stack refuses to start rather than answer differently from AWS"
    }
}

/// A local stack failure, in one line.
struct ServeError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// `Ref` and `Fn::GetAtt` resolved against the local parameter values.
struct Resolver {
    let parameters: [String: String]

    func resolve(_ value: JSONValue) -> String? {
        if let text = value.text { return text }
        guard let object = value.objectValue else { return nil }
        if let name = object["Ref"]?.text { return parameters[name] ?? name }
        if let pair = object["Fn::GetAtt"], case .array(let parts) = pair { return parts.first?.text }
        return nil
    }
}
