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
    /// Throws `TemplateRefusal` for a feature the stack cannot emulate.
    public init(path: String, parameters: [String: String]) throws {
        folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let document = try configurationDocument(JSONValue.self, path)
        guard let resources = document.objectValue?["Resources"]?.objectValue else { throw ServeError("\(path) has no Resources") }
        var values = parameters
        for (name, definition) in document.objectValue?["Parameters"]?.objectValue ?? [:] where values[name] == nil {
            values[name] = definition.objectValue?["Default"]?.text
        }
        let resolver = Resolver(parameters: values)
        let globalTimeout = document.objectValue?["Globals"]?.objectValue?["Function"]?.objectValue?["Timeout"]?.text.flatMap { Int($0) } ?? 3
        var apis: [String: API] = [:]
        for (id, resource) in resources { apis[id] = API(id: id, resource: resource, resolver: resolver) }
        for (id, resource) in resources where resource.objectValue?["Type"]?.text == "AWS::Cognito::UserPoolClient" {
            do {
                userPoolClients.append(try UserPoolClient(resource.objectValue?["Properties"]?.objectValue ?? [:], resolver: resolver))
            } catch {
                throw TemplateRefusal(resource: id, error.reason)
            }
        }

        for (id, resource) in resources where resource.objectValue?["Type"]?.text == "AWS::Serverless::Function" {
            let properties = resource.objectValue?["Properties"]?.objectValue ?? [:]
            // The app whose executable runs the function is named by `FunctionName`; a function the stack cannot
            // name would leave its routes answering 404 here while they work on AWS: refused instead.
            let prefix = "${AWS::StackName}-"
            guard case .object(let nameSpec)? = properties["FunctionName"], let sub = nameSpec["Fn::Sub"]?.text,
                  sub.hasPrefix(prefix), sub.count > prefix.count
            else {
                throw TemplateRefusal(function: id, #"its FunctionName must be {"Fn::Sub": "${AWS::StackName}-APP"}"#
                                      + ", naming the app whose executable runs it")
            }
            let app = String(sub.dropFirst(prefix.count))
            var environment: [String: String] = [:]
            for (name, value) in properties["Environment"]?.objectValue?["Variables"]?.objectValue ?? [:] {
                environment[name] = resolver.resolve(value)
            }
            let timeout = properties["Timeout"]?.text.flatMap { Int($0) } ?? globalTimeout
            functions[id] = Function(logicalID: id, app: app, environment: environment, timeoutSeconds: timeout)
            for (eventID, event) in properties["Events"]?.objectValue ?? [:] {
                // Other event sources (queues, schedules) make no routes; the stack does not run them.
                guard let eventType = event.objectValue?["Type"]?.text, eventType == "HttpApi" || eventType == "Api" else { continue }
                // An HTTP API event without Path and Method is the API's `$default` route, which serves every request
                // no other route matches: answered 404 here, it would be open on AWS and closed locally.
                guard let eventProperties = event.objectValue?["Properties"]?.objectValue,
                      let method = eventProperties["Method"]?.text, let path = eventProperties["Path"]?.text else {
                    throw TemplateRefusal(function: id, "event \(eventID) has no Path and Method (the API's $default "
                                          + "route), which the local stack does not emulate")
                }
                let name = "\(method.uppercased()) \(path)"
                let apiID = (eventProperties["ApiId"] ?? eventProperties["RestApiId"]).flatMap(resolver.resolve)
                let found: API? = if let apiID { apis[apiID] } else {
                    API(implicit: eventType == "HttpApi" ? .http : .rest, globals: document.objectValue?["Globals"])
                }
                guard let api = found else {
                    throw TemplateRefusal(route: name, "its event names \(apiID ?? "no API"), not an API resource of the template")
                }
                if let unsupported = api.unsupported { throw TemplateRefusal(route: name, unsupported) }
                // A property of another type than SAM takes is refused, never read as absent (an open route).
                guard let auth = eventProperties["Auth"].map({ $0.objectValue }) ?? [:] else {
                    throw TemplateRefusal(route: name, "Auth must be an object, as SAM requires")
                }
                let authorizerName: String? = switch auth["Authorizer"] {
                case nil: api.defaultAuthorizer
                case .string(let named)?: named
                default: throw TemplateRefusal(route: name, "Auth.Authorizer must be a string (an authorizer's name, NONE or AWS_IAM), as SAM requires")
                }
                let authorizer = try api.authorizer(named: authorizerName, route: name)
                // Scopes are checked by an HTTP API's JWT authorizer and a REST API's Cognito authorizer only.
                let scoped: Bool = if case .cognito = authorizer { true } else { api.kind == .http }
                for property in ["ApiKeyRequired", "ResourcePolicy", "InvokeRole", "AuthorizationScopes"]
                where auth[property] != nil && !(property == "AuthorizationScopes" && scoped)
                    && !(property == "ApiKeyRequired" && api.kind == .rest) {
                    throw TemplateRefusal(route: name, "Auth.\(property) cannot be emulated locally")
                }
                let scopes: [String] = if case .array(let list)? = auth["AuthorizationScopes"] { list.compactMap(\.text) } else { [] }
                let apiKeyRequired = auth["ApiKeyRequired"].map { $0 == .bool(true) } ?? api.limits.apiKeyRequired
                routes.append(Route(method: method.uppercased(), path: path, api: api.kind, function: id,
                                    authorizer: authorizer, scopes: scopes,
                                    apiID: apiID ?? (eventType == "HttpApi" ? "ServerlessHttpApi" : "ServerlessRestApi"),
                                    throttle: api.limits.throttle(method: method.uppercased(), path: path),
                                    apiKeyRequired: apiKeyRequired, usagePlan: api.limits.usagePlan,
                                    stageVariables: api.stageVariables, cors: api.cors,
                                    gatewayResponses: api.gatewayResponses))
            }
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

/// One `AWS::Serverless::HttpApi` or `AWS::Serverless::Api` and its authorizers, each understood or refused.
private struct API {
    let kind: LocalTemplate.APIKind
    let defaultAuthorizer: String?
    /// Its throttles, API keys and usage plan.
    let limits: APILimits
    /// Its stage's variables, resolved.
    let stageVariables: [String: String]
    /// An HTTP API's `CorsConfiguration`.
    let cors: CORSConfiguration?
    /// A REST API's `GatewayResponses`.
    let gatewayResponses: [GatewayResponseType: GatewayResponse]
    /// Whether an HTTP API allows `AWS_IAM` routes (`Auth.EnableIamAuthorizer`, without which SAM refuses them).
    let iamEnabled: Bool
    /// Why no route of this API can be emulated, when a property of the API itself is beyond the stack.
    let unsupported: String?
    let authorizers: [String: Result<LocalTemplate.Authorizer, Refused>]

    struct Refused: Error { let reason: String }

    /// An API's properties the stack emulates, or which change nothing a client sees from it (names, tags, logs,
    /// tracing, endpoint and domain setup) and the gateway responses it can; any other (binary media types, CORS,
    /// models, definitions, canaries, compression) refuses the API.
    static let restProperties: Set<String> = [
        "Auth", "MethodSettings", "ApiKeySourceType", "StageName", "Name", "Description", "Tags", "PropagateTags",
        "TracingEnabled", "AccessLogSetting", "OpenApiVersion", "EndpointConfiguration", "Domain", "FailOnWarnings",
        "Mode", "AlwaysDeploy", "CacheClusterEnabled", "CacheClusterSize", "DisableExecuteApiEndpoint", "MergeDefinitions",
        "Variables", "GatewayResponses",
    ]
    static let httpProperties: Set<String> = [
        "Auth", "RouteSettings", "DefaultRouteSettings", "StageName", "Name", "Description", "Tags", "PropagateTags",
        "AccessLogSettings", "Domain", "FailOnWarnings", "DisableExecuteApiEndpoint", "StageVariables", "CorsConfiguration",
    ]

    static let contextVariables: Set<String> = ["path", "resourcePath", "httpMethod", "identity.sourceIp", "stage"]

    /// The API SAM makes for events that name none: no authorizers; refused when `Globals` configures it.
    init(implicit kind: LocalTemplate.APIKind, globals: JSONValue?) {
        self.kind = kind
        defaultAuthorizer = nil
        iamEnabled = kind == .rest
        limits = APILimits()
        stageVariables = [:]
        cors = nil
        gatewayResponses = [:]
        authorizers = [:]
        let section = kind == .http ? "HttpApi" : "Api"
        unsupported = globals?.objectValue?[section] != nil
            ? "Globals.\(section) configures the implicit API, which the local stack does not emulate" : nil
    }

    init?(id: String, resource: JSONValue, resolver: Resolver) {
        let type = resource.objectValue?["Type"]?.text
        guard type == "AWS::Serverless::HttpApi" || type == "AWS::Serverless::Api" else { return nil }
        kind = type == "AWS::Serverless::HttpApi" ? .http : .rest
        let properties = resource.objectValue?["Properties"]?.objectValue ?? [:]
        let auth = properties["Auth"]?.objectValue ?? [:]
        let declaredDefault = auth["DefaultAuthorizer"]
        defaultAuthorizer = declaredDefault?.stringValue
        iamEnabled = kind == .rest || auth["EnableIamAuthorizer"] == .bool(true)
        let variables = properties[kind == .rest ? "Variables" : "StageVariables"]?.objectValue ?? [:]
        stageVariables = variables.compactMapValues(resolver.resolve)
        let known = kind == .rest ? Self.restProperties : Self.httpProperties
        // The stack serves REST APIs under the stage `/dev` and HTTP APIs at their `$default` stage.
        let stage = properties["StageName"].flatMap(resolver.resolve) ?? (kind == .rest ? Gateway.restStage : "$default")
        // A property of another type than SAM takes is refused, never read as absent (routes open).
        let misshapen: String? = if let value = properties["Auth"], value.objectValue == nil {
            "its API's Auth must be an object, as SAM requires"
        } else if declaredDefault != nil && defaultAuthorizer == nil {
            "its API's Auth.DefaultAuthorizer must be a string, as SAM requires"
        } else { nil }
        var apiLevel = misshapen ?? properties.keys.sorted().first { !known.contains($0) }
            .map { "its API sets \($0), which the local stack does not emulate" }
            ?? (stage == (kind == .rest ? Gateway.restStage : "$default") ? nil
                : "its API's StageName \(stage) cannot be emulated locally (REST: \(Gateway.restStage), HTTP API: $default)")
            ?? ["ResourcePolicy"].first { auth[$0] != nil }
                .map { "its API sets Auth.\($0), which the local stack does not emulate" }
        do {
            limits = try APILimits(properties, kind: kind)
        } catch {
            limits = APILimits()
            apiLevel = apiLevel ?? "its API's \(error.reason)"
        }
        do {
            cors = try properties["CorsConfiguration"].map { value throws(CORSConfiguration.Refused) in try CORSConfiguration(value) }
        } catch {
            cors = nil
            apiLevel = apiLevel ?? "its API \(id): \(error.reason)"
        }
        do {
            gatewayResponses = try properties["GatewayResponses"].map { value throws(GatewayResponse.Refused) in
                try GatewayResponse.responses(value)
            } ?? [:]
        } catch {
            gatewayResponses = [:]
            apiLevel = apiLevel ?? "its API \(id): \(error.reason)"
        }
        unsupported = apiLevel
        var parsed: [String: Result<LocalTemplate.Authorizer, Refused>] = [:]
        for (name, definition) in auth["Authorizers"]?.objectValue ?? [:] {
            do {
                parsed[name] = .success(try Self.authorizer(definition.objectValue ?? [:], kind: kind, resolver: resolver))
            } catch {
                parsed[name] = .failure(error)
            }
        }
        authorizers = parsed
    }

    func authorizer(named name: String?, route: String) throws -> LocalTemplate.Authorizer {
        guard let name, name != "NONE" else { return .none }
        if name == "AWS_IAM" {
            guard iamEnabled else {
                throw TemplateRefusal(route: route, "Authorizer AWS_IAM needs Auth.EnableIamAuthorizer on its HTTP API")
            }
            return .iam
        }
        switch authorizers[name] {
        case .success(let authorizer)?: return authorizer
        case .failure(let refused)?: throw TemplateRefusal(route: route, "Authorizer \(name): \(refused.reason)")
        case nil: throw TemplateRefusal(route: route, "Authorizer \(name) is not defined on its API")
        }
    }

    private static func authorizer(_ properties: [String: JSONValue], kind: LocalTemplate.APIKind,
                                    resolver: Resolver) throws(Refused) -> LocalTemplate.Authorizer {
        if properties["UserPoolArn"] != nil {
            guard kind == .rest else { throw Refused(reason: "UserPoolArn belongs to REST APIs (an HTTP API uses JwtConfiguration)") }
            let identity = properties["Identity"]?.objectValue ?? [:]
            if let other = identity.keys.sorted().first(where: { $0 != "Header" }) {
                throw Refused(reason: "Identity.\(other) cannot be emulated locally")
            }
            return .cognito(header: identity["Header"]?.text ?? "Authorization")
        }
        if let jwt = properties["JwtConfiguration"]?.objectValue {
            let source = properties["IdentitySource"]?.text ?? "$request.header.Authorization"
            guard source.lowercased() == "$request.header.authorization" else {
                throw Refused(reason: "IdentitySource \(source) cannot be emulated locally (only the Authorization header)")
            }
            let audiences: [String] = if case .array(let list)? = jwt["audience"] { list.compactMap(resolver.resolve) } else { [] }
            guard let issuer = jwt["issuer"].flatMap(resolver.resolve) else {
                throw Refused(reason: "JwtConfiguration.issuer must be a string or a parameter the local stack sets (JwtIssuer, CognitoIssuer)")
            }
            return .jwt(issuer: issuer, audiences: audiences)
        }
        guard let function = properties["FunctionArn"].flatMap(resolver.resolve) else {
            throw Refused(reason: "an authorizer of a kind the local stack does not know")
        }
        if kind == .http, let version = properties["AuthorizerPayloadFormatVersion"]?.text, version != "2.0" {
            throw Refused(reason: "AuthorizerPayloadFormatVersion \(version) cannot be emulated locally (only 2.0)")
        }
        let identity = properties["Identity"]?.objectValue ?? [:]
        let known: Set<String> = ["Header", "Headers", "QueryStrings", "Context", "StageVariables", "ReauthorizeEvery"]
        if let other = identity.keys.sorted().first(where: { !known.contains($0) }) {
            throw Refused(reason: "Identity.\(other) cannot be emulated locally")
        }
        let ttl = identity["ReauthorizeEvery"].flatMap(resolver.resolve).flatMap { Int($0) } ?? 300
        // HTTP API Lambda authorizers always receive REQUEST events.
        guard properties["FunctionPayloadType"]?.text == "REQUEST" || kind == .http else {
            return .token(function: function, header: identity["Header"]?.text ?? "Authorization", ttl: ttl)
        }
        func list(_ key: String) -> [String] {
            if case .array(let values)? = identity[key] { values.compactMap(\.text) } else { [] }
        }
        if let variable = list("Context").first(where: { !contextVariables.contains($0) }) {
            throw Refused(reason: "Identity.Context \(variable) cannot be emulated locally")
        }
        let sources = list("Headers").map(LocalTemplate.IdentitySource.header) + list("QueryStrings").map { .query($0) }
            + list("Context").map { .context($0) } + list("StageVariables").map { .stageVariable($0) }
        return .request(function: function, sources: sources, ttl: ttl)
    }
}
