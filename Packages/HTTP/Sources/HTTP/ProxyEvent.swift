import JWT

/// An API Gateway proxy event (REST payload 1.0 or HTTP API 2.0) read in one pass over its bytes, holding what a
/// request is made of. No dictionary tree and no typed event are built in between: that cost more than most handlers.
/// Each member is checked against the shape `APIGatewayV1Request` / `APIGatewayV2Request` give it, and refused as
/// their `Decodable` would refuse it; the payload version is only known at the end, so a mismatch is held per version.
struct ProxyEvent {
    /// A member of the wrong shape, or a required one missing, named by its path (`requestContext.http`).
    struct Mismatch: Error, Equatable {
        let member: String
    }

    /// Which payload versions read a member.
    private enum Reader {
        case rest, httpAPI, both
    }

    var isVersion2 = false
    var path: String?
    var httpMethod: String?
    var rawPath: String?
    var rawQueryString: String?
    var headers: [(name: String, value: String)] = []
    var multiValueHeaders: [(name: String, values: [String])] = []
    var queryStringParameters: [(name: String, value: String)] = []
    var multiValueQueryStringParameters: [(name: String, values: [String])] = []
    var pathParameters: [String: String] = [:]
    var cookies: [String] = []
    var body: String?
    var isBase64Encoded = false
    var requestID: String?
    var identity = APIGatewayV1Request.RequestContext.Identity()
    var method: String?
    var sourceIP: String?
    var hasHTTP = false
    var authorizer: JSONValue?
    private var restMismatch: String?
    private var httpAPIMismatch: String?

    /// Reads `bytes`; throws `Mismatch` for a member of the wrong shape and the scanner's error for bad JSON.
    init(_ bytes: [UInt8]) throws {
        try JSONScanner.scan(bytes) { scanner in
            var seen = SeenMembers()
            try scanner.members { name, scanner in try self.readTopLevel(name, &scanner, &seen) }
        }
        let missing = isVersion2
            ? (rawPath == nil ? "rawPath" : !hasHTTP ? "requestContext.http" : method == nil ? "requestContext.http.method" : nil)
            : (path == nil ? "path" : httpMethod == nil ? "httpMethod" : nil)
        if let mismatch = (isVersion2 ? httpAPIMismatch : restMismatch) ?? missing { throw Mismatch(member: mismatch) }
    }

    private mutating func readTopLevel(_ name: JSONMemberName, _ scanner: inout JSONScanner, _ seen: inout SeenMembers) throws {
        switch name {
        case "version": try seen.once(0); isVersion2 = try Shape.string(&scanner) == "2.0"
        case "path": try seen.once(1); path = try read("path", .rest, &scanner, Shape.string)
        case "httpMethod": try seen.once(2); httpMethod = try read("httpMethod", .rest, &scanner, Shape.string)
        case "rawPath": try seen.once(3); rawPath = try read("rawPath", .httpAPI, &scanner, Shape.string)
        case "rawQueryString": try seen.once(4); rawQueryString = try read("rawQueryString", .httpAPI, &scanner, Shape.string)
        case "headers": try seen.once(5); headers = try read("headers", .both, &scanner, Shape.stringPairs) ?? []
        case "multiValueHeaders":
            try seen.once(6)
            multiValueHeaders = try read("multiValueHeaders", .rest, &scanner, Shape.stringLists) ?? []
        case "queryStringParameters":
            try seen.once(7)
            queryStringParameters = try read("queryStringParameters", .both, &scanner, Shape.stringPairs) ?? []
        case "multiValueQueryStringParameters":
            try seen.once(8)
            multiValueQueryStringParameters = try read("multiValueQueryStringParameters", .rest, &scanner, Shape.stringLists) ?? []
        case "pathParameters": try seen.once(9); pathParameters = try read("pathParameters", .both, &scanner, Shape.stringMap) ?? [:]
        case "cookies": try seen.once(10); cookies = try read("cookies", .httpAPI, &scanner, Shape.strings) ?? []
        case "body": try seen.once(11); body = try read("body", .both, &scanner, Shape.string)
        case "isBase64Encoded": try seen.once(12); isBase64Encoded = try read("isBase64Encoded", .both, &scanner, Shape.bool) ?? false
        case "resource": try seen.once(13); _ = try read("resource", .rest, &scanner, Shape.string)
        case "routeKey": try seen.once(14); _ = try read("routeKey", .httpAPI, &scanner, Shape.string)
        case "stageVariables": try seen.once(15); _ = try read("stageVariables", .both, &scanner, Shape.stringMap)
        case "requestContext":
            try seen.once(16)
            guard try !scanner.null() else { return }
            guard try scanner.kind() == .object else { return try mismatch("requestContext", .both, &scanner) }
            var seenInContext = SeenMembers()
            try scanner.members { name, scanner in try self.readContext(name, &scanner, &seenInContext) }
        default: try scanner.skip()
        }
    }

