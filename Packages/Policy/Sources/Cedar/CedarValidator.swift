/// Cedar's strict validator, as the cedar-spec Lean model defines it (and Verified Permissions runs in `STRICT`
/// mode): every policy typechecks to a boolean in every request environment the schema allows (each action with
/// each principal and resource type it applies to), attributes are read only where they must exist or a `has`
/// guards them, entity types and actions are declared, and a policy false in every environment is refused.
public struct CedarValidator: Sendable {
    /// Why a policy does not validate.
    public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// The policy's id.
        public let policy: String
        public let reason: String
        public var description: String { "\(policy): \(reason)" }
    }

    let schema: CedarSchema

    /// A validator of policies against `schema`.
    public init(schema: CedarSchema) { self.schema = schema }

    /// The failures of `policies` (empty when every one validates), in policy order. Templates are left out: they
    /// are checked through their links (or with `validateTemplates`).
    public func validate(_ policies: CedarPolicySet) -> [Failure] {
        policies.policies.filter { !$0.isTemplate }.compactMap(failure)
    }

    /// The failures of the templates of `policies`, each checked as if its slots could be any entity its action
    /// allows there (the slot's constraint dropped), so a condition no link could make valid is refused before any
    /// link is made — what a Verified Permissions store in `STRICT` mode does with a new template.
    public func validateTemplates(_ policies: CedarPolicySet) -> [Failure] {
        policies.policies.filter(\.isTemplate).map(\.withoutSlots).compactMap(failure)
    }

    private func failure(_ policy: CedarPolicy) -> Failure? {
        let expression = policy.expression
        if let unknown = unknownEntityType(in: expression) {
            return Failure(policy: policy.id, reason: "unknown entity type or action \(unknown)")
        }
        guard appliesToSomeAction(policy) else {
            return Failure(policy: policy.id, reason: "no action the scope allows applies to its principal and resource")
        }
        for environment in environments {
            do throws(CedarTypechecker.Failure) {
                let (type, _) = try CedarTypechecker(schema: schema, environment: environment).typeOf(expression, [])
                guard case .bool = type else { throw CedarTypechecker.Failure("the policy is a \(type), not a boolean") }
            } catch {
                return Failure(policy: policy.id, reason: error.reason)
            }
        }
        return nil
    }

    /// Every request environment: each action with each principal and resource type it applies to.
    var environments: [CedarTypechecker.Environment] {
        schema.actions.sorted { $0.key.description < $1.key.description }.flatMap { action, entry in
            entry.principals.sorted().flatMap { principal in
                entry.resources.sorted().map { resource in
                    CedarTypechecker.Environment(principal: principal, action: action, resource: resource,
                                                 context: entry.context ?? .record([:]))
                }
            }
        }
    }

    /// Whether some action the policy's action scope allows applies to a principal type and a resource type its
    /// scope allows (Rust's "invalid action application" check, which the Lean model leaves to impossible policies).
    private func appliesToSomeAction(_ policy: CedarPolicy) -> Bool {
        let actions: [CedarSchema.Action] = switch policy.action {
        case .any: Array(schema.actions.values)
        case .equal(let uid): schema.actions[uid].map { [$0] } ?? []
        case .in(let group): actionsWithin([group])
        case .inAny(let groups): actionsWithin(groups)
        }
        let principals = entityTypes(allowedBy: policy.principal), resources = entityTypes(allowedBy: policy.resource)
        return actions.contains { !$0.principals.isDisjoint(with: principals) && !$0.resources.isDisjoint(with: resources) }
    }

    private func actionsWithin(_ groups: [EntityUID]) -> [CedarSchema.Action] {
        schema.actions.filter { uid, action in groups.contains { $0 == uid || action.ancestors.contains($0) } }.map(\.value)
    }

    /// The entity types a principal or resource scope admits.
    private func entityTypes(allowedBy scope: CedarPolicy.Scope) -> Set<String> {
        let all = Set(schema.entityTypes.keys)
        func within(_ target: CedarPolicy.ScopeTarget) -> Set<String> {
            guard case .entity(let uid) = target else { return all }
            return all.filter { $0 == uid.type || schema.entityTypes[$0]?.parents.contains(uid.type) == true }
        }
        switch scope {
        case .any: return all
        case .equal(.entity(let uid)): return [uid.type]
        case .equal(.slot): return all
        case .in(let target): return within(target)
        case .is(let type): return [type]
        case .isIn(let type, let target): return within(target).contains(type) ? [type] : []
        }
    }

    /// The first entity literal or `is` type of `expression` the schema does not declare.
    private func unknownEntityType(in expression: CedarExpression) -> String? {
        var pending = [expression]
        while let next = pending.popLast() {
            switch next {
            case .literal(.entity(let uid)):
                if !schema.isValidEntityUID(uid) && schema.actions[uid] == nil { return uid.description }
            case .isType(let operand, let type):
                if schema.entityTypes[type] == nil && !schema.isActionType(type) { return type }
                pending.append(operand)
            default:
                pending += next.children
            }
        }
        return nil
    }
}

