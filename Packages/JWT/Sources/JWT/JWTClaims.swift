import FoundationEssentials

/// The claims of a verified token: typed registered claims, scopes from `scope` and `scp`, every member, and
/// `decode(_:)` for your own `Codable` claims type.
public struct JWTClaims: Sendable {
    /// Every member of the payload.
    public let members: [String: JSONValue]
    /// The payload bytes, for `decode(_:)`.
    public let payload: [UInt8]

    /// Parses a payload that must be a JSON object whose registered claims have their registered types
    /// (NumericDate a JSON number, `aud` a string or array of strings, `scope` a string, `scp` a string or array).
    init(payload: [UInt8]) throws(JWTError) {
        do {
            members = try JSONReader.object(payload)
        } catch {
            throw JWTError(.malformed, "payload: \(error.reason)")
        }
        self.payload = payload
        for name in ["iss", "sub", "jti", "scope"] where members[name] != nil && members[name]?.stringValue == nil {
            throw JWTError(.invalidClaim, "\(name) must be a string")
        }
        for name in ["exp", "nbf", "iat"] where members[name] != nil && members[name]?.numberValue == nil {
            throw JWTError(.invalidClaim, "\(name) must be a NumericDate (a JSON number)")
        }
        if let audience = members["aud"], Self.strings(audience) == nil {
            throw JWTError(.invalidClaim, "aud must be a string or an array of strings")
        }
        if let scp = members["scp"], Self.strings(scp) == nil {
            throw JWTError(.invalidClaim, "scp must be a string or an array of strings")
        }
    }

    /// `iss`.
    public var issuer: String? { members["iss"]?.stringValue }
    /// `sub`.
    public var subject: String? { members["sub"]?.stringValue }
    /// `aud`, always as a list.
    public var audiences: [String] { members["aud"].flatMap(Self.strings) ?? [] }
    /// `exp`, seconds since the epoch.
    public var expiresAt: Double? { members["exp"]?.numberValue }
    /// `nbf`, seconds since the epoch.
    public var notBefore: Double? { members["nbf"]?.numberValue }
    /// `iat`, seconds since the epoch.
    public var issuedAt: Double? { members["iat"]?.numberValue }
    /// `jti`.
    public var tokenID: String? { members["jti"]?.stringValue }

    /// The granted scopes: the space-separated `scope` claim (OAuth 2.0, Auth0) and the `scp` claim (Okta, Azure),
    /// split exactly; a scope is only ever compared whole.
    public var scopes: [String] {
        var found: [String] = []
        if let scope = members["scope"]?.stringValue { found += scope.split(separator: " ").map(String.init) }
        if let scp = members["scp"].flatMap(Self.strings) {
            found += scp.flatMap { $0.split(separator: " ").map(String.init) }
        }
        return found
    }

    /// A member by name.
    public subscript(name: String) -> JSONValue? { members[name] }

    /// Decodes the payload as your own claims type.
    public func decode<Claims: Decodable>(_ type: Claims.Type) throws -> Claims {
        try JSONDecoder().decode(Claims.self, from: Data(payload))
    }

    private static func strings(_ value: JSONValue) -> [String]? {
        if let single = value.stringValue { return [single] }
        guard let array = value.arrayValue else { return nil }
        let strings = array.compactMap(\.stringValue)
        return strings.count == array.count ? strings : nil
    }
}
