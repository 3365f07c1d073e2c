@_spi(Gatehouse) import JSON

/// An API Gateway proxy event (REST payload 1.0 or HTTP API 2.0) read in one pass over its bytes, holding what a
/// request is made of. No dictionary tree and no typed event are built in between: that cost more than most handlers.
/// Each member is checked against the shape `APIGatewayV1Request` / `APIGatewayV2Request` give it, and refused as
/// their `Decodable` would refuse it; the payload version is only known at the end, so a mismatch is held per version.
struct ProxyEvent {
    /// A member of the wrong shape, or a required one missing, named by its path (`requestContext.http`).
    struct Mismatch: Error {
        let member: String
    }

    /// Which payload versions read a member.
    enum Reader {
        case rest, httpAPI, both
    }

    var isVersion2 = false
    var path: String?
    var httpMethod: String?
    var rawPath: String?
    var rawQueryString: String?
    var headers: [(name: String, value: String)] = []
    /// A REST event's multi-value headers, one pair per value; they win over `headers` when the object has members.
    var multiValueHeaders: [(name: String, value: String)] = []
    var hasMultiValueHeaders = false
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
    var authorizer: EventAuthorizer?
    private var restMismatch: String?
    private var httpAPIMismatch: String?

    /// Reads `bytes`; throws `Mismatch` for a member of the wrong shape and the scanner's error for bad JSON.
    init(_ bytes: [UInt8]) throws {
        try JSONScanner.scan(bytes) { scanner in
            var deferredHeaders: JSONScanner.Bookmark?
            try scanner.members { name, scanner in try self.readTopLevel(name, &scanner, &deferredHeaders) }
            if let deferredHeaders, isVersion2 || !hasMultiValueHeaders {
                headers = try scanner.reading(at: deferredHeaders) { try Shape.stringPairs(&$0) } ?? []
            }
        }
        let missing = isVersion2
            ? (rawPath == nil ? "rawPath" : !hasHTTP ? "requestContext.http" : method == nil ? "requestContext.http.method" : nil)
            : (path == nil ? "path" : httpMethod == nil ? "httpMethod" : nil)
        if let mismatch = (isVersion2 ? httpAPIMismatch : restMismatch) ?? missing { throw Mismatch(member: mismatch) }
    }

    /// One member of the event. A REST event's `headers` are checked but built only at the end, when no
    /// `multiValueHeaders` (which API Gateway sends too, holding the same fields) made them moot.
    private mutating func readTopLevel(_ name: JSONMemberName, _ scanner: inout JSONScanner,
                                       _ deferredHeaders: inout JSONScanner.Bookmark?) throws {
        switch name {
        case "version": isVersion2 = try Shape.string(&scanner) == "2.0"
        case "path": path = try read("path", .rest, &scanner, Shape.string)
        case "httpMethod": httpMethod = try read("httpMethod", .rest, &scanner, Shape.string)
        case "rawPath": rawPath = try read("rawPath", .httpAPI, &scanner, Shape.string)
        case "rawQueryString": rawQueryString = try read("rawQueryString", .httpAPI, &scanner, Shape.string)
        case "headers" where isVersion2: headers = try read("headers", .both, &scanner, Shape.stringPairs) ?? []
        case "headers":
            let bookmark = scanner.bookmark()
            if try read("headers", .both, &scanner, Shape.stringMembers) != nil { deferredHeaders = bookmark }
        case "multiValueHeaders":
            let fields = try read("multiValueHeaders", .rest, &scanner, Shape.flattenedStringLists)
            multiValueHeaders = fields?.pairs ?? []
            hasMultiValueHeaders = fields.map { $0.members > 0 } ?? false
        case "queryStringParameters":
            queryStringParameters = try read("queryStringParameters", .both, &scanner, Shape.stringPairs) ?? []
        case "multiValueQueryStringParameters":
            multiValueQueryStringParameters = try read("multiValueQueryStringParameters", .rest, &scanner, Shape.stringLists) ?? []
        case "pathParameters": pathParameters = try read("pathParameters", .both, &scanner, Shape.stringMap) ?? [:]
        case "cookies": cookies = try read("cookies", .httpAPI, &scanner, Shape.strings) ?? []
        case "body": body = try read("body", .both, &scanner, Shape.string)
        case "isBase64Encoded": isBase64Encoded = try read("isBase64Encoded", .both, &scanner, Shape.bool) ?? false
        case "resource": _ = try read("resource", .rest, &scanner, Shape.isString)
        case "routeKey": _ = try read("routeKey", .httpAPI, &scanner, Shape.isString)
        case "stageVariables": _ = try read("stageVariables", .both, &scanner, Shape.stringMembers)
        case "requestContext":
            guard try !scanner.null() else { return }
            guard try scanner.kind() == .object else { return try mismatch("requestContext", .both, &scanner) }
            try scanner.members { name, scanner in try self.readContext(name, &scanner) }
        default: try scanner.skip()
        }
    }

