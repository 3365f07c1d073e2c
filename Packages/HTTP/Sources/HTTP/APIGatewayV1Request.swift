public import JSON

/// A REST API (payload 1.0) Lambda proxy event. Every map may be absent or `null` (the console's Test button).
public struct APIGatewayV1Request: Codable, Sendable, Equatable {
    public var resource: String?
    public var path: String
    public var httpMethod: String
    public var headers: [String: String]?
    public var multiValueHeaders: [String: [String]]?
    public var queryStringParameters: [String: String]?
    public var multiValueQueryStringParameters: [String: [String]]?
    public var pathParameters: [String: String]?
    public var stageVariables: [String: String]?
    public var body: String?
    public var isBase64Encoded: Bool?
    public var requestContext: RequestContext?

    /// An event (the local stack and tests build them).
    public init(resource: String? = nil, path: String, httpMethod: String, headers: [String: String]? = nil,
                multiValueHeaders: [String: [String]]? = nil, queryStringParameters: [String: String]? = nil,
                multiValueQueryStringParameters: [String: [String]]? = nil, pathParameters: [String: String]? = nil,
                stageVariables: [String: String]? = nil, body: String? = nil, isBase64Encoded: Bool? = nil,
                requestContext: RequestContext? = nil) {
        self.resource = resource
        self.path = path
        self.httpMethod = httpMethod
        self.headers = headers
        self.multiValueHeaders = multiValueHeaders
        self.queryStringParameters = queryStringParameters
        self.multiValueQueryStringParameters = multiValueQueryStringParameters
        self.pathParameters = pathParameters
        self.stageVariables = stageVariables
        self.body = body
        self.isBase64Encoded = isBase64Encoded
        self.requestContext = requestContext
    }

    /// Written as API Gateway writes it: a map or body it does not have is `null`, not left out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(resource, forKey: .resource)
        try container.encode(path, forKey: .path)
        try container.encode(httpMethod, forKey: .httpMethod)
        try container.encode(headers, forKey: .headers)
        try container.encode(multiValueHeaders, forKey: .multiValueHeaders)
        try container.encode(queryStringParameters, forKey: .queryStringParameters)
        try container.encode(multiValueQueryStringParameters, forKey: .multiValueQueryStringParameters)
        try container.encode(pathParameters, forKey: .pathParameters)
        try container.encode(stageVariables, forKey: .stageVariables)
        try container.encode(body, forKey: .body)
        try container.encodeIfPresent(isBase64Encoded, forKey: .isBase64Encoded)
        try container.encodeIfPresent(requestContext, forKey: .requestContext)
    }

    /// The request context, as far as handlers use it.
    public struct RequestContext: Codable, Sendable, Equatable {
        public var accountId: String?
        public var apiId: String?
        public var stage: String?
        public var requestId: String?
        public var resourcePath: String?
        public var httpMethod: String?
        /// The path as the client sent it (on API Gateway's own host, under the stage).
        public var path: String?
        public var requestTimeEpoch: Double?
        public var identity: Identity?
        /// What the API's authorizer returned: `principalId`, its context values (string, number or bool), and
        /// API Gateway's own numbers such as `integrationLatency`; Cognito authorizers add a `claims` object.
        public var authorizer: [String: JSONValue]?

        /// A request context.
        public init(accountId: String? = nil, apiId: String? = nil, stage: String? = nil, requestId: String? = nil,
                    resourcePath: String? = nil, httpMethod: String? = nil, path: String? = nil,
                    requestTimeEpoch: Double? = nil, identity: Identity? = nil, authorizer: [String: JSONValue]? = nil) {
            self.accountId = accountId
            self.apiId = apiId
            self.stage = stage
            self.requestId = requestId
            self.resourcePath = resourcePath
            self.httpMethod = httpMethod
            self.path = path
            self.requestTimeEpoch = requestTimeEpoch
            self.identity = identity
            self.authorizer = authorizer
        }

        /// REST caller identity; the IAM members are set when the method's authorization is `AWS_IAM`.
        public struct Identity: Codable, Sendable, Equatable {
            public var sourceIp: String?
            public var userAgent: String?
            /// The signing IAM identity's ARN.
            public var userArn: String?
            /// Its access key id.
            public var accessKey: String?
            /// Its account.
            public var accountId: String?
            /// Its unique id (`AIDA…`, or `AROA…:session` for a role).
            public var caller: String?
            /// The same id, as API Gateway also writes it.
            public var user: String?
            /// The API key the request carried, when its method requires one, and that key's id.
            public var apiKey: String?
            public var apiKeyId: String?

            /// An identity.
            public init(sourceIp: String? = nil, userAgent: String? = nil, userArn: String? = nil, accessKey: String? = nil,
                        accountId: String? = nil, caller: String? = nil, user: String? = nil, apiKey: String? = nil,
                        apiKeyId: String? = nil) {
                self.sourceIp = sourceIp
                self.userAgent = userAgent
                self.userArn = userArn
                self.accessKey = accessKey
                self.accountId = accountId
                self.caller = caller
                self.user = user
                self.apiKey = apiKey
                self.apiKeyId = apiKeyId
            }
        }
    }
}

