@_spi(Gatehouse) import JSON
import Policy

extension TokenAuthorizerEvent {
    /// A TOKEN authorizer event read in one pass: `type`, `authorizationToken` and `methodArn` must be strings (as
    /// `Decodable` requires them); other members are checked and skipped. Nil when the bytes are no such event.
    init?(reading bytes: [UInt8]) {
        let read = try? JSONScanner.scan(bytes) { scanner -> (token: String?, methodARN: String?, typed: Bool) in
            var found: (token: String?, methodARN: String?, typed: Bool) = (nil, nil, false)
            try scanner.members { name, scanner in
                switch name {
                case "type": found.typed = try scanner.kind() == .string; try scanner.skip()
                case "authorizationToken": found.token = try scanner.string()
                case "methodArn": found.methodARN = try scanner.string()
                default: try scanner.skip()
                }
            }
            return found
        }
        guard let read, read.typed, let token = read.token, let methodARN = read.methodARN else { return nil }
        self.init(authorizationToken: token, methodArn: methodARN)
    }
}

extension RequestAuthorizerEvent {
    /// The members a REQUEST authorizer event is read from; the rest is checked and skipped, not built.
    static let members: [String: JSONSelection] = {
        let anything = JSONSelection.everything
        var event: [String: JSONSelection] = [
            "requestContext": .members(["accountId": anything, "apiId": anything, "stage": anything, "requestId": anything,
                                        "path": anything, "identity": .members(["sourceIp": anything]),
                                        "http": .members(["method": anything, "path": anything, "sourceIp": anything])]),
        ]
        for name in ["version", "type", "methodArn", "routeArn", "identitySource", "resource", "path", "rawPath", "routeKey",
                     "httpMethod", "headers", "multiValueHeaders", "queryStringParameters", "pathParameters", "stageVariables"] {
            event[name] = anything
        }
        return event
    }()

    /// A REQUEST authorizer event read from its members, as `Decodable` would read it (the same members required,
    /// the same mismatches refused).
    init(_ event: EventMembers) throws(EventMembers.Mismatch) {
        let context = try event.object("requestContext")
        // Payload 2.0 lists the identity source values; 1.0 and REST join them with commas.
        let identitySource: IdentitySource? = if let list = try? event.strings("identitySource") { .list(list) }
            else { try event.string("identitySource").map(IdentitySource.joined) }
        self.init(
            version: try event.string("version"), type: try event.requiredString("type"),
            methodArn: try event.string("methodArn"), routeArn: try event.string("routeArn"), identitySource: identitySource,
            resource: try event.string("resource"), path: try event.string("path"), rawPath: try event.string("rawPath"),
            routeKey: try event.string("routeKey"), httpMethod: try event.string("httpMethod"),
            headers: try event.stringMap("headers"), queryStringParameters: try event.stringMap("queryStringParameters"),
            pathParameters: try event.stringMap("pathParameters"), stageVariables: try event.stringMap("stageVariables"),
            requestContext: try context.map { context throws(EventMembers.Mismatch) in
                let identity = try context.object("identity"), http = try context.object("http")
                return RequestContext(
                    accountId: try context.string("accountId"), apiId: try context.string("apiId"),
                    stage: try context.string("stage"), requestId: try context.string("requestId"),
                    path: try context.string("path"), identity: try identity.map { identity throws(EventMembers.Mismatch) in
                        RequestContext.Identity(sourceIp: try identity.string("sourceIp"))
                    },
                    http: try http.map { http throws(EventMembers.Mismatch) in
                        RequestContext.HTTP(method: try http.string("method"), path: try http.string("path"),
                                            sourceIp: try http.string("sourceIp"))
                    })
            },
            multiValueHeaders: try event.stringListMap("multiValueHeaders"))
    }
}
