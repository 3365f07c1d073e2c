/// A request: who asks to do what to which resource, in which context.
public struct CedarRequest: Sendable {
    public var principal: EntityUID
    public var action: EntityUID
    public var resource: EntityUID
    public var context: [String: CedarValue]

    /// A request.
    public init(principal: EntityUID, action: EntityUID, resource: EntityUID, context: [String: CedarValue] = [:]) {
        self.principal = principal
        self.action = action
        self.resource = resource
        self.context = context
    }
}

/// Evaluates expressions as Cedar's semantics say (the cedar-spec Lean model): `&&`, `||` and `if` short-circuit,
/// every other operator evaluates its operands left to right, and any error ends the evaluation.
struct CedarEvaluator {
    let request: CedarRequest
    let entities: CedarEntities
    /// Template slot values, for a linked policy.
    var slots: [CedarExpression.Slot: EntityUID] = [:]
    /// The request's principal, action and resource, looked up once: most lookups a policy makes are theirs.
    private let principalEntity: CedarEntity?, actionEntity: CedarEntity?, resourceEntity: CedarEntity?

    init(request: CedarRequest, entities: CedarEntities) {
        self.request = request
        self.entities = entities
        principalEntity = entities[request.principal]
        actionEntity = entities[request.action]
        resourceEntity = entities[request.resource]
    }

    /// The entity `uid`, if there is one.
    func entity(_ uid: EntityUID) -> CedarEntity? {
        if uid == request.principal { return principalEntity }
        if uid == request.resource { return resourceEntity }
        if uid == request.action { return actionEntity }
        return entities[uid]
    }

    /// Whether `uid` is `ancestor` or below it.
    func isDescendant(_ uid: EntityUID, of ancestor: EntityUID) -> Bool {
        uid == ancestor || entity(uid)?.ancestors.contains(ancestor) == true
    }

    func evaluate(_ expression: CedarExpression) throws(CedarEvaluationError) -> CedarValue {
        switch expression {
        case .literal(let value): return value
        case .variable(let variable):
            switch variable {
            case .principal: return .entity(request.principal)
            case .action: return .entity(request.action)
            case .resource: return .entity(request.resource)
            case .context: return .record(request.context)
            }
        case .slot(let slot):
            guard let uid = slots[slot] else { throw .typeError("unlinked slot \(slot.rawValue)") }
            return .entity(uid)
        case .ifThenElse(let condition, let then, let otherwise):
            return try bool(condition) ? try evaluate(then) : try evaluate(otherwise)
        case .and(let left, let right):
            return .bool(try bool(left) ? try bool(right) : false)
        case .or(let left, let right):
            return .bool(try bool(left) ? true : try bool(right))
        case .not(let operand):
            return .bool(!(try bool(operand)))
        case .negate(let operand):
            guard case .long(let value) = try evaluate(operand) else { throw .typeError("- needs a long") }
            let (result, overflow) = Int64(0).subtractingReportingOverflow(value)
            guard !overflow else { throw .overflow }
            return .long(result)
        case .isEmpty(let operand):
            guard case .set(let values) = try evaluate(operand) else { throw .typeError("isEmpty needs a set") }
            return .bool(values.isEmpty)
        case .binary(let op, let left, let right):
            let first = try evaluate(left)
            return try apply(op, first, try evaluate(right))
        case .attribute(let operand, let name):
            let value = try evaluate(operand)
            switch value {
            case .record(let members):
                guard let member = members[name] else { throw .attributeDoesNotExist(name) }
                return member
            case .entity(let uid):
                guard let entity = entity(uid) else { throw .entityDoesNotExist(uid) }
                guard let member = entity.attributes[name] else { throw .attributeDoesNotExist(name) }
                return member
            default: throw .typeError("attribute access on a \(value.typeName)")
            }
        case .has(let operand, let name):
            let value = try evaluate(operand)
            switch value {
            case .record(let members): return .bool(members[name] != nil)
            case .entity(let uid): return .bool(entity(uid)?.attributes[name] != nil)
            default: throw .typeError("has on a \(value.typeName)")
            }
        case .like(let operand, let pattern):
            guard case .string(let text) = try evaluate(operand) else { throw .typeError("like needs a string") }
            return .bool(CedarPattern.matches(Array(text.unicodeScalars), pattern))
        case .isType(let operand, let type):
            guard case .entity(let uid) = try evaluate(operand) else { throw .typeError("is needs an entity") }
            return .bool(uid.type == type)
        case .set(let elements):
            var values = Set<CedarValue>(minimumCapacity: elements.count)
            for element in elements { values.insert(try evaluate(element)) }
            return .set(values)
        case .record(let members):
            var values: [String: CedarValue] = [:]
            for (name, member) in members { values[name] = try evaluate(member) }
            return .record(values)
        case .call(let function, let arguments):
            var values: [CedarValue] = []
            values.reserveCapacity(arguments.count)
            for argument in arguments { values.append(try evaluate(argument)) }
            return try CedarExtensions.call(function, values)
        }
    }