/// An HTTP API (payload 2.0) Lambda event. Repeated headers and query parameters arrive comma-joined; `cookies`
/// is a separate list.
public struct APIGatewayV2Request: Codable, Sendable, Equatable {
    public var version: String
    public var routeKey: String?
    public var rawPath: String
    public var rawQueryString: String?
    public var cookies: [String]?
    public var headers: [String: String]?
    public var queryStringParameters: [String: String]?
    public var pathParameters: [String: String]?
    public var stageVariables: [String: String]?
    public var body: String?
    public var isBase64Encoded: Bool?
    public var requestContext: RequestContext

    /// An event (the local stack and tests build them).
    public init(routeKey: String? = nil, rawPath: String, rawQueryString: String? = nil, cookies: [String]? = nil,
                headers: [String: String]? = nil, queryStringParameters: [String: String]? = nil,
                pathParameters: [String: String]? = nil, stageVariables: [String: String]? = nil, body: String? = nil,
                isBase64Encoded: Bool? = nil, requestContext: RequestContext) {
        version = "2.0"
        self.routeKey = routeKey
        self.rawPath = rawPath
        self.rawQueryString = rawQueryString
        self.cookies = cookies
        self.headers = headers
        self.queryStringParameters = queryStringParameters
        self.pathParameters = pathParameters
        self.stageVariables = stageVariables
        self.body = body
        self.isBase64Encoded = isBase64Encoded
        self.requestContext = requestContext
    }

    /// The request context.
    public struct RequestContext: Codable, Sendable, Equatable {
        public var accountId: String?
        public var apiId: String?
        public var domainName: String?
        public var requestId: String?
        public var routeKey: String?
        public var stage: String?
        public var time: String?
        public var timeEpoch: Double?
        public var http: HTTP
        public var authorizer: Authorizer?

        /// A request context.
        public init(accountId: String? = nil, apiId: String? = nil, domainName: String? = nil, requestId: String? = nil,
                    routeKey: String? = nil, stage: String? = nil, timeEpoch: Double? = nil, http: HTTP,
                    authorizer: Authorizer? = nil) {
            self.accountId = accountId
            self.apiId = apiId
            self.domainName = domainName
            self.requestId = requestId
            self.routeKey = routeKey
            self.stage = stage
            self.timeEpoch = timeEpoch
            self.http = http
            self.authorizer = authorizer
        }

        /// Method, path and caller facts.
        public struct HTTP: Codable, Sendable, Equatable {
            public var method: String
            public var path: String?
            public var `protocol`: String?
            public var sourceIp: String?
            public var userAgent: String?

            /// Method, path and caller facts.
            public init(method: String, path: String? = nil, protocol: String? = nil, sourceIp: String? = nil,
                        userAgent: String? = nil) {
                self.method = method
                self.path = path
                self.protocol = `protocol`
                self.sourceIp = sourceIp
                self.userAgent = userAgent
            }
        }

        /// Whichever authorizer ran: the built-in JWT authorizer, a Lambda authorizer, or IAM.
        public struct Authorizer: Codable, Sendable, Equatable {
            public var jwt: JWT?
            public var lambda: [String: JSONValue]?
            public var iam: [String: JSONValue]?

            /// An authorizer block (the local stack builds them).
            public init(jwt: JWT? = nil, lambda: [String: JSONValue]? = nil, iam: [String: JSONValue]? = nil) {
                self.jwt = jwt
                self.lambda = lambda
                self.iam = iam
            }

            /// The JWT authorizer's verified claims (values as strings) and scopes.
            public struct JWT: Codable, Sendable, Equatable {
                public var claims: [String: JSONValue]?
                public var scopes: [String]?

                /// A JWT authorizer block.
                public init(claims: [String: JSONValue]?, scopes: [String]?) {
                    self.claims = claims
                    self.scopes = scopes
                }
            }
        }
    }
}
