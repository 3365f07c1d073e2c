/// A parsed set of policies, authorizing requests as Cedar does: default deny, a satisfied `forbid` overrides every
/// `permit`, and a policy whose evaluation fails is skipped and reported.
public struct CedarPolicySet: Sendable {
    /// The policies, templates and template-linked policies, in order.
    public private(set) var policies: [CedarPolicy]

    /// Parses Cedar policy text; policies get ids `policy0`, `policy1`, … by position.
    public init(text: String) throws(CedarParseError) {
        var parser = try CedarParser(text)
        policies = try parser.policies()
    }

    init(policies: [CedarPolicy]) { self.policies = policies }

    /// Policies each written on their own with the id it goes by (as a Verified Permissions store keeps them):
    /// every text must hold exactly one policy or template.
    public init(identified texts: [(id: String, text: String)]) throws(CedarParseError) {
        policies = []
        for (id, text) in texts {
            var parser = try CedarParser(text)
            let parsed = try parser.policies()
            guard parsed.count == 1, let policy = parsed.first else {
                throw CedarParseError(line: 1, column: 1, reason: "expected exactly one policy, found \(parsed.count)")
            }
            policies.append(CedarPolicy(id: id, effect: policy.effect, annotations: policy.annotations,
                                        principal: policy.principal, action: policy.action, resource: policy.resource,
                                        conditions: policy.conditions, line: policy.line))
        }
    }

    /// The same policies, each named by its `@key` annotation (`@id("owner")` → `owner`) where it has one, else as
    /// before: names that survive edits of the files around them, for audit lines and reviews. Names must be unique.
    public func namedByAnnotation(_ key: String = "id") throws(LinkError) -> CedarPolicySet {
        var seen: Set<String> = []
        var renamed: [CedarPolicy] = []
        for policy in policies {
            let name = policy.annotations.first { $0.0 == key }?.1 ?? policy.id
            guard seen.insert(name).inserted else { throw LinkError(description: "two policies are named \(name)") }
            renamed.append(CedarPolicy(id: name, effect: policy.effect, annotations: policy.annotations, principal: policy.principal,
                                       action: policy.action, resource: policy.resource, conditions: policy.conditions,
                                       line: policy.line))
        }
        return CedarPolicySet(policies: renamed)
    }

    /// Why a template could not be linked.
    public struct LinkError: Error, Equatable, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Adds the policy `id`: the template `template` with its `?principal` and `?resource` slots filled. Each slot
    /// the template has needs a value, and no other; `id` must be new.
    public mutating func link(template: String, as id: String, principal: EntityUID?, resource: EntityUID?) throws(LinkError) {
        guard let source = policies.first(where: { $0.id == template && $0.isTemplate && $0.link == nil }) else {
            throw LinkError(description: "no template \(template)")
        }
        guard !policies.contains(where: { $0.id == id }) else { throw LinkError(description: "policy \(id) exists already") }
        var values: [CedarExpression.Slot: EntityUID] = [:]
        func fill(_ scope: CedarPolicy.Scope, _ slot: CedarExpression.Slot, _ value: EntityUID?) throws(LinkError) -> CedarPolicy.Scope {
            func target(_ target: CedarPolicy.ScopeTarget) throws(LinkError) -> CedarPolicy.ScopeTarget {
                guard case .slot = target else { return target }
                guard let value else { throw LinkError(description: "template \(template) needs a value for \(slot.rawValue)") }
                values[slot] = value
                return .entity(value)
            }
            switch scope {
            case .any, .is: return scope
            case .equal(let wanted): return .equal(try target(wanted))
            case .in(let wanted): return .in(try target(wanted))
            case .isIn(let type, let wanted): return .isIn(type, try target(wanted))
            }
        }
        let principalScope = try fill(source.principal, .principal, principal)
        let resourceScope = try fill(source.resource, .resource, resource)
        guard (principal == nil || values[.principal] != nil) && (resource == nil || values[.resource] != nil) else {
            throw LinkError(description: "template \(template) has no slot for every value given")
        }
        var linked = CedarPolicy(id: id, effect: source.effect, annotations: source.annotations, principal: principalScope,
                                 action: source.action, resource: resourceScope, conditions: source.conditions, line: source.line)
        linked.link = (template, values)
        policies.append(linked)
    }

    /// The answer to one request.
    public struct Response: Equatable, Sendable {
        /// Allow or deny.
        public let allowed: Bool
        /// The determining policies: the satisfied permits (allow) or satisfied forbids (deny).
        public let reasons: [String]
        /// The policies whose evaluation failed, with why.
        public let errors: [(id: String, error: CedarEvaluationError)]

        public static func == (a: Response, b: Response) -> Bool {
            a.allowed == b.allowed && a.reasons == b.reasons && a.errors.map(\.id) == b.errors.map(\.id)
        }
    }

    /// Authorizes `request` against `entities`.
    public func authorize(_ request: CedarRequest, entities: CedarEntities) -> Response {
        let evaluator = CedarEvaluator(request: request, entities: entities)
        var permits: [String] = [], forbids: [String] = []
        var errors: [(id: String, error: CedarEvaluationError)] = []
        // Through the buffer: each policy is read in place, never copied (a copy retains every member it holds).
        policies.withUnsafeBufferPointer { policies in
            for index in policies.indices where !policies[index].isTemplate {
                do throws(CedarEvaluationError) {
                    guard try evaluator.satisfies(policies[index]) else { continue }
                    let id = policies[index].id
                    if policies[index].effect == .permit { permits.append(id) } else { forbids.append(id) }
                } catch {
                    errors.append((policies[index].id, error))
                }
            }
        }
        let allowed = forbids.isEmpty && !permits.isEmpty
        return Response(allowed: allowed, reasons: allowed ? permits : forbids, errors: errors)
    }
}

extension CedarEvaluator {
    /// Whether `policy`'s scope matches and every condition holds, conditions in order (short-circuiting).
    func satisfies(_ policy: CedarPolicy) throws(CedarEvaluationError) -> Bool {
        guard matches(policy.principal, request.principal), matchesAction(policy.action),
              matches(policy.resource, request.resource) else { return false }
        for condition in policy.conditions {
            let value = try evaluate(condition.body)
            guard case .bool(let holds) = value else { throw .typeError("a condition must be a bool, not a \(value.typeName)") }
            guard holds == condition.isWhen else { return false }
        }
        return true
    }

    private func target(_ target: CedarPolicy.ScopeTarget) -> EntityUID? {
        switch target {
        case .entity(let uid): uid
        case .slot(let slot): slots[slot]
        }
    }

    private func matches(_ scope: CedarPolicy.Scope, _ uid: EntityUID) -> Bool {
        switch scope {
        case .any: return true
        case .equal(let wanted): return target(wanted) == uid
        case .in(let wanted): return target(wanted).map { isDescendant(uid, of: $0) } ?? false
        case .is(let type): return uid.type == type
        case .isIn(let type, let wanted):
            return uid.type == type && (target(wanted).map { isDescendant(uid, of: $0) } ?? false)
        }
    }

    private func matchesAction(_ scope: CedarPolicy.ActionScope) -> Bool {
        switch scope {
        case .any: true
        case .equal(let uid): request.action == uid
        case .in(let uid): isDescendant(request.action, of: uid)
        case .inAny(let uids): uids.contains { isDescendant(request.action, of: $0) }
        }
    }
}
