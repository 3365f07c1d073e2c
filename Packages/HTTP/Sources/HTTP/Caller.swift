import JSON
@_spi(Gatehouse) import JWT
public import Policy

/// Who is calling, normalised from whichever authorizer shape the gateway produced. Handlers never read identity
/// from raw headers: a caller exists only when an authorizer vouched for it.
public struct Caller: Sendable, Equatable {
    /// Which authorizer produced the caller.
    public enum Source: String, Sendable, Equatable {
        /// HTTP API built-in JWT authorizer (`requestContext.authorizer.jwt`).
        case jwt
        /// HTTP API Lambda authorizer (`requestContext.authorizer.lambda`).
        case lambda
        /// REST API Lambda or Cognito authorizer (`requestContext.authorizer` with `principalId` or `claims`).
        case rest
        /// IAM (SigV4) caller.
        case iam
    }

    /// The subject (`sub`, else the principal id); empty when the authorizer vouched for the request but named
    /// no subject.
    public let subject: String
    /// The granted scopes.
    public let scopes: ScopeSet
    /// Claims or context values as text (`name`, `email`, a tenant claim, …).
    public let claims: [String: String]
    /// The authorizer shape it came from.
    public let source: Source

    /// A caller.
    public init(subject: String, scopes: ScopeSet, claims: [String: String], source: Source) {
        self.subject = subject
        self.scopes = scopes
        self.claims = claims
        self.source = source
    }

    /// True when `scope` was granted.
    public func has(_ scope: Scope) -> Bool { scopes.contains(scope) }

    /// The caller's groups, from the claim `groups` (name yours so with `Application`'s `claimNames`) or Cognito's
    /// `cognito:groups`: written as API Gateway hands on a list claim (`[a b]`) or as names between spaces or commas.
    public var groups: [String] {
        guard let text = claims["groups"] ?? claims["cognito:groups"] else { return [] }
        var list = Substring(text).utf8
        if list.first == UInt8(ascii: "["), list.last == UInt8(ascii: "]") { list = list.dropFirst().dropLast() }
        var groups: [String] = []
        var name: [UInt8] = []
        // Byte by byte: a bracket, a space and a comma are never part of a multi-byte character.
        for byte in list {
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: ",") {
                if !name.isEmpty { groups.append(String(decoding: name, as: UTF8.self)) }
                name.removeAll(keepingCapacity: true)
            } else {
                name.append(byte)
            }
        }
        if !name.isEmpty { groups.append(String(decoding: name, as: UTF8.self)) }
        return groups
    }

    /// The caller with each claim of `names` (original → name) also under its name; a claim already present under
    /// that name wins, so an authorizer's own value is never overwritten.
    func naming(_ names: [String: String]) -> Caller {
        var claims = self.claims
        for (original, name) in names where claims[name] == nil {
            if let value = claims[original] { claims[name] = value }
        }
        return Caller(subject: subject, scopes: scopes, claims: claims, source: source)
    }

    /// The caller of an HTTP API event, if an authorizer vouched for one.
    init?(httpAPI authorizer: EventAuthorizer?) {
        if let claims = authorizer?.jwtClaims {
            let scopes = authorizer?.jwtScopes.map(ScopeSet.init)
                ?? ScopeSet(spaceSeparated: claims["scope"] ?? claims["scp"] ?? "")
            self.init(subject: claims["sub"] ?? "", scopes: scopes, claims: claims, source: .jwt)
        } else if let context = authorizer?.lambda {
            self.init(context: context, source: .lambda)
        } else if let iam = authorizer?.iam {
            guard let subject = iam["userArn"] ?? iam["callerId"], !subject.isEmpty else { return nil }
            self.init(subject: subject, scopes: ScopeSet([]), claims: iam, source: .iam)
        } else {
            return nil
        }
    }

    /// The caller of a REST API event, if its authorizer vouched for one (it then always sets `principalId`,
    /// or `claims` for Cognito user pools).
    init?(rest authorizer: EventAuthorizer?) {
        guard let authorizer, authorizer.hasPrincipalID || authorizer.hasClaims else { return nil }
        self.init(context: authorizer.claims ?? authorizer.values, source: .rest)
    }

    /// The IAM caller of a REST event whose method's authorization is `AWS_IAM` (API Gateway then fills the
    /// identity's `userArn`). A console test invocation (`test-invoke-source-ip`) also names its IAM user but
    /// skips every authorizer of the method, so it is no caller.
    init?(iam identity: APIGatewayV1Request.RequestContext.Identity?) {
        guard let identity, let arn = identity.userArn, !arn.isEmpty, identity.sourceIp != "test-invoke-source-ip"
        else { return nil }
        let fields = ["userArn": identity.userArn, "accessKey": identity.accessKey, "accountId": identity.accountId,
                      "caller": identity.caller]
        self.init(subject: arn, scopes: ScopeSet([]), claims: fields.compactMapValues { $0 }, source: .iam)
    }

    /// From an authorizer's context: `sub` (else `principalId`), space-separated `scope`; API Gateway's own
    /// `integrationLatency` is not a claim.
    private init(context: [String: String], source: Source) {
        var text = context
        text["integrationLatency"] = nil
        self.init(subject: text["sub"] ?? text["principalId"] ?? "", scopes: ScopeSet(spaceSeparated: text["scope"] ?? ""),
                  claims: text, source: source)
    }
}

extension Caller {
    /// Whether the token of `authorization` (`Bearer TOKEN`) is bound to a key: its payload has `cnf`, as DPoP's
    /// tokens do. The HTTP API's JWT authorizer verifies such a token as any other and takes no proof, so one that
    /// arrives through it was sent as a bearer token and may be a stolen copy (RFC 9449 §7.2); its caller is refused.
    /// Read from the header, not the claims: the authorizer does not hand on object claims such as `cnf`.
    static func isKeyBound(authorization: String?) -> Bool {
        guard var token = authorization?[...] else { return false }
        if token.lowercased().hasPrefix("bearer ") { token = token.dropFirst(7) }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let payload = Base64URL.decode(parts[1]) else { return false }
        // Most tokens are not bound: the name is looked for before the payload is parsed.
        guard payload.firstRange(of: Array(#""cnf""#.utf8)) != nil else { return false }
        return (try? JSONValue.object(parsing: payload))?["cnf"] != nil
    }
}