    private mutating func readContext(_ name: JSONMemberName, _ scanner: inout JSONScanner, _ seen: inout SeenMembers) throws {
        let path = "requestContext."
        switch name {
        case "requestId": try seen.once(0); requestID = try read(path + "requestId", .both, &scanner, Shape.string)
        case "authorizer":
            try seen.once(1)
            let value = try scanner.value()
            authorizer = value == .null ? nil : value
        case "identity":
            try seen.once(2)
            guard try !scanner.null() else { return }
            guard try scanner.kind() == .object else { return try mismatch(path + "identity", .rest, &scanner) }
            var seenInIdentity = SeenMembers()
            try scanner.members { name, scanner in try self.readIdentity(name, &scanner, &seenInIdentity) }
        case "http":
            try seen.once(3)
            guard try !scanner.null() else { return }
            guard try scanner.kind() == .object else { return try mismatch(path + "http", .httpAPI, &scanner) }
            hasHTTP = true
            var seenInHTTP = SeenMembers()
            try scanner.members { name, scanner in try self.readHTTP(name, &scanner, &seenInHTTP) }
        case "accountId": try seen.once(4); _ = try read(path + "accountId", .both, &scanner, Shape.string)
        case "apiId": try seen.once(5); _ = try read(path + "apiId", .both, &scanner, Shape.string)
        case "stage": try seen.once(6); _ = try read(path + "stage", .both, &scanner, Shape.string)
        case "resourcePath": try seen.once(7); _ = try read(path + "resourcePath", .rest, &scanner, Shape.string)
        case "httpMethod": try seen.once(8); _ = try read(path + "httpMethod", .rest, &scanner, Shape.string)
        case "requestTimeEpoch": try seen.once(9); _ = try read(path + "requestTimeEpoch", .rest, &scanner, Shape.number)
        case "domainName": try seen.once(10); _ = try read(path + "domainName", .httpAPI, &scanner, Shape.string)
        case "routeKey": try seen.once(11); _ = try read(path + "routeKey", .httpAPI, &scanner, Shape.string)
        case "time": try seen.once(12); _ = try read(path + "time", .httpAPI, &scanner, Shape.string)
        case "timeEpoch": try seen.once(13); _ = try read(path + "timeEpoch", .httpAPI, &scanner, Shape.number)
        default: try scanner.skip()
        }
    }

    private mutating func readIdentity(_ name: JSONMemberName, _ scanner: inout JSONScanner, _ seen: inout SeenMembers) throws {
        let path = "requestContext.identity."
        switch name {
        case "sourceIp": try seen.once(0); identity.sourceIp = try read(path + "sourceIp", .rest, &scanner, Shape.string)
        case "userAgent": try seen.once(1); identity.userAgent = try read(path + "userAgent", .rest, &scanner, Shape.string)
        case "userArn": try seen.once(2); identity.userArn = try read(path + "userArn", .rest, &scanner, Shape.string)
        case "accessKey": try seen.once(3); identity.accessKey = try read(path + "accessKey", .rest, &scanner, Shape.string)
        case "accountId": try seen.once(4); identity.accountId = try read(path + "accountId", .rest, &scanner, Shape.string)
        case "caller": try seen.once(5); identity.caller = try read(path + "caller", .rest, &scanner, Shape.string)
        default: try scanner.skip()
        }
    }

    private mutating func readHTTP(_ name: JSONMemberName, _ scanner: inout JSONScanner, _ seen: inout SeenMembers) throws {
        let path = "requestContext.http."
        switch name {
        case "method": try seen.once(0); method = try read(path + "method", .httpAPI, &scanner, Shape.string)
        case "sourceIp": try seen.once(1); sourceIP = try read(path + "sourceIp", .httpAPI, &scanner, Shape.string)
        case "path": try seen.once(2); _ = try read(path + "path", .httpAPI, &scanner, Shape.string)
        case "protocol": try seen.once(3); _ = try read(path + "protocol", .httpAPI, &scanner, Shape.string)
        case "userAgent": try seen.once(4); _ = try read(path + "userAgent", .httpAPI, &scanner, Shape.string)
        default: try scanner.skip()
        }
    }