extension CedarSchema {
    func isValidEntityUID(_ uid: EntityUID) -> Bool {
        guard let type = entityTypes[uid.type] else { return false }
        return type.enumeration?.contains(uid.id) ?? true
    }

    func isActionType(_ type: String) -> Bool { actions.keys.contains { $0.type == type } }
}

extension CedarPolicy {
    /// The whole policy as one expression, as the Lean model writes it: principal, action and resource scopes and
    /// the conditions in order, joined by `&&`.
    var expression: CedarExpression {
        func scope(_ scope: Scope, _ variable: CedarExpression.Variable) -> CedarExpression {
            let subject = CedarExpression.variable(variable)
            func target(_ target: ScopeTarget) -> CedarExpression {
                switch target {
                case .entity(let uid): .literal(.entity(uid))
                case .slot(let slot): .slot(slot)
                }
            }
            switch scope {
            case .any: return .literal(.bool(true))
            case .equal(let wanted): return .binary(.equal, subject, target(wanted))
            case .in(let wanted): return .binary(.in, subject, target(wanted))
            case .is(let type): return .isType(subject, type)
            case .isIn(let type, let wanted): return .and(.isType(subject, type), .binary(.in, subject, target(wanted)))
            }
        }
        let actionScope: CedarExpression = switch action {
        case .any: .literal(.bool(true))
        case .equal(let uid): .binary(.equal, .variable(.action), .literal(.entity(uid)))
        case .in(let uid): .binary(.in, .variable(.action), .literal(.entity(uid)))
        case .inAny(let uids): .binary(.in, .variable(.action), .set(uids.map { .literal(.entity($0)) }))
        }
        var body = CedarExpression.literal(.bool(true))
        if let last = conditions.last {
            body = last.isWhen ? last.body : .not(last.body)
            for condition in conditions.dropLast().reversed() {
                body = .and(condition.isWhen ? condition.body : .not(condition.body), body)
            }
        }
        return .and(scope(principal, .principal), .and(actionScope, .and(scope(resource, .resource), body)))
    }
}

extension CedarExpression {
    /// The expressions directly inside this one.
    var children: [CedarExpression] {
        switch self {
        case .literal, .variable, .slot: []
        case .ifThenElse(let a, let b, let c): [a, b, c]
        case .and(let a, let b), .or(let a, let b), .binary(_, let a, let b): [a, b]
        case .not(let a), .negate(let a), .isEmpty(let a), .attribute(let a, _), .has(let a, _), .like(let a, _),
             .isType(let a, _): [a]
        case .set(let elements), .call(_, let elements): elements
        case .record(let members): members.map(\.1)
        }
    }
}

extension CedarPolicy {
    /// A template with each slot's constraint dropped (`principal == ?principal` → `principal`, `resource is T in
    /// ?resource` → `resource is T`).
    var withoutSlots: CedarPolicy {
        func open(_ scope: Scope) -> Scope {
            switch scope {
            case .equal(.slot), .in(.slot): .any
            case .isIn(let type, .slot): .is(type)
            default: scope
            }
        }
        return CedarPolicy(id: id, effect: effect, annotations: annotations, principal: open(principal), action: action,
                           resource: open(resource), conditions: conditions, line: line)
    }
}

