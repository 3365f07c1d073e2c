@_spi(Gatehouse) public import JSON
import FoundationEssentials
import Glibc

/// The claims of a verified token: typed registered claims, scopes from `scope` and `scp`, every member, and
/// `decode(_:)` for your own `Codable` claims type. Only the members read are ever built.
public struct JWTClaims: Sendable {
    private let index: JSONObjectIndex

    /// The payload bytes, for `decode(_:)`.
    public var payload: [UInt8] { index.bytes }

    /// Checks a payload that must be a JSON object whose registered claims have their registered types
    /// (NumericDate a JSON number, `aud` a string or array of strings, `scope` a string, `scp` a string or array).
    init(payload: [UInt8]) throws(JWTError) {
        do {
            index = try JSONObjectIndex(payload)
        } catch {
            throw JWTError(.malformed, "payload: \(error.reason)")
        }
        for name: StaticString in ["iss", "sub", "jti", "scope"] {
            if let kind = index.kind(of: name), kind != UInt8(ascii: "\"") {
                throw JWTError(.invalidClaim, "\(name) must be a string")
            }
        }
        for name: StaticString in ["exp", "nbf", "iat"] where index.contains(name) && index.number(name) == nil {
            throw JWTError(.invalidClaim, "\(name) must be a NumericDate (a JSON number)")
        }
        if index.contains("aud") && !index.isStringOrStringArray("aud") {
            throw JWTError(.invalidClaim, "aud must be a string or an array of strings")
        }
        if index.contains("scp") && !index.isStringOrStringArray("scp") {
            throw JWTError(.invalidClaim, "scp must be a string or an array of strings")
        }
    }

    /// Every member of the payload, built on demand.
    public var members: [String: JSONValue] { (try? index.allMembers()) ?? [:] }

    /// `iss`.
    public var issuer: String? { index.string("iss") }
    /// `sub`.
    public var subject: String? { index.string("sub") }
    /// `aud`, always as a list.
    public var audiences: [String] { index.strings("aud") ?? [] }
    /// `exp`, seconds since the epoch.
    public var expiresAt: Double? { index.number("exp") }
    /// `nbf`, seconds since the epoch.
    public var notBefore: Double? { index.number("nbf") }
    /// `iat`, seconds since the epoch.
    public var issuedAt: Double? { index.number("iat") }
    /// `jti`.
    public var tokenID: String? { index.string("jti") }
    /// `client_id` (Cognito access tokens, OAuth 2.0 token exchange).
    public var clientID: String? { index.string("client_id") }
    /// `token_use` (Cognito: `access` or `id`).
    public var tokenUse: String? { index.string("token_use") }
    /// `cognito:groups`, the user pool groups the user is in.
    public var groups: [String] { index.strings("cognito:groups") ?? [] }

    /// The granted scopes: the space-separated `scope` claim (OAuth 2.0, Auth0) and the `scp` claim (Okta, Azure),
    /// split exactly; a scope is only ever compared whole.
    public var scopes: [String] {
        let texts = [index.string("scope")].compactMap { $0 } + (index.strings("scp") ?? [])
        return texts.flatMap { $0.utf8.split(separator: UInt8(ascii: " ")).map { String(Substring($0)) } }
    }

    /// True when `scope` is granted, compared whole (`write:wishlist` never matches `write:wishlist-admin`).
    public func grants(_ scope: String) -> Bool {
        var scope = scope
        return scope.withUTF8 { wanted in
            let matches = { (text: UnsafeRawBufferPointer) in Self.containsWord(UnsafeRawBufferPointer(wanted), in: text) }
            return index.hasString("scope", matching: matches) || index.hasString("scp", matching: matches)
        }
    }

    /// True when the issuer is exactly `issuer`.
    func isIssued(by issuer: String) -> Bool {
        var issuer = issuer
        return issuer.withUTF8 { wanted in index.hasString("iss") { Self.equal($0, UnsafeRawBufferPointer(wanted)) } }
            && index.kind(of: "iss") == UInt8(ascii: "\"")
    }

    /// True when `aud` names one of `audiences`.
    func isIntended(for audiences: Set<String>) -> Bool {
        index.hasString("aud") { audience in
            audiences.contains { candidate in
                var candidate = candidate
                return candidate.withUTF8 { Self.equal(audience, UnsafeRawBufferPointer($0)) }
            }
        }
    }

    private static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        a.count == b.count && (a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
    }

    /// True when `word` occurs in the space-separated `text` as a whole entry.
    private static func containsWord(_ word: UnsafeRawBufferPointer, in text: UnsafeRawBufferPointer) -> Bool {
        var start = 0
        while start <= text.count {
            var end = start
            while end < text.count && text[end] != UInt8(ascii: " ") { end += 1 }
            if equal(UnsafeRawBufferPointer(rebasing: text[start..<end]), word) { return true }
            start = end + 1
        }
        return false
    }

    /// A member by name, built on demand.
    public subscript(name: String) -> JSONValue? { members[name] }

    /// Decodes the payload as your own claims type.
    public func decode<Claims: Decodable>(_ type: Claims.Type) throws -> Claims {
        try JSONDecoder().decode(Claims.self, from: Data(payload))
    }
}