    /// The member's value read by `shape`: nil when `null`, or when of another shape (then held as the mismatch of the
    /// versions that read it).
    private mutating func read<T>(_ member: @autoclosure () -> String, _ reader: Reader, _ scanner: inout JSONScanner,
                                  _ shape: (inout JSONScanner) throws -> T?) throws -> T? {
        guard try !scanner.null() else { return nil }
        guard let value = try shape(&scanner) else {
            hold(member(), reader)
            return nil
        }
        return value
    }

    private mutating func mismatch(_ member: String, _ reader: Reader, _ scanner: inout JSONScanner) throws {
        try scanner.skip()
        hold(member, reader)
    }

    private mutating func hold(_ member: String, _ reader: Reader) {
        if reader != .httpAPI, restMismatch == nil { restMismatch = member }
        if reader != .rest, httpAPIMismatch == nil { httpAPIMismatch = member }
    }
}

/// A member name met twice in one object.
struct RepeatedMember: Error {}

/// The members of one object already read, so a repeated one is refused (two readers disagreeing about a duplicate
/// `headers` or `authorizer` is an attack); members that are skipped are not tracked.
private struct SeenMembers {
    private var bits: UInt32 = 0

    mutating func once(_ member: Int) throws {
        let bit: UInt32 = 1 << member
        guard bits & bit == 0 else { throw RepeatedMember() }
        bits |= bit
    }
}

/// Readers of one value of a given shape. Each consumes the value whatever it is, and returns nil when the value is of
/// another shape, so a mismatch never leaves the scanner inside it.
private enum Shape {
    static func string(_ scanner: inout JSONScanner) throws -> String? {
        guard try scanner.kind() == .string else { try scanner.skip(); return nil }
        return try scanner.string()
    }

    static func number(_ scanner: inout JSONScanner) throws -> Double? {
        guard try scanner.kind() == .number else { try scanner.skip(); return nil }
        return try scanner.number()
    }

    static func bool(_ scanner: inout JSONScanner) throws -> Bool? {
        guard try scanner.kind() == .bool else { try scanner.skip(); return nil }
        return try scanner.bool()
    }

    static func strings(_ scanner: inout JSONScanner) throws -> [String]? {
        guard try scanner.kind() == .array else { try scanner.skip(); return nil }
        var texts: [String] = []
        var fits = true
        try scanner.elements { scanner in
            if let text = try string(&scanner) { texts.append(text) } else { fits = false }
        }
        return fits ? texts : nil
    }

    /// An object's members in order, each value read by `shape`; a repeated name is refused.
    static func pairs<T>(_ scanner: inout JSONScanner, _ shape: (inout JSONScanner) throws -> T?) throws -> [(name: String, value: T)]? {
        guard try scanner.kind() == .object else { try scanner.skip(); return nil }
        var pairs: [(name: String, value: T)] = []
        var fits = true
        try scanner.members { name, scanner in
            if let value = try shape(&scanner) { pairs.append((name.text, value)) } else { fits = false }
        }
        guard fits else { return nil }
        try refuseRepeatedNames(pairs.lazy.map(\.name))
        return pairs
    }

    static func stringPairs(_ scanner: inout JSONScanner) throws -> [(name: String, value: String)]? {
        try pairs(&scanner, string)
    }

    static func stringLists(_ scanner: inout JSONScanner) throws -> [(name: String, values: [String])]? {
        try pairs(&scanner, strings)?.map { ($0.name, $0.value) }
    }

    static func stringMap(_ scanner: inout JSONScanner) throws -> [String: String]? {
        guard try scanner.kind() == .object else { try scanner.skip(); return nil }
        var map: [String: String] = [:]
        var fits = true
        try scanner.members { name, scanner in
            guard let value = try string(&scanner) else { return fits = false }
            guard map.updateValue(value, forKey: name.text) == nil else { throw RepeatedMember() }
        }
        return fits ? map : nil
    }

    /// Refuses a name seen twice: a few names are compared pairwise (cheaper than hashing them), many through a set.
    private static func refuseRepeatedNames(_ names: some Collection<String>) throws {
        let repeated: Bool
        if names.count <= 32 {
            let list = Array(names)
            repeated = list.indices.contains { position in list[..<position].contains(list[position]) }
        } else {
            repeated = Set(names).count != names.count
        }
        if repeated { throw RepeatedMember() }
    }
}
