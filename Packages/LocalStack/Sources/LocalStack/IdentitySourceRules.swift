import FoundationEssentials
import JSON
import JWT

/// The token issuers the local stack can verify tokens of: its dev IdP and its dev Cognito pool (their keys are
/// its own). Verified Permissions on AWS fetches an issuer's keys itself; the local one never reaches out, so an
/// identity source naming any other issuer is refused when it is made, not at the first token.
struct TokenIssuers: Sendable {
    struct Pool: Sendable {
        var id: String
        var issuer: String
    }

    var keys: [String: JWKSet]
    var pool: Pool?
}

/// What an identity source's `Configuration` means for a token (SPEC §6, AWS's "Mapping Amazon Cognito tokens to
/// schema" and "Mapping OIDC tokens to schema"): the issuer, the audiences or app clients, which token it takes,
/// the claim that names the principal, the prefix of entity ids and the claim and entity type of groups.
struct IdentitySourceRules: Sendable {
    var issuer: String
    /// `id`, `access`, or nil for either (a Cognito pool takes both).
    var tokenUse: String?
    var principalIDClaim = "sub"
    /// Accepted `aud` (ID tokens, OIDC access tokens) or `client_id` (Cognito access tokens); empty: any.
    var audiences: [String]
    /// Cognito: the pool id; OIDC: `entityIdPrefix`. Entity ids are `PREFIX|value`.
    var prefix: String?
    var groupClaim: String?
    var groupEntityType: String?
    var isCognito: Bool

    typealias Failure = VerifiedPermissionsAPI.Failure

    /// The rules of `configuration` (a `Configuration` union), refusing what AWS refuses and, with one line,
    /// issuers the local stack cannot verify.
    init(_ configuration: JSONValue, issuers: TokenIssuers) throws {
        guard let members = configuration.objectValue, members.count == 1, let (kind, value) = members.first,
              let fields = value.objectValue else {
            throw Failure.validation("configuration must set exactly one of cognitoUserPoolConfiguration, openIdConnectConfiguration")
        }
        let groups = fields["groupConfiguration"]?.objectValue
        switch kind {
        case "cognitoUserPoolConfiguration":
            guard let arn = fields["userPoolArn"]?.stringValue, arn.hasPrefix("arn:"), arn.contains(":cognito-idp:"),
                  let poolID = arn.split(separator: "/").last.map(String.init) else {
                throw Failure.validation("userPoolArn must be a Cognito user pool ARN")
            }
            guard let pool = issuers.pool, pool.id == poolID else {
                throw Failure.validation("the local stack verifies tokens of its dev user pool only (\(issuers.pool?.id ?? "none declared")), not \(poolID)")
            }
            issuer = pool.issuer
            tokenUse = nil
            audiences = (fields["clientIds"]?.arrayValue ?? []).compactMap(\.stringValue)
            prefix = poolID
            groupClaim = groups == nil ? nil : "cognito:groups"
            groupEntityType = groups?["groupEntityType"]?.stringValue
            isCognito = true
        case "openIdConnectConfiguration":
            guard let issuer = fields["issuer"]?.stringValue, !issuer.isEmpty else { throw Failure.validation("issuer is required") }
            guard issuers.keys[issuer] != nil else {
                throw Failure.validation("the local stack verifies tokens of its dev IdP and dev pool only, not \(issuer.prefix(200))")
            }
            self.issuer = issuer
            guard let selection = fields["tokenSelection"]?.objectValue, selection.count == 1,
                  let (use, choice) = selection.first, ["accessTokenOnly", "identityTokenOnly"].contains(use) else {
                throw Failure.validation("tokenSelection must set exactly one of accessTokenOnly, identityTokenOnly")
            }
            tokenUse = use == "accessTokenOnly" ? "access" : "id"
            let listed = choice.objectValue?[use == "accessTokenOnly" ? "audiences" : "clientIds"]?.arrayValue ?? []
            audiences = listed.compactMap(\.stringValue)
            if let claim = choice.objectValue?["principalIdClaim"]?.stringValue, !claim.isEmpty { principalIDClaim = claim }
            prefix = fields["entityIdPrefix"]?.stringValue
            if let groups {
                guard let claim = groups["groupClaim"]?.stringValue, let type = groups["groupEntityType"]?.stringValue else {
                    throw Failure.validation("groupConfiguration needs groupClaim and groupEntityType")
                }
                (groupClaim, groupEntityType) = (claim, type)
            }
            isCognito = false
        default:
            throw Failure.validation("unknown configuration member \(kind)")
        }
        if let groupEntityType, !Self.isEntityType(groupEntityType) {
            throw Failure.validation("groupEntityType \(groupEntityType.prefix(200)) is not an entity type name")
        }
    }

    /// `NAMESPACE::Name`: identifiers joined by `::`, as the API's `GroupEntityType` pattern asks.
    static func isEntityType(_ text: String) -> Bool {
        let parts = text.components(separatedBy: "::")
        return parts.allSatisfy { part in
            guard let first = part.unicodeScalars.first, first == "_" || first.properties.isAlphabetic && first.isASCII
            else { return false }
            return part.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0)) }
        }
    }

    /// The token's claims, when it is signed by the issuer's key, unexpired, of the right `token_use` for
    /// `parameter` (`identityToken` → `id`, `accessToken` → `access`) and for one of the audiences.
    func verify(_ token: String, as parameter: String, keys: JWKSet, now: Double) throws(JWTError) -> JWTClaims {
        let use = parameter == "identityToken" ? "id" : "access"
        var policy = ClaimsPolicy(issuer: issuer, audiences: audiences.isEmpty ? nil : Set(audiences))
        if isCognito {
            policy.clientIDMayStandForAudience = true
            policy.tokenUses = [use]
        } else if let tokenUse, tokenUse != use {
            throw JWTError(.invalidClaim, "this identity source takes \(tokenUse == "id" ? "identity" : "access") tokens")
        }
        return try JWTVerifier(keys: keys, policy: policy).verify(token, now: now).claims
    }

    /// `PREFIX|value`, or the value alone when there is no prefix.
    func entityID(_ value: String) -> String { prefix.map { "\($0)|\(value)" } ?? value }
}