    private func bool(_ expression: CedarExpression) throws(CedarEvaluationError) -> Bool {
        let value = try evaluate(expression)
        guard case .bool(let result) = value else { throw .typeError("expected a bool, got a \(value.typeName)") }
        return result
    }

    private func apply(_ op: CedarExpression.BinaryOperator, _ left: CedarValue,
                       _ right: CedarValue) throws(CedarEvaluationError) -> CedarValue {
        switch op {
        case .equal: return .bool(left == right)
        case .notEqual: return .bool(left != right)
        case .less: return .bool(try ordered(left, right) { $0 < $1 })
        case .lessOrEqual: return .bool(try ordered(left, right) { $0 <= $1 })
        case .greater: return .bool(try ordered(right, left) { $0 < $1 })
        case .greaterOrEqual: return .bool(try ordered(right, left) { $0 <= $1 })
        case .add, .subtract, .multiply:
            guard case .long(let a) = left, case .long(let b) = right else { throw .typeError("\(op.rawValue) needs longs") }
            let (result, overflow) = switch op {
            case .add: a.addingReportingOverflow(b)
            case .subtract: a.subtractingReportingOverflow(b)
            default: a.multipliedReportingOverflow(by: b)
            }
            guard !overflow else { throw .overflow }
            return .long(result)
        case .in:
            guard case .entity(let uid) = left else { throw .typeError("in needs an entity on its left") }
            switch right {
            case .entity(let ancestor): return .bool(isDescendant(uid, of: ancestor))
            case .set(let values):
                var found = false
                for value in values {
                    guard case .entity(let ancestor) = value else { throw .typeError("in needs a set of entities") }
                    if !found && isDescendant(uid, of: ancestor) { found = true }
                }
                return .bool(found)
            default: throw .typeError("in needs an entity or a set on its right")
            }
        case .contains:
            guard case .set(let values) = left else { throw .typeError("contains needs a set") }
            return .bool(values.contains(right))
        case .containsAll, .containsAny:
            guard case .set(let values) = left, case .set(let others) = right else {
                throw .typeError("\(op.rawValue) needs two sets")
            }
            return .bool(op == .containsAll ? others.isSubset(of: values) : !values.isDisjoint(with: others))
        case .hasTag, .getTag:
            guard case .entity(let uid) = left, case .string(let key) = right else {
                throw .typeError("\(op.rawValue) needs an entity and a string")
            }
            if op == .hasTag { return .bool(entity(uid)?.tags[key] != nil) }
            guard let entity = entity(uid) else { throw .entityDoesNotExist(uid) }
            guard let tag = entity.tags[key] else { throw .tagDoesNotExist(key) }
            return tag
        }
    }

    /// `<` and `<=` on two longs, two datetimes or two durations.
    private func ordered(_ left: CedarValue, _ right: CedarValue,
                         _ compare: (Int64, Int64) -> Bool) throws(CedarEvaluationError) -> Bool {
        switch (left, right) {
        case (.long(let a), .long(let b)), (.datetime(let a), .datetime(let b)), (.duration(let a), .duration(let b)):
            return compare(a, b)
        default: throw .typeError("comparison of a \(left.typeName) and a \(right.typeName)")
        }
    }
}

/// `like` patterns: `*` matches any run of characters, every other element itself.
enum CedarPattern {
    static func matches(_ text: [Unicode.Scalar], _ pattern: [PatternElement]) -> Bool {
        // Greedy match with backtracking to the last star: linear in practice, never exponential.
        var t = 0, p = 0, starP = -1, starT = 0
        while t < text.count {
            if p < pattern.count, case .scalar(let scalar) = pattern[p], scalar == text[t] {
                t += 1
                p += 1
            } else if p < pattern.count, pattern[p] == .star {
                starP = p
                starT = t
                p += 1
            } else if starP >= 0 {
                p = starP + 1
                starT += 1
                t = starT
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == .star { p += 1 }
        return p == pattern.count
    }
}
