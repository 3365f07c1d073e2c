import ExampleTokens
import JWT
public import HTTP
public import Policy

/// The Verified Permissions quick start's REQUEST authorizer, made safe to copy: route-level decisions at the edge
/// by Cedar policies in a policy store (`RoutePolicies`: action `"get /edge/profile"`, the API as resource).
///
/// Where it differs from the code the Verified Permissions console generates, and why:
/// - the token is verified here first, so a missing or forged token is `401` and costs no call to the service
///   (the generated code decodes the token without checking it and leaves the check to the service);
/// - the answer covers the *route* (`GET /items/*` for `/items/{id}`), and the template caches it per token,
///   method and route (`Identity` `Context: [httpMethod, resourcePath]`); the generated code allows the one
///   `methodArn` and caches per token alone, so a cached answer for one route is replayed on the next;
/// - no answer from the service fails the call (500, which API Gateway does not cache), never an Allow — and not a
///   Deny either, which would be replayed from the cache for the TTL after the service is back.
public struct PolicyAuthorizer: Sendable {
    private let verifier: BearerTokenVerifier
    private let policies: RoutePolicies

    /// An authorizer verifying tokens with `verifier` and deciding with `policies`.
    public init(verifier: BearerTokenVerifier, policies: RoutePolicies) {
        (self.verifier, self.policies) = (verifier, policies)
    }

    /// The decision for one REST REQUEST event.
    public func decide(_ event: RequestAuthorizerEvent) async -> AuthorizerDecision {
        guard let header = event.header("authorization"),
              let token = try? await verifier.verify(authorization: header),
              let subject = token.claims.subject, !subject.isEmpty
        else { return .unauthorized }
        guard let method = event.httpMethod, let route = event.resource,
              let arn = event.resourceARN.flatMap(ExecuteAPIARN.init) else { return .unauthorized }
        var policy = PolicyBuilder(methodARN: arn)
        let routePattern = Self.pattern(route)
        do {
            let raw = header.lowercased().hasPrefix("bearer ") ? String(header.dropFirst(7)) : header
            let (decision, principal) = try await policies.decide(accessToken: raw, method: method, route: route,
                                                                  pathParameters: event.parameters)
            if decision.allowed {
                try policy.allow(method, routePattern)
                return .allow(principalID: principal ?? subject, policy: try policy.build(),
                              context: ExampleTokens.context(for: token))
            }
            try policy.deny(method, routePattern)
            return .deny(principalID: principal ?? subject, policy: try policy.build())
        } catch {
            // No decision is neither an allow nor a Deny API Gateway would cache for the TTL: the call fails (500).
            return .failed(reason: "\(error)")
        }
    }

    /// A route's resource path with each `{parameter}` as `*`: what one cached answer may cover.
    static func pattern(_ route: String) -> String {
        route.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("{") && $0.hasSuffix("}") ? "*" : String($0) }
            .joined(separator: "/")
    }
}
