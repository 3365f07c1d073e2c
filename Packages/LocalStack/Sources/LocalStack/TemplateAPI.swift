import HTTP
import JSON

/// One `AWS::Serverless::HttpApi` or `AWS::Serverless::Api` and its authorizers, each understood or refused.
struct API {
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

    typealias Refused = TemplateProblem

    /// An API's properties the stack emulates, or which change nothing a client sees from it (names, tags, logs,
    /// tracing, endpoint and domain setup) and the gateway responses it can; any other (binary media types, CORS,
    /// models, definitions, canaries, compression) refuses the API.
    static let restProperties: Set<String> = [
        "Auth", "MethodSettings", "ApiKeySourceType", "StageName", "Name", "Description", "Tags", "PropagateTags",
        "TracingEnabled", "AccessLogSetting", "OpenApiVersion", "EndpointConfiguration", "Domain", "FailOnWarnings",
        "Mode", "AlwaysDeploy", "CacheClusterEnabled", "CacheClusterSize", "DisableExecuteApiEndpoint",
        "MergeDefinitions", "Variables", "GatewayResponses",
    ]
    static let httpProperties: Set<String> = [
        "Auth", "RouteSettings", "DefaultRouteSettings", "StageName", "Name", "Description", "Tags", "PropagateTags",
        "AccessLogSettings", "Domain", "FailOnWarnings", "DisableExecuteApiEndpoint", "StageVariables",
        "CorsConfiguration",
    ]

    static let contextVariables: Set<String> = ["path", "resourcePath", "httpMethod", "identity.sourceIp", "stage"]

    /// The API SAM makes for events that name none: no authorizers; refused when `Globals` configures it.
    init(implicit kind: LocalTemplate.APIKind, globals: TemplateObject?) {
        let section = kind == .http ? "HttpApi" : "Api"
        self.init(refusing: kind, globals?[section] != nil
                  ? "Globals.\(section) configures the implicit API, which the local stack does not emulate" : nil)
    }

    /// An API without settings or authorizers: its routes refused for `reason`, when given.
    private init(refusing kind: LocalTemplate.APIKind, _ reason: String?) {
        self.kind = kind
        defaultAuthorizer = nil
        iamEnabled = kind == .rest
        limits = APILimits()
        stageVariables = [:]
        cors = nil
        gatewayResponses = [:]
        authorizers = [:]
        unsupported = reason
    }

    /// The API `resource` declares, if it is one; an API the stack cannot emulate refuses each of its routes.
    init?(id: String, resource: JSONValue, resolver: Resolver) {
        let type = resource.objectValue?["Type"]?.text
        guard type == "AWS::Serverless::HttpApi" || type == "AWS::Serverless::Api" else { return nil }
        let kind: LocalTemplate.APIKind = type == "AWS::Serverless::HttpApi" ? .http : .rest
        do {
            try self.init(id: id, kind: kind, properties: try reading({ Refused(reason: "its API's " + $0) }) {
                try TemplateObject(resource.objectValue?["Properties"], path: "Properties")
            }, resolver: resolver)
        } catch {
            self.init(refusing: kind, error.reason)
        }
    }

    /// Reads an API's properties strictly: the first one beyond the stack (or of another shape than SAM takes) is
    /// the refusal of all its routes.
    private init(id: String, kind: LocalTemplate.APIKind, properties declared: TemplateObject,
                 resolver: Resolver) throws(Refused) {
        let properties = TemplateObject(declared.members)
        let apiLevel = { (reason: String) in Refused(reason: "its API's " + reason) }
        let auth = try reading(apiLevel) { try properties.object("Auth") ?? TemplateObject([:], path: "Auth") }
        guard auth["DefaultAuthorizer"].map({ $0.stringValue != nil }) ?? true else {
            throw apiLevel("Auth.DefaultAuthorizer must be a string, as SAM requires")
        }
        let known = kind == .rest ? Self.restProperties : Self.httpProperties
        if let other = properties.names.first(where: { !known.contains($0) }) {
            throw Refused(reason: "its API sets \(other), which the local stack does not emulate")
        }
        // The stack serves REST APIs under the stage `/dev` and HTTP APIs at their `$default` stage.
        let served = kind == .rest ? Gateway.restStage : "$default"
        let stage = try reading(apiLevel) { try properties.resolved("StageName", resolver) } ?? served
        guard stage == served else {
            throw apiLevel("StageName \(stage) cannot be emulated locally (REST: \(Gateway.restStage), "
                           + "HTTP API: $default)")
        }
        if auth["ResourcePolicy"] != nil {
            throw Refused(reason: "its API sets Auth.ResourcePolicy, which the local stack does not emulate")
        }
        self.kind = kind
        defaultAuthorizer = auth["DefaultAuthorizer"]?.stringValue
        let iamAllowed = try reading(apiLevel) { try auth.bool("EnableIamAuthorizer") } ?? false
        iamEnabled = kind == .rest || iamAllowed
        stageVariables = try reading(apiLevel) {
            try properties.object(kind == .rest ? "Variables" : "StageVariables")?.resolvedMembers(resolver) ?? [:]
        }
        limits = try reading(apiLevel) { try APILimits(properties, auth: auth, kind: kind, resolver: resolver) }
        let ownLevel = { (reason: String) in Refused(reason: "its API \(id): " + reason) }
        cors = try reading(ownLevel) { try properties["CorsConfiguration"].map(CORSConfiguration.init) }
        gatewayResponses = try reading(ownLevel) {
            try properties["GatewayResponses"].map(GatewayResponse.responses) ?? [:]
        }
        unsupported = nil
        var parsed: [String: Result<LocalTemplate.Authorizer, Refused>] = [:]
        let declaredAuthorizers = try reading(apiLevel) { try auth.object("Authorizers") ?? TemplateObject([:]) }
        for name in declaredAuthorizers.names {
            parsed[name] = Result { () throws(Refused) in
                try Self.authorizer(TemplateObject(declaredAuthorizers[name], path: ""), kind: kind, resolver: resolver)
            }
        }
        authorizers = parsed
    }

