public import Policy

/// What a protected route requires of its caller. There is deliberately no "public" case here: public routes say
/// `requires: .public` (a `PublicAccess`), so a route is never public by omission.
public enum Requirement: Sendable, Equatable {
    /// Any authenticated caller.
    case authenticated
    /// A caller holding this scope.
    case scope(Scope)
    /// A caller satisfying this scope requirement.
    case scopes(ScopeRequirement)

    /// Every scope this requirement names (all of them, or any one of them: see the case).
    public var scopeNames: [String] {
        switch scopeRequirement {
        case nil: []
        case .allOf(let scopes)?, .anyOf(let scopes)?: scopes.map(\.name)
        }
    }

    var scopeRequirement: ScopeRequirement? {
        switch self {
        case .authenticated: nil
        case .scope(let scope): .scope(scope)
        case .scopes(let requirement): requirement
        }
    }
}

/// The marker of a route anyone may call: `requires: .public`.
public struct PublicAccess: Sendable, Equatable {
    /// No authentication required.
    public static let `public` = PublicAccess()
}

/// What a public route's handler knows: maybe a caller (an authorizer may still have run).
public struct RequestContext: Sendable {
    /// The caller, when an authorizer vouched for one.
    public let caller: Caller?

    /// The caller, or 401.
    public func requireCaller() throws(HTTPError) -> Caller {
        guard let caller else { throw HTTPError.unauthorized }
        return caller
    }
}

/// What a protected route's handler knows: a caller who passed the route's requirement, and the policies that
/// decide what this caller may do to the resources the handler loads.
public struct AuthenticatedContext: Sendable {
    /// The authenticated caller.
    public let caller: Caller
    /// The router's policies (nil: none configured).
    let policies: (any PolicyDecider)?
    /// The actions the route declared it asks (`asks:`).
    let actions: [PolicyAction]

    init(caller: Caller, policies: (any PolicyDecider)? = nil, actions: [PolicyAction] = []) {
        self.caller = caller
        self.policies = policies
        self.actions = actions
    }

    /// Asks the policies whether the caller may do `action` to `resource` (the principal is the caller, see
    /// `PolicyEntity(caller:)`): the allowing decision, or 403 `{"message":"not allowed: ACTION"}`. The decision,
    /// with the determining policies, goes to the request's audit line. An action the route did not declare with
    /// `asks:` is refused with a 500: what a route asks is data the matrix, OpenAPI and `gatehouse check` read.
    @discardableResult
    public func authorize(_ action: PolicyAction, on resource: some PolicyResource) async throws -> PolicyDecision {
        guard let policies, actions.contains(action) else {
            throw HTTPError(.internalServerError, "Internal Server Error")
        }
        let decision = try await policies.decide(PolicyQuestion(principal: PolicyEntity(caller: caller), action: action,
                                                                resource: PolicyEntity(resource)))
        PolicyDecisionLog.current?.record(action: action, resource: resource.policyUID, decision: decision)
        guard decision.allowed else { throw HTTPError(.forbidden, "not allowed: \(action.name)") }
        return decision
    }

    /// Checks a scope a resource-level decision needs (403 `missing scope …` when absent).
    public func require(_ scope: Scope) throws(HTTPError) {
        guard caller.has(scope) else {
            throw refusal("missing scope \(scope.name)", reason: "missing scope")
        }
    }

    /// Checks that the caller's claim `name` is `value` (a tenant, an organisation): 403 with `message` otherwise.
    public func require(claim name: String, equals value: String, otherwise message: @autoclosure () -> String)
        throws(HTTPError)
    {
        guard caller.claims[name] == value else { throw refusal(message()) }
    }

    /// Checks which authorizer vouched for the caller (a service route taking only `AWS_IAM` callers): 403 otherwise.
    public func require(source: Caller.Source) throws(HTTPError) {
        guard caller.source == source else { throw refusal("this route is for \(source.rawValue) callers") }
    }

    /// Checks that the caller owns a resource (403 when `owner` is someone else).
    public func requireOwner(_ owner: String) throws(HTTPError) {
        guard caller.subject == owner else { throw refusal("not the owner of this resource") }
    }

    /// The 403 a failed check answers, its reason recorded for the request's audit line (the line reads the
    /// decision, not the answer).
    private func refusal(_ message: String, reason: String = "forbidden") -> HTTPError {
        PolicyDecisionLog.current?.refuse(reason)
        return HTTPError(.forbidden, message)
    }
}
