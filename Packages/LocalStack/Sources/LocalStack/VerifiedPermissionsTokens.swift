import Cedar
import JSON
import JWT

/// The principal of an `IsAuthorizedWithToken` request, made from its tokens as Verified Permissions makes it:
/// the entity `PrincipalType::"PREFIX|sub"` (Cognito: the pool id; OIDC: `entityIdPrefix`; the claim the source
/// names), members of `GroupType::"PREFIX|group"` for each group claim value; an ID token's claims become the
/// principal's attributes and an access token's claims the record `context.token` — each kept to what the store's
/// schema declares when it declares the type, as a STRICT store accepts nothing else.
struct TokenPrincipal {
    typealias Failure = VerifiedPermissionsAPI.Failure

    /// `{"entityType","entityId"}`.
    var identifier: JSONValue
    /// The principal and its groups, in Cedar's JSON entities form.
    var entities: [JSONValue]
    /// The access token's claims, when one was given.
    var token: JSONValue?

    init(_ input: [String: JSONValue], store: VerifiedPermissionsStores.Store, issuers: TokenIssuers,
         schema: CedarSchema?, now: Double) throws {
        let identity = input["identityToken"]?.stringValue, access = input["accessToken"]?.stringValue
        guard identity != nil || access != nil else {
            throw Failure.validation("specify an identityToken, an accessToken, or both")
        }
        let sources = store.identitySources ?? []
        guard !sources.isEmpty else { throw Failure.validation("the policy store has no identity source") }
        let fromIdentity = try identity.map { try Self.verified($0, as: "identityToken", sources: sources, issuers: issuers, now: now) }
        let fromAccess = try access.map { try Self.verified($0, as: "accessToken", sources: sources, issuers: issuers, now: now) }
        let (source, rules, claims) = (fromIdentity ?? fromAccess)!
        guard let subject = claims[source: rules.principalIDClaim] else {
            throw Failure.validation("the token has no \(rules.principalIDClaim) claim to name its principal")
        }
        if let fromAccess, fromAccess.source.id != source.id || fromAccess.claims[source: rules.principalIDClaim] != subject {
            throw Failure.validation("the identityToken and the accessToken are not of the same identity source and user")
        }
        let uid = JSONValue.object(["type": .string(source.principalEntityType), "id": .string(rules.entityID(subject))])
        identifier = .object(["entityType": .string(source.principalEntityType), "entityId": .string(rules.entityID(subject))])
        var groups: [JSONValue] = []
        if let claim = rules.groupClaim, let type = rules.groupEntityType {
            let value = claims[claim]
            let names = value?.arrayValue?.compactMap(\.stringValue) ?? value?.stringValue.map { $0.split(separator: " ").map(String.init) } ?? []
            groups = names.map { .object(["type": .string(type), "id": .string(rules.entityID($0))]) }
        }
        var attributes: [String: JSONValue] = [:]
        if let fromIdentity {
            let declared = schema?.attributeNames(of: source.principalEntityType)
            attributes = Self.cedarValues(fromIdentity.claims.members, keeping: declared)
        }
        entities = [.object(["uid": uid, "attrs": .object(attributes), "parents": .array(groups), "tags": .object([:])])]
            + groups.map { .object(["uid": $0, "attrs": .object([:]), "parents": .array([]), "tags": .object([:])]) }
        token = fromAccess.map { .object(Self.cedarValues($0.claims.members, keeping: nil)) }
    }

    /// The access token's claims kept to what `action`'s context declares under `token` (all when undeclared).
    func tokenContext(for action: EntityUID, schema: CedarSchema?) -> JSONValue? {
        guard case .object(let claims)? = token else { return nil }
        let declared = schema?.contextAttributeNames(of: action, at: ["token"])
        return .object(declared.map { names in claims.filter { names.contains($0.key) } } ?? claims)
    }

    /// The first identity source whose issuer signed `token` with the rules it passes, or the reason none did.
    private static func verified(_ token: String, as parameter: String, sources: [VerifiedPermissionsStores.IdentitySource],
                                 issuers: TokenIssuers, now: Double)
        throws -> (source: VerifiedPermissionsStores.IdentitySource, rules: IdentitySourceRules, claims: JWTClaims)
    {
        var reason = "no identity source of the policy store trusts its issuer and key"
        for source in sources {
            guard let rules = try? IdentitySourceRules(source.configuration, issuers: issuers),
                  let keys = issuers.keys[rules.issuer] else { continue }
            do {
                return (source, rules, try rules.verify(token, as: parameter, keys: keys, now: now))
            } catch let failure where ![.invalidIssuer, .unknownKey].contains(failure.code) {
                // Another issuer's key or name only says the token is not this source's.
                reason = failure.description
            } catch {}
        }
        throw Failure.validation("the \(parameter) is not valid: \(reason)")
    }

    /// Claims as Cedar's JSON values: text, integers, booleans, lists as sets, objects as records; a number with a
    /// fraction has no Cedar type and is left out, as is everything outside `declared` when given.
    private static func cedarValues(_ claims: [String: JSONValue], keeping declared: Set<String>?) -> [String: JSONValue] {
        var values: [String: JSONValue] = [:]
        for (name, claim) in claims where declared?.contains(name) ?? true {
            if let value = cedarValue(claim) { values[name] = value }
        }
        if let scope = claims["scope"]?.stringValue, declared?.contains("scope") ?? true {
            values["scope"] = .array(scope.split(separator: " ").map { .string(String($0)) })
        }
        return values
    }

    private static func cedarValue(_ claim: JSONValue) -> JSONValue? {
        switch claim {
        case .string, .bool: claim
        case .number(let number): number.rounded() == number && abs(number) < 9.0e15 ? claim : nil
        case .array(let items): .array(items.compactMap(cedarValue))
        case .object(let members): .object(members.compactMapValues(cedarValue))
        default: nil
        }
    }
}

private extension JWTClaims {
    /// A claim naming the principal: text, or an integer written as text.
    subscript(source name: String) -> String? {
        switch self[name] {
        case .string(let text)?: text
        case .number(let number)? where number.rounded() == number: String(Int64(number))
        default: nil
        }
    }
}