    private mutating func readContext(_ name: JSONMemberName, _ scanner: inout JSONScanner) throws {
        let path = "requestContext."
        switch name {
        case "requestId": requestID = try read(path + "requestId", .both, &scanner, Shape.string)
        case "authorizer": try readAuthorizer(&scanner)
        case "identity":
            guard try !scanner.null() else { return }
            guard try scanner.kind() == .object else { return try mismatch(path + "identity", .rest, &scanner) }
            try scanner.members { name, scanner in try self.readIdentity(name, &scanner) }
        case "http":
            guard try !scanner.null() else { return }
            guard try scanner.kind() == .object else { return try mismatch(path + "http", .httpAPI, &scanner) }
            hasHTTP = true
            try scanner.members { name, scanner in try self.readHTTP(name, &scanner) }
        case "accountId": _ = try read(path + "accountId", .both, &scanner, Shape.isString)
        case "apiId": _ = try read(path + "apiId", .both, &scanner, Shape.isString)
        case "stage": _ = try read(path + "stage", .both, &scanner, Shape.isString)
        case "resourcePath": _ = try read(path + "resourcePath", .rest, &scanner, Shape.isString)
        case "path": _ = try read(path + "path", .rest, &scanner, Shape.isString)
        case "httpMethod": _ = try read(path + "httpMethod", .rest, &scanner, Shape.isString)
        case "requestTimeEpoch": _ = try read(path + "requestTimeEpoch", .rest, &scanner, Shape.number)
        case "domainName": _ = try read(path + "domainName", .httpAPI, &scanner, Shape.isString)
        case "routeKey": _ = try read(path + "routeKey", .httpAPI, &scanner, Shape.isString)
        case "time": _ = try read(path + "time", .httpAPI, &scanner, Shape.isString)
        case "timeEpoch": _ = try read(path + "timeEpoch", .httpAPI, &scanner, Shape.number)
        default: try scanner.skip()
        }
    }

    private mutating func readIdentity(_ name: JSONMemberName, _ scanner: inout JSONScanner) throws {
        let path = "requestContext.identity."
        switch name {
        case "sourceIp": identity.sourceIp = try read(path + "sourceIp", .rest, &scanner, Shape.string)
        case "userAgent": identity.userAgent = try read(path + "userAgent", .rest, &scanner, Shape.string)
        case "userArn": identity.userArn = try read(path + "userArn", .rest, &scanner, Shape.string)
        case "accessKey": identity.accessKey = try read(path + "accessKey", .rest, &scanner, Shape.string)
        case "accountId": identity.accountId = try read(path + "accountId", .rest, &scanner, Shape.string)
        case "caller": identity.caller = try read(path + "caller", .rest, &scanner, Shape.string)
        case "user", "apiKey", "apiKeyId": _ = try read(path + name.text, .rest, &scanner, Shape.isString)
        default: try scanner.skip()
        }
    }

