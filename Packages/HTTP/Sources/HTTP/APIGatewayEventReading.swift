public import JWT

/// The members of one event object (or of a function's proxy response), read by type: absent or `null` is nil, any
/// other shape than the one asked for is an error naming the member (as a `Decodable` would refuse it). Events are
/// read this way instead of through `JSONDecoder`, which spent most of a warm invocation's instructions on a 3 KB REST
/// event.
public struct EventMembers {
    /// A member of another type than asked for.
    public struct Mismatch: Error {
        /// Its path (`requestContext.http`).
        public let member: String
    }

    let members: [String: JSONValue]
    let path: String

    /// What `APIGatewayV1Request` and `APIGatewayV2Request` are read from; the rest of an event (most of its
    /// `requestContext`) is checked and skipped, not built.
    static let proxyRequest: [String: JSONSelection] = {
        let anything = JSONSelection.everything
        let context: [String: JSONSelection] = [
            "accountId": anything, "apiId": anything, "stage": anything, "requestId": anything, "resourcePath": anything,
            "httpMethod": anything, "requestTimeEpoch": anything, "authorizer": anything, "domainName": anything,
            "routeKey": anything, "time": anything, "timeEpoch": anything, "http": anything,
            "identity": .members(["sourceIp": anything, "userAgent": anything, "userArn": anything, "accessKey": anything,
                                  "accountId": anything, "caller": anything]),
        ]
        var event: [String: JSONSelection] = ["requestContext": .members(context)]
        for name in ["version", "resource", "path", "httpMethod", "headers", "multiValueHeaders", "queryStringParameters",
                     "multiValueQueryStringParameters", "pathParameters", "stageVariables", "body", "isBase64Encoded",
                     "routeKey", "rawPath", "rawQueryString", "cookies"] {
            event[name] = anything
        }
        return event
    }()

    /// The members of one object.
    public init(_ members: [String: JSONValue]) {
        self.init(members, path: "")
    }

    private init(_ members: [String: JSONValue], path: String) {
        self.members = members
        self.path = path
    }

    /// The member `name` as `extract` reads it: nil when absent or `null`, a mismatch when `extract` refuses it.
    private func member<T>(_ name: String, _ extract: (JSONValue) -> T?) throws(Mismatch) -> T? {
        guard let value = members[name], value != .null else { return nil }
        guard let typed = extract(value) else { throw Mismatch(member: path + name) }
        return typed
    }

    /// A string member.
    public func string(_ name: String) throws(Mismatch) -> String? { try member(name, \.stringValue) }

    func requiredString(_ name: String) throws(Mismatch) -> String {
        guard let text = try string(name) else { throw Mismatch(member: path + name) }
        return text
    }

    /// A boolean member.
    public func bool(_ name: String) throws(Mismatch) -> Bool? {
        try member(name) { if case .bool(let flag) = $0 { flag } else { nil } }
    }

    func number(_ name: String) throws(Mismatch) -> Double? { try member(name, \.numberValue) }

    func values(_ name: String) throws(Mismatch) -> [String: JSONValue]? { try member(name, \.objectValue) }

    func object(_ name: String) throws(Mismatch) -> EventMembers? {
        try values(name).map { EventMembers($0, path: path + name + ".") }
    }

    /// A member that is a list of strings.
    public func strings(_ name: String) throws(Mismatch) -> [String]? { try member(name, Self.texts) }

    /// A member that is an object of strings.
    public func stringMap(_ name: String) throws(Mismatch) -> [String: String]? {
        try member(name) { value in value.objectValue.flatMap { Self.all($0, \.stringValue) } }
    }

    /// A member that is an object of string lists.
    public func stringListMap(_ name: String) throws(Mismatch) -> [String: [String]]? {
        try member(name) { value in value.objectValue.flatMap { Self.all($0, Self.texts) } }
    }

    private static func texts(_ value: JSONValue) -> [String]? {
        guard let elements = value.arrayValue else { return nil }
        let texts = elements.compactMap(\.stringValue)
        return texts.count == elements.count ? texts : nil
    }

