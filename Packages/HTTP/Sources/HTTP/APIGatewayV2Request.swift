public import JSON

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