    private mutating func readHTTP(_ name: JSONMemberName, _ scanner: inout JSONScanner) throws {
        let path = "requestContext.http."
        switch name {
        case "method": method = try read(path + "method", .httpAPI, &scanner, Shape.string)
        case "sourceIp": sourceIP = try read(path + "sourceIp", .httpAPI, &scanner, Shape.string)
        case "path": _ = try read(path + "path", .httpAPI, &scanner, Shape.isString)
        case "protocol": _ = try read(path + "protocol", .httpAPI, &scanner, Shape.isString)
        case "userAgent": _ = try read(path + "userAgent", .httpAPI, &scanner, Shape.isString)
        default: try scanner.skip()
        }
    }

    /// The member's value read by `shape`: nil when `null`, or when of another shape (then held as the mismatch of the
    /// versions that read it).
    mutating func read<T>(_ member: @autoclosure () -> String, _ reader: Reader, _ scanner: inout JSONScanner,
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

    /// Notes `member` as of the wrong shape for the versions `reader` names (the first one each version meets).
    mutating func hold(_ member: String, _ reader: Reader) {
        if reader != .httpAPI, restMismatch == nil { restMismatch = member }
        if reader != .rest, httpAPIMismatch == nil { httpAPIMismatch = member }
    }
}

/// Readers of one value of a given shape. Each consumes the value whatever it is, and returns nil when the value is of
/// another shape, so a mismatch never leaves the scanner inside it.
enum Shape {
    static func string(_ scanner: inout JSONScanner) throws -> String? {
        guard try scanner.kind() == .string else { try scanner.skip(); return nil }
        return try scanner.string()
    }

    /// True when the value is a string, checked without building it (members the request does not hold).
    static func isString(_ scanner: inout JSONScanner) throws -> Bool? {
        let fits = try scanner.kind() == .string
        try scanner.skip()
        return fits ? true : nil
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

    /// An object's members in order, each value read by `shape`.
    static func pairs<T>(_ scanner: inout JSONScanner, _ shape: (inout JSONScanner) throws -> T?) throws -> [(name: String, value: T)]? {
        guard try scanner.kind() == .object else { try scanner.skip(); return nil }
        var pairs: [(name: String, value: T)] = []
        var fits = true
        try scanner.members { name, scanner in
            if let value = try shape(&scanner) { pairs.append((name.text, value)) } else { fits = false }
        }
        return fits ? pairs : nil
    }

    static func stringPairs(_ scanner: inout JSONScanner) throws -> [(name: String, value: String)]? {
        try pairs(&scanner, string)
    }

    static func stringLists(_ scanner: inout JSONScanner) throws -> [(name: String, values: [String])]? {
        try pairs(&scanner, strings)?.map { ($0.name, $0.value) }
    }

    /// An object of string lists as one pair per string, and how many members it had.
    static func flattenedStringLists(_ scanner: inout JSONScanner) throws -> (pairs: [(name: String, value: String)], members: Int)? {
        guard try scanner.kind() == .object else { try scanner.skip(); return nil }
        var pairs: [(name: String, value: String)] = []
        var members = 0
        var fits = true
        try scanner.members { name, scanner in
            members += 1
            guard try scanner.kind() == .array else { try scanner.skip(); return fits = false }
            let text = name.text
            try scanner.elements { scanner in
                if let value = try string(&scanner) { pairs.append((text, value)) } else { fits = false }
            }
        }
        return fits ? (pairs, members) : nil
    }

    /// True when the value is an object of strings, checked without building them.
    static func stringMembers(_ scanner: inout JSONScanner) throws -> Bool? {
        guard try scanner.kind() == .object else { try scanner.skip(); return nil }
        var fits = true
        try scanner.members { _, scanner in
            if try scanner.kind() != .string { fits = false }
            try scanner.skip()
        }
        return fits ? true : nil
    }

    static func stringMap(_ scanner: inout JSONScanner) throws -> [String: String]? {
        guard try scanner.kind() == .object else { try scanner.skip(); return nil }
        var map: [String: String] = [:]
        var fits = true
        try scanner.members { name, scanner in
            guard let value = try string(&scanner) else { return fits = false }
            map[name.text] = value
        }
        return fits ? map : nil
    }
}
