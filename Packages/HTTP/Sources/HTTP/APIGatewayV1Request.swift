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
                    requestTimeEpoch: Double? = nil, identity: Identity? = nil,
                    authorizer: [String: JSONValue]? = nil) {
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