    /// Every value of `members` read by `extract`, or nil when one is refused.
    private static func all<T>(_ members: [String: JSONValue], _ extract: (JSONValue) -> T?) -> [String: T]? {
        var map: [String: T] = [:]
        map.reserveCapacity(members.count)
        for (key, value) in members {
            guard let typed = extract(value) else { return nil }
            map[key] = typed
        }
        return map
    }
}

extension APIGatewayV1Request {
    /// A REST API event read from its members.
    init(_ event: EventMembers) throws(EventMembers.Mismatch) {
        let context = try event.object("requestContext")
        self.init(resource: try event.string("resource"), path: try event.requiredString("path"),
                  httpMethod: try event.requiredString("httpMethod"), headers: try event.stringMap("headers"),
                  multiValueHeaders: try event.stringListMap("multiValueHeaders"),
                  queryStringParameters: try event.stringMap("queryStringParameters"),
                  multiValueQueryStringParameters: try event.stringListMap("multiValueQueryStringParameters"),
                  pathParameters: try event.stringMap("pathParameters"), stageVariables: try event.stringMap("stageVariables"),
                  body: try event.string("body"), isBase64Encoded: try event.bool("isBase64Encoded"),
                  requestContext: try context.map { context throws(EventMembers.Mismatch) in
                      let identity = try context.object("identity")
                      return RequestContext(
                          accountId: try context.string("accountId"), apiId: try context.string("apiId"),
                          stage: try context.string("stage"), requestId: try context.string("requestId"),
                          resourcePath: try context.string("resourcePath"), httpMethod: try context.string("httpMethod"),
                          requestTimeEpoch: try context.number("requestTimeEpoch"),
                          identity: try identity.map { identity throws(EventMembers.Mismatch) in
                              RequestContext.Identity(
                                  sourceIp: try identity.string("sourceIp"), userAgent: try identity.string("userAgent"),
                                  userArn: try identity.string("userArn"), accessKey: try identity.string("accessKey"),
                                  accountId: try identity.string("accountId"), caller: try identity.string("caller"))
                          },
                          authorizer: try context.values("authorizer"))
                  })
    }
}

extension APIGatewayV2Request {
    /// An HTTP API event read from its members.
    init(_ event: EventMembers) throws(EventMembers.Mismatch) {
        guard let context = try event.object("requestContext"), let http = try context.object("http") else {
            throw EventMembers.Mismatch(member: "requestContext.http")
        }
        let authorizer = try context.object("authorizer")
        self.init(
            version: try event.requiredString("version"), routeKey: try event.string("routeKey"),
            rawPath: try event.requiredString("rawPath"), rawQueryString: try event.string("rawQueryString"),
            cookies: try event.strings("cookies"), headers: try event.stringMap("headers"),
            queryStringParameters: try event.stringMap("queryStringParameters"),
            pathParameters: try event.stringMap("pathParameters"), stageVariables: try event.stringMap("stageVariables"),
            body: try event.string("body"), isBase64Encoded: try event.bool("isBase64Encoded"),
            requestContext: RequestContext(
                accountId: try context.string("accountId"), apiId: try context.string("apiId"),
                domainName: try context.string("domainName"), requestId: try context.string("requestId"),
                routeKey: try context.string("routeKey"), stage: try context.string("stage"), time: try context.string("time"),
                timeEpoch: try context.number("timeEpoch"),
                http: RequestContext.HTTP(method: try http.requiredString("method"), path: try http.string("path"),
                                          protocol: try http.string("protocol"), sourceIp: try http.string("sourceIp"),
                                          userAgent: try http.string("userAgent")),
                authorizer: try authorizer.map { authorizer throws(EventMembers.Mismatch) in
                    let jwt = try authorizer.object("jwt")
                    return RequestContext.Authorizer(
                        jwt: try jwt.map { jwt throws(EventMembers.Mismatch) in
                            RequestContext.Authorizer.JWT(claims: try jwt.values("claims"), scopes: try jwt.strings("scopes"))
                        },
                        lambda: try authorizer.values("lambda"), iam: try authorizer.values("iam"))
                }))
    }
}
