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

    /// The request context, as far as handlers use it.
    public struct RequestContext: Codable, Sendable, Equatable {
        public var accountId: String?
        public var apiId: String?
        public var stage: String?
        public var requestId: String?
        public var resourcePath: String?
        public var httpMethod: String?
        public var requestTimeEpoch: Double?
        public var identity: Identity?
        /// What the API's authorizer returned: `principalId`, its context values (string, number or bool), and
        /// API Gateway's own numbers such as `integrationLatency`; Cognito authorizers add a `claims` object.
        public var authorizer: [String: JSONValue]?

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

            /// An identity.
            public init(sourceIp: String? = nil, userAgent: String? = nil, userArn: String? = nil, accessKey: String? = nil,
                        accountId: String? = nil, caller: String? = nil) {
                self.sourceIp = sourceIp
                self.userAgent = userAgent
                self.userArn = userArn
                self.accessKey = accessKey
                self.accountId = accountId
                self.caller = caller
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

        /// Method, path and caller facts.
        public struct HTTP: Codable, Sendable, Equatable {
            public var method: String
            public var path: String?
            public var `protocol`: String?
            public var sourceIp: String?
            public var userAgent: String?
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
