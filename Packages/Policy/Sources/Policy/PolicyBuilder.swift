/// Builds an authorizer's policy in the spirit of AWS's authorizer blueprints: allow or deny by verb and path
/// template on one API and stage. Path parameters (`{tenantId}`) and greedy `{proxy+}` become wildcards.
/// `Resource: "*"` is never produced by accident: only `allowAnyResource()` writes it.
public struct PolicyBuilder: Sendable {
    /// Why a policy could not be built.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// One line.
        public let description: String
    }

    private let base: ExecuteAPIARN
    private var allowed: [String] = []
    private var denied: [String] = []
    private var anyResource = false

    /// A builder for the API and stage of `methodARN` (the ARN the authorizer received).
    public init(methodARN: ExecuteAPIARN) {
        base = methodARN
    }

    /// Allows `verb` (`GET`, …, or `*`) on `path` (`/tenants/{tenantId}/wish-list`, `/*`).
    public mutating func allow(_ verb: String, _ path: String) throws(Failure) {
        allowed.append(try resource(verb, path))
    }

    /// Denies `verb` on `path`; a Deny wins over any Allow.
    public mutating func deny(_ verb: String, _ path: String) throws(Failure) {
        denied.append(try resource(verb, path))
    }

    /// Allows every method and path of this API and stage (`…/STAGE/*/*`): the usual choice of a caching
    /// authorizer, so the cached result also fits the caller's next route.
    public mutating func allowAllMethods() {
        allowed.append(base.allMethodsOfStage.description)
    }

    /// Allows `Resource: "*"`: every API in the account. Say it by name or not at all.
    public mutating func allowAnyResource() {
        anyResource = true
    }

    /// The document; throws when it would hold no statement.
    public func build() throws(Failure) -> PolicyDocument {
        var statements: [PolicyDocument.Statement] = []
        if anyResource { statements.append(.init(effect: .allow, resources: ["*"])) }
        if !allowed.isEmpty { statements.append(.init(effect: .allow, resources: allowed)) }
        if !denied.isEmpty { statements.append(.init(effect: .deny, resources: denied)) }
        guard !statements.isEmpty else { throw Failure(description: "a policy needs at least one allow or deny") }
        return PolicyDocument(statements: statements)
    }

    private func resource(_ verb: String, _ path: String) throws(Failure) -> String {
        let verbs: Set<String> = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "*"]
        let upper = verb.uppercased()
        guard verbs.contains(upper) else { throw Failure(description: "unknown HTTP verb \(verb)") }
        guard path.hasPrefix("/") || path == "*" else { throw Failure(description: "path must start with /") }
        var segments: [String] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            if segment.hasPrefix("{") && segment.hasSuffix("}") {
                segments.append("*")
            } else {
                guard segment.allSatisfy({ $0.isLetter || $0.isNumber || "-_.~*".contains($0) }) else {
                    throw Failure(description: "path segment \(segment) has characters a policy path cannot hold")
                }
                segments.append(String(segment))
            }
        }
        var arn = base
        arn.verb = upper
        arn.path = path == "*" ? "*" : segments.joined(separator: "/")
        return arn.description
    }
}
