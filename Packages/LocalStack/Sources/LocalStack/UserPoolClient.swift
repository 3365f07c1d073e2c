import HTTP
import JSON

/// A Cognito app client's managed-login settings (`AWS::Cognito::UserPoolClient`): what the dev pool's
/// `/oauth2/authorize`, `/oauth2/token` and `/logout` honour for it. Its `ClientName` is its id in the dev pool. A
/// setting the pool cannot honour exactly is refused when the template is read.
struct UserPoolClient: Sendable, Equatable {
    /// The client id in the dev pool (`ClientName`).
    var id: String
    /// `CallbackURLs`: where a sign-in may return, compared exactly.
    var callbackURLs: [String]
    /// `LogoutURLs`: where `/logout` may send the browser.
    var logoutURLs: [String]
    /// `AllowedOAuthScopes`.
    var scopes: [String]
    /// Whether the code flow is enabled (`AllowedOAuthFlowsUserPoolClient` with `code` in `AllowedOAuthFlows`).
    var codeFlow: Bool
    /// With `RefreshTokenRotation` enabled: its `RetryGracePeriodSeconds` (0–60); nil when refresh tokens do not rotate.
    var rotationGrace: Double?

    typealias Refused = TemplateProblem

    /// The client of `properties`, `Ref`s resolved by `resolver`.
    init(_ properties: [String: JSONValue], resolver: Resolver) throws(Refused) {
        guard let name = properties["ClientName"].flatMap(resolver.resolve) else {
            throw Refused(reason: "ClientName must be set: it is the client's id in the dev pool")
        }
        func list(_ key: String) -> [String] { (properties[key]?.arrayValue ?? []).compactMap(resolver.resolve) }
        let flows = list("AllowedOAuthFlows")
        if let other = flows.first(where: { $0 != "code" }) {
            throw Refused(reason: "AllowedOAuthFlows \(other) cannot be emulated locally (only code)")
        }
        if let other = list("SupportedIdentityProviders").first(where: { $0 != "COGNITO" }) {
            throw Refused(reason: "SupportedIdentityProviders \(other) cannot be emulated locally (only COGNITO)")
        }
        if properties["GenerateSecret"] == .bool(true) {
            throw Refused(reason: "GenerateSecret cannot be emulated locally (the dev pool's clients are public)")
        }
        let rotation = properties["RefreshTokenRotation"]?.objectValue
        if rotation?["Feature"].flatMap(resolver.resolve) == "ENABLED" {
            let grace = rotation?["RetryGracePeriodSeconds"].flatMap(resolver.resolve) ?? "0"
            guard let seconds = Int(grace), (0...60).contains(seconds) else {
                throw Refused(reason: "RefreshTokenRotation.RetryGracePeriodSeconds must be 0 to 60, as Cognito requires")
            }
            rotationGrace = Double(seconds)
        }
        id = name
        callbackURLs = list("CallbackURLs")
        logoutURLs = list("LogoutURLs")
        scopes = list("AllowedOAuthScopes")
        codeFlow = properties["AllowedOAuthFlowsUserPoolClient"] == .bool(true) && flows.contains("code")
    }
}
