/// The input of a REST API TOKEN authorizer.
public struct TokenAuthorizerEvent: Codable, Sendable, Equatable {
    /// `TOKEN`.
    public var type: String
    /// The raw value of the identity source header (`Bearer eyJ…`).
    public var authorizationToken: String
    /// The ARN of the method being called.
    public var methodArn: String

    /// An event, as API Gateway sends it.
    public init(authorizationToken: String, methodArn: String) {
        self.type = "TOKEN"
        self.authorizationToken = authorizationToken
        self.methodArn = methodArn
    }
}

/// The input of a REQUEST authorizer: REST APIs, and HTTP APIs with payload format 1.0 or 2.0. Maps that API
/// Gateway sends as `null` (the console's Test button) or leaves out read as empty.
public struct RequestAuthorizerEvent: Codable, Sendable, Equatable {
    /// `1.0` or `2.0` for HTTP APIs; nil for REST APIs.
    public var version: String?
    /// `REQUEST`.
    public var type: String
    /// The method ARN (REST and HTTP 1.0).
    public var methodArn: String?
    /// The route ARN (HTTP 2.0).
    public var routeArn: String?
    /// Identity source values: a list (2.0), or one comma-joined string (1.0).
    public var identitySource: IdentitySource?
    /// REST resource template (`/tenants/{tenantId}/wish-list`).
    public var resource: String?
    /// The request path (REST, HTTP 1.0).
    public var path: String?
    /// The raw path (HTTP 2.0).
    public var rawPath: String?
    /// `GET /tenants/{tenantId}/wish-list` (HTTP 2.0).
    public var routeKey: String?
    /// The HTTP method (REST, HTTP 1.0).
    public var httpMethod: String?
    private var headers: [String: String]?
    private var multiValueHeaders: [String: [String]]?
    private var queryStringParameters: [String: String]?
    private var pathParameters: [String: String]?
    private var stageVariables: [String: String]?
    /// The request context, as far as authorizers use it.
    public var requestContext: RequestContext?

    /// Headers; looked up case-insensitively by `header(_:)`.
    public var allHeaders: [String: String] { headers ?? [:] }
    /// Query string parameters.
    public var query: [String: String] { queryStringParameters ?? [:] }
    /// Path parameters (`tenantId`).
    public var parameters: [String: String] { pathParameters ?? [:] }
    /// Stage variables.
    public var stage: [String: String] { stageVariables ?? [:] }

    /// A header by name, compared case-insensitively.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers?.first { $0.key.lowercased() == wanted }?.value
    }

    /// Every value a header was sent with, compared case-insensitively: REST's `multiValueHeaders` when the event has
    /// them, else the one value of `headers` (an HTTP API joins repeats there with commas).
    public func headerValues(_ name: String) -> [String] {
        let wanted = name.lowercased()
        if let values = multiValueHeaders?.first(where: { $0.key.lowercased() == wanted })?.value { return values }
        return header(name).map { [$0] } ?? []
    }

    /// The ARN to evaluate a policy against: `methodArn`, else `routeArn`.
    public var resourceARN: String? { methodArn ?? routeArn }

    /// The caller's source IP.
    public var sourceIP: String? { requestContext?.identity?.sourceIp ?? requestContext?.http?.sourceIp }

    /// An HTTP API 2.0 or REST event, as the local stack builds them.
    public init(version: String?, methodArn: String?, routeArn: String?, identitySource: IdentitySource?,
                resource: String?, path: String?, httpMethod: String?, headers: [String: String],
                queryStringParameters: [String: String], pathParameters: [String: String],
                stageVariables: [String: String], requestContext: RequestContext?,
                multiValueHeaders: [String: [String]]? = nil) {
        self.version = version
        self.type = "REQUEST"
        self.methodArn = methodArn
        self.routeArn = routeArn
        self.identitySource = identitySource
        self.resource = resource
        self.path = path
        self.rawPath = version == "2.0" ? path : nil
        self.routeKey = version == "2.0" ? httpMethod.map { "\($0) \(resource ?? path ?? "/")" } : nil
        self.httpMethod = version == "2.0" ? nil : httpMethod
        self.headers = headers
        self.multiValueHeaders = multiValueHeaders
        self.queryStringParameters = queryStringParameters
        self.pathParameters = pathParameters
        self.stageVariables = stageVariables
        self.requestContext = requestContext
    }

    /// An event as API Gateway sent it, member by member (what a reader other than `Decodable` builds).
    public init(version: String?, type: String, methodArn: String?, routeArn: String?, identitySource: IdentitySource?,
                resource: String?, path: String?, rawPath: String?, routeKey: String?, httpMethod: String?,
                headers: [String: String]?, queryStringParameters: [String: String]?, pathParameters: [String: String]?,
                stageVariables: [String: String]?, requestContext: RequestContext?,
                multiValueHeaders: [String: [String]]? = nil) {
        self.version = version
        self.type = type
        self.methodArn = methodArn
        self.routeArn = routeArn
        self.identitySource = identitySource
        self.resource = resource
        self.path = path
        self.rawPath = rawPath
        self.routeKey = routeKey
        self.httpMethod = httpMethod
        self.headers = headers
        self.multiValueHeaders = multiValueHeaders
        self.queryStringParameters = queryStringParameters
        self.pathParameters = pathParameters
        self.stageVariables = stageVariables
        self.requestContext = requestContext
    }

    /// Identity source values in either wire form.
    public enum IdentitySource: Codable, Sendable, Equatable {
        /// Payload 2.0: one entry per source.
        case list([String])
        /// Payload 1.0: the values joined with commas.
        case joined(String)

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let list = try? container.decode([String].self) {
                self = .list(list)
            } else {
                self = .joined(try container.decode(String.self))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .list(let values): try container.encode(values)
            case .joined(let text): try container.encode(text)
            }
        }
    }

    /// The parts of `requestContext` authorizers read.
    public struct RequestContext: Codable, Sendable, Equatable {
        /// The account id.
        public var accountId: String?
        /// The API id.
        public var apiId: String?
        /// The stage.
        public var stage: String?
        /// The request id.
        public var requestId: String?
        /// REST: the path the client called, stage prefix included when it sent one (`$context.path`).
        public var path: String?
        /// REST: the caller identity.
        public var identity: Identity?
        /// HTTP API: method, path and source IP.
        public var http: HTTP?

        /// A context.
        public init(accountId: String?, apiId: String?, stage: String?, requestId: String?, path: String? = nil,
                    identity: Identity?, http: HTTP?) {
            self.accountId = accountId
            self.apiId = apiId
            self.stage = stage
            self.requestId = requestId
            self.path = path
            self.identity = identity
            self.http = http
        }

        /// REST caller identity.
        public struct Identity: Codable, Sendable, Equatable {
            /// The caller's IP.
            public var sourceIp: String?
            /// A caller identity with its IP.
            public init(sourceIp: String?) { self.sourceIp = sourceIp }
        }

        /// HTTP API request facts.
        public struct HTTP: Codable, Sendable, Equatable {
            /// The method.
            public var method: String?
            /// The path.
            public var path: String?
            /// The caller's IP.
            public var sourceIp: String?
            /// The facts.
            public init(method: String?, path: String?, sourceIp: String?) {
                self.method = method
                self.path = path
                self.sourceIp = sourceIp
            }
        }
    }
}