    func authorizer(named name: String?, route: String) throws(TemplateRefusal) -> LocalTemplate.Authorizer {
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

    /// An authorizer's definition, understood exactly or refused (a feature beyond the stack, or a property of a
    /// shape SAM does not take).
    private static func authorizer(_ properties: TemplateObject, kind: LocalTemplate.APIKind,
                                   resolver: Resolver) throws(Refused) -> LocalTemplate.Authorizer {
        let identity = try properties.object("Identity") ?? TemplateObject([:], path: "Identity")
        if properties["UserPoolArn"] != nil {
            guard kind == .rest else {
                throw Refused(reason: "UserPoolArn belongs to REST APIs (an HTTP API uses JwtConfiguration)")
            }
            if let other = identity.names.first(where: { $0 != "Header" }) {
                throw Refused(reason: "Identity.\(other) cannot be emulated locally")
            }
            return .cognito(header: try identity.text("Header") ?? "Authorization")
        }
        if let jwt = try properties.object("JwtConfiguration") {
            let source = try properties.text("IdentitySource") ?? "$request.header.Authorization"
            guard source.lowercased() == "$request.header.authorization" else {
                throw Refused(reason: "IdentitySource \(source) cannot be emulated locally (only the Authorization "
                              + "header)")
            }
            let audiences = try jwt.texts("audience", resolver) ?? []
            guard let issuer = jwt["issuer"].flatMap(resolver.resolve) else {
                throw Refused(reason: "JwtConfiguration.issuer must be a string or a parameter the local stack sets "
                              + "(JwtIssuer, CognitoIssuer)")
            }
            return .jwt(issuer: issuer, audiences: audiences)
        }
        guard let function = properties["FunctionArn"].flatMap(resolver.resolve) else {
            throw Refused(reason: "an authorizer of a kind the local stack does not know")
        }
        if kind == .http, let version = try properties.text("AuthorizerPayloadFormatVersion"), version != "2.0" {
            throw Refused(reason: "AuthorizerPayloadFormatVersion \(version) cannot be emulated locally (only 2.0)")
        }
        let known: Set<String> = ["Header", "Headers", "QueryStrings", "Context", "StageVariables", "ReauthorizeEvery"]
        if let other = identity.names.first(where: { !known.contains($0) }) {
            throw Refused(reason: "Identity.\(other) cannot be emulated locally")
        }
        let ttl = try identity.int("ReauthorizeEvery", resolver) ?? 300
        // HTTP API Lambda authorizers always receive REQUEST events.
        guard try properties.text("FunctionPayloadType") == "REQUEST" || kind == .http else {
            return .token(function: function, header: try identity.text("Header") ?? "Authorization", ttl: ttl)
        }
        let context = try identity.texts("Context") ?? []
        if let variable = context.first(where: { !contextVariables.contains($0) }) {
            throw Refused(reason: "Identity.Context \(variable) cannot be emulated locally")
        }
        let sources = try (identity.texts("Headers") ?? []).map(LocalTemplate.IdentitySource.header)
            + (identity.texts("QueryStrings") ?? []).map { .query($0) } + context.map { .context($0) }
            + (identity.texts("StageVariables") ?? []).map { .stageVariable($0) }
        return .request(function: function, sources: sources, ttl: ttl)
    }
}
