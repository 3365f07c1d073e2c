@_spi(Gatehouse) import JSON

/// `requestContext.authorizer` read in the same pass as the rest of the event, into what a caller is made of: the
/// block's own values (a REST authorizer's context and `principalId`), a REST Cognito authorizer's `claims`, and an
/// HTTP API's `jwt` (claims and scopes), `lambda` and `iam` blocks — every value as the text API Gateway hands on,
/// objects and lists left out. Each member is checked against the shape the event types give it.
struct EventAuthorizer {
    /// The block's own string, number and boolean members.
    var values: [String: String] = [:]
    /// Whether `principalId` and `claims` are members, whatever their value: a REST authorizer vouched for a caller.
    var hasPrincipalID = false
    var hasClaims = false
    /// A REST Cognito authorizer's claims, when `claims` is an object.
    var claims: [String: String]?
    /// The HTTP API JWT authorizer's claims (nil when absent or `null`) and scopes.
    var jwtClaims: [String: String]?
    var jwtScopes: [String]?
    /// An HTTP API Lambda authorizer's context, and an IAM caller's facts.
    var lambda: [String: String]?
    var iam: [String: String]?
}

extension ProxyEvent {
    /// Reads the authorizer block (an object, or `null`).
    mutating func readAuthorizer(_ scanner: inout JSONScanner) throws {
        let path = "requestContext.authorizer"
        guard try !scanner.null() else { return }
        guard try scanner.kind() == .object else { try scanner.skip(); return hold(path, .both) }
        var block = EventAuthorizer()
        try scanner.members { name, scanner in
            switch name {
            case "jwt" where try scanner.kind() == .object:
                let jwt = path + ".jwt"
                try scanner.members { name, scanner in
                    switch name {
                    case "claims": block.jwtClaims = try self.read(jwt + ".claims", .httpAPI, &scanner, Shape.texts)
                    case "scopes": block.jwtScopes = try self.read(jwt + ".scopes", .httpAPI, &scanner, Shape.strings)
                    default: try scanner.skip()
                    }
                }
            case "lambda" where try scanner.kind() == .object:
                block.lambda = try self.read(path + ".lambda", .httpAPI, &scanner, Shape.texts)
            case "iam" where try scanner.kind() == .object:
                block.iam = try self.read(path + ".iam", .httpAPI, &scanner, Shape.texts)
            case "claims" where try scanner.kind() == .object:
                block.hasClaims = true
                block.claims = try self.read(path + ".claims", .rest, &scanner, Shape.texts)
            default:
                // Any other value is one of a REST authorizer's context; for an HTTP API, `jwt`, `lambda` and `iam`
                // must be objects or `null`.
                if name == "jwt" || name == "lambda" || name == "iam", try scanner.kind() != .null {
                    self.hold(path + "." + name.text, .httpAPI)
                }
                if name == "principalId" { block.hasPrincipalID = true }
                if name == "claims" { block.hasClaims = true }
                if let text = try Shape.text(&scanner) { block.values[name.text] = text }
            }
        }
        authorizer = block
    }
}

extension Shape {
    /// An object's string, number and boolean members as text (the others left out); nil for another shape.
    static func texts(_ scanner: inout JSONScanner) throws -> [String: String]? {
        guard try scanner.kind() == .object else { try scanner.skip(); return nil }
        var texts: [String: String] = [:]
        texts.reserveCapacity(8)  // a token's claims, without growing the table through 1, 3 and 6
        try scanner.members { name, scanner in
            if let text = try Self.text(&scanner) { texts[name.text] = text }
        }
        return texts
    }

    /// A string, number or boolean as API Gateway writes it into a context (`AuthorizerContextValue`); nil (skipped)
    /// for anything else.
    static func text(_ scanner: inout JSONScanner) throws -> String? {
        switch try scanner.kind() {
        case .string: return try scanner.string()
        case .number: return JSONText.number(try scanner.number())
        case .bool: return try scanner.bool() ? "true" : "false"
        case .object, .array, .null:
            try scanner.skip()
            return nil
        }
    }
}
