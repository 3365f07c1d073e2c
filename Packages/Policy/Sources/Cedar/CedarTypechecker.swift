/// Types one expression in one request environment, as the cedar-spec Lean typechecker does: booleans known to be
/// true or false, record attributes with whether they must exist, and capabilities — the attributes and tags a
/// `has` or `hasTag` has shown to exist on the path so far.
struct CedarTypechecker {
    /// A type of the validator: like a schema type, with booleans known true (`tt`) or false (`ff`).
    indirect enum ValidationType: Equatable, CustomStringConvertible {
        enum Truth: Equatable { case any, tt, ff }
        struct Member: Equatable {
            var type: ValidationType
            var required: Bool
        }

        case bool(Truth)
        case long, string
        case entity(String)
        case set(ValidationType)
        case record([String: Member])
        case `extension`(CedarFunction)

        var description: String {
            switch self {
            case .bool: "Bool"
            case .long: "Long"
            case .string: "String"
            case .entity(let type): type
            case .set(let element): "Set<\(element)>"
            case .record: "a record"
            case .extension(let function): function.rawValue
            }
        }

        init(_ type: CedarType) {
            switch type {
            case .bool: self = .bool(.any)
            case .long: self = .long
            case .string: self = .string
            case .entity(let name): self = .entity(name)
            case .set(let element): self = .set(ValidationType(element))
            case .record(let attributes):
                self = .record(attributes.mapValues { Member(type: ValidationType($0.type), required: $0.required) })
            case .extension(let function): self = .extension(function)
            }
        }

        /// The least upper bound, or nil when the two have none.
        func join(_ other: ValidationType) -> ValidationType? {
            switch (self, other) {
            case (.bool(let a), .bool(let b)): return .bool(a == b ? a : .any)
            case (.set(let a), .set(let b)): return a.join(b).map { .set($0) }
            case (.record(let a), .record(let b)):
                guard Set(a.keys) == Set(b.keys) else { return nil }
                var members: [String: Member] = [:]
                for (name, member) in a {
                    let theirs = b[name]!
                    guard member.required == theirs.required, let type = member.type.join(theirs.type) else { return nil }
                    members[name] = Member(type: type, required: member.required)
                }
                return .record(members)
            default: return self == other ? self : nil
            }
        }
    }

    /// One request environment: the principal and resource types, the action, the context's type.
    struct Environment {
        var principal: String
        var action: EntityUID
        var resource: String
        var context: CedarType
    }

    struct Failure: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// What `has` or `hasTag` has shown to exist: an expression (by its structure) and an attribute or tag.
    typealias Capabilities = Set<String>

    let schema: CedarSchema
    let environment: Environment

    private static func capability(_ expression: CedarExpression, attribute name: String) -> String {
        "attr \(name.utf8.count):\(name) of \(expression)"
    }

    private static func capability(_ expression: CedarExpression, tag: CedarExpression) -> String {
        "tag \(tag) of \(expression)"
    }

    func typeOf(_ expression: CedarExpression, _ capabilities: Capabilities) throws(Failure) -> (ValidationType, Capabilities) {
        switch expression {
        case .literal(let value):
            switch value {
            case .bool(let flag): return (.bool(flag ? .tt : .ff), [])
            case .long: return (.long, [])
            case .string: return (.string, [])
            case .entity(let uid):
                guard schema.isValidEntityUID(uid) || schema.actions[uid] != nil else {
                    throw Failure("unknown entity \(uid)")
                }
                return (.entity(uid.type), [])
            default: throw Failure("a literal of an unexpected type")
            }
        case .variable(let variable):
            switch variable {
            case .principal: return (.entity(environment.principal), [])
            case .action: return (.entity(environment.action.type), [])
            case .resource: return (.entity(environment.resource), [])
            case .context: return (ValidationType(environment.context), [])
            }
        case .slot: throw Failure("a template slot outside a linked policy")
        case .ifThenElse(let condition, let then, let otherwise):
            let (test, c1) = try typeOf(condition, capabilities)
            switch test {
            case .bool(.tt):
                let (type, c2) = try typeOf(then, capabilities.union(c1))
                return (type, c1.union(c2))
            case .bool(.ff):
                return try typeOf(otherwise, capabilities)
            case .bool(.any):
                let (a, c2) = try typeOf(then, capabilities.union(c1))
                let (b, c3) = try typeOf(otherwise, capabilities)
                guard let type = a.join(b) else { throw Failure("if branches of types \(a) and \(b)") }
                return (type, c1.union(c2).intersection(c3))
            default: throw Failure("if needs a boolean condition, not \(test)")
            }
        case .and(let left, let right):
            let (a, c1) = try typeOf(left, capabilities)
            guard case .bool(let first) = a else { throw Failure("&& needs booleans, not \(a)") }
            if first == .ff { return (.bool(.ff), []) }
            let (b, c2) = try typeOf(right, capabilities.union(c1))
            guard case .bool(let second) = b else { throw Failure("&& needs booleans, not \(b)") }
            switch second {
            case .ff: return (.bool(.ff), [])
            case .tt: return (.bool(first), c1.union(c2))
            case .any: return (.bool(.any), c1.union(c2))
            }
        case .or(let left, let right):
            let (a, c1) = try typeOf(left, capabilities)
            guard case .bool(let first) = a else { throw Failure("|| needs booleans, not \(a)") }
            if first == .tt { return (.bool(.tt), c1) }
            let (b, c2) = try typeOf(right, capabilities)
            guard case .bool(let second) = b else { throw Failure("|| needs booleans, not \(b)") }
            if first == .ff { return (.bool(second), c2) }
            switch second {
            case .tt: return (.bool(.tt), [])
            case .ff: return (.bool(.any), c1)
            case .any: return (.bool(.any), c1.intersection(c2))
            }
        case .not(let operand):
            let (type, _) = try typeOf(operand, capabilities)
            guard case .bool(let truth) = type else { throw Failure("! needs a boolean, not \(type)") }
            return (.bool(truth == .tt ? .ff : truth == .ff ? .tt : .any), [])
        case .negate(let operand):
            let (type, _) = try typeOf(operand, capabilities)
            guard type == .long else { throw Failure("- needs a Long, not \(type)") }
            return (.long, [])
        case .isEmpty(let operand):
            let (type, _) = try typeOf(operand, capabilities)
            guard case .set = type else { throw Failure("isEmpty needs a set, not \(type)") }
            return (.bool(.any), [])
        case .like(let operand, _):
            let (type, _) = try typeOf(operand, capabilities)
            guard type == .string else { throw Failure("like needs a String, not \(type)") }
            return (.bool(.any), [])
        case .isType(let operand, let wanted):
            let (type, _) = try typeOf(operand, capabilities)
            guard case .entity(let actual) = type else { throw Failure("is needs an entity, not \(type)") }
            return (.bool(actual == wanted ? .tt : .ff), [])
        case .binary(let op, let left, let right):
            return try binary(op, left, right, capabilities)
        case .has(let operand, let name):
            let (type, _) = try typeOf(operand, capabilities)
            let known = capabilities.contains(Self.capability(operand, attribute: name))
            let members: [String: ValidationType.Member]
            let knownToExist: Bool
            switch type {
            case .record(let record): (members, knownToExist) = (record, true)
            case .entity(let name):
                guard let declared = schema.entityTypes[name] else {
                    if schema.isActionType(name) { return (.bool(.ff), []) }
                    throw Failure("unknown entity type \(name)")
                }
                (members, knownToExist) = (Self.members(of: declared), false)
            default: throw Failure("has needs an entity or a record, not \(type)")
            }
            guard let member = members[name] else { return (.bool(.ff), []) }
            if known || (member.required && knownToExist) { return (.bool(.tt), []) }
            return (.bool(.any), [Self.capability(operand, attribute: name)])
        case .attribute(let operand, let name):
            let (type, _) = try typeOf(operand, capabilities)
            let members: [String: ValidationType.Member]
            switch type {
            case .record(let record): members = record
            case .entity(let entityType):
                guard let declared = schema.entityTypes[entityType] else { throw Failure("unknown entity type \(entityType)") }
                members = Self.members(of: declared)
            default: throw Failure("attribute access on \(type)")
            }
            guard let member = members[name] else { throw Failure("\(type) has no attribute \(name)") }
            guard member.required || capabilities.contains(Self.capability(operand, attribute: name)) else {
                throw Failure("attribute \(name) of \(type) may be missing (guard it with has)")
            }
            return (member.type, [])
        case .set(let elements):
            guard !elements.isEmpty else { throw Failure("an empty set literal has no type") }
            var joined: ValidationType?
            for element in elements {
                let (type, _) = try typeOf(element, capabilities)
                guard let next = joined.map({ $0.join(type) }) ?? type else { throw Failure("a set of mixed types") }
                joined = next
            }
            return (.set(joined!), [])
        case .record(let members):
            var types: [String: ValidationType.Member] = [:]
            for (name, member) in members { types[name] = .init(type: try typeOf(member, capabilities).0, required: true) }
            return (.record(types), [])
        case .call(let function, let arguments):
            return try call(function, arguments, capabilities)
        }
    }

    private func binary(_ op: CedarExpression.BinaryOperator, _ left: CedarExpression, _ right: CedarExpression,
                        _ capabilities: Capabilities) throws(Failure) -> (ValidationType, Capabilities) {
        // `a > b` is `b < a`, `a != b` is `!(a == b)`: as the Lean model writes them.
        switch op {
        case .greater: return try binary(.less, right, left, capabilities)
        case .greaterOrEqual: return try binary(.lessOrEqual, right, left, capabilities)
        case .notEqual:
            let (type, _) = try binary(.equal, left, right, capabilities)
            guard case .bool(let truth) = type else { return (type, []) }
            return (.bool(truth == .tt ? .ff : truth == .ff ? .tt : .any), [])
        default: break
        }
        let (a, _) = try typeOf(left, capabilities)
        let (b, _) = try typeOf(right, capabilities)
        switch (op, a, b) {
        case (.equal, _, _):
            if case .literal(let x) = substituted(left), case .literal(let y) = substituted(right), x.isPrimitive, y.isPrimitive {
                return (.bool(x == y ? .tt : .ff), [])
            }
            if a.join(b) != nil { return (.bool(.any), []) }
            if case .entity = a, case .entity = b { return (.bool(.ff), []) }
            throw Failure("== between \(a) and \(b)")
        case (.in, .entity(let child), .entity(let parent)):
            if let uid = actionUID(left), case .literal(.entity(let ancestor)) = substituted(right) {
                return (.bool(isAction(uid, within: ancestor) ? .tt : .ff), [])
            }
            return (.bool(isEntityType(child, within: parent) ? .any : .ff), [])
        case (.in, .entity(let child), .set(.entity(let parent))):
            if let uid = actionUID(left), case .set(let elements) = right,
               let ancestors = elements.map({ element -> EntityUID? in
                   if case .literal(.entity(let ancestor)) = substituted(element) { ancestor } else { nil }
               }) as [EntityUID?]?, !ancestors.contains(where: { $0 == nil }) {
                return (.bool(ancestors.contains { isAction(uid, within: $0!) } ? .tt : .ff), [])
            }
            return (.bool(isEntityType(child, within: parent) ? .any : .ff), [])
        case (.hasTag, .entity(let type), .string):
            guard let declared = schema.entityTypes[type] else {
                if schema.isActionType(type) { return (.bool(.ff), []) }
                throw Failure("unknown entity type \(type)")
            }
            guard declared.tags != nil else { return (.bool(.ff), []) }
            let capability = Self.capability(left, tag: right)
            return capabilities.contains(capability) ? (.bool(.tt), []) : (.bool(.any), [capability])
        case (.getTag, .entity(let type), .string):
            guard let declared = schema.entityTypes[type] else { throw Failure("unknown entity type \(type)") }
            guard let tags = declared.tags, capabilities.contains(Self.capability(left, tag: right)) else {
                throw Failure("tag of \(type) may be missing (guard it with hasTag)")
            }
            return (ValidationType(tags), [])
        case (.less, .long, .long), (.lessOrEqual, .long, .long),
             (.less, .extension(.datetime), .extension(.datetime)), (.lessOrEqual, .extension(.datetime), .extension(.datetime)),
             (.less, .extension(.duration), .extension(.duration)), (.lessOrEqual, .extension(.duration), .extension(.duration)):
            return (.bool(.any), [])
        case (.add, .long, .long), (.subtract, .long, .long), (.multiply, .long, .long):
            return (.long, [])
        case (.contains, .set(let element), _):
            guard b.join(element) != nil else { throw Failure("contains of \(b) in a set of \(element)") }
            return (.bool(.any), [])
        case (.containsAll, .set(let x), .set(let y)), (.containsAny, .set(let x), .set(let y)):
            guard x.join(y) != nil else { throw Failure("\(op.rawValue) of sets of \(x) and \(y)") }
            return (.bool(.any), [])
        default:
            throw Failure("\(op.rawValue) does not take \(a) and \(b)")
        }
    }

    private func call(_ function: CedarFunction, _ arguments: [CedarExpression],
                      _ capabilities: Capabilities) throws(Failure) -> (ValidationType, Capabilities) {
        var types: [ValidationType] = []
        for argument in arguments { types.append(try typeOf(argument, capabilities).0) }
        if CedarFunction.constructors.contains(function) {
            guard arguments.count == 1, case .literal(.string(let text)) = arguments[0],
                  (try? CedarExtensions.call(function, [.string(text)])) != nil else {
                throw Failure("\(function.rawValue) needs a valid string literal")
            }
            return (.extension(function), [])
        }
        let decimal = ValidationType.extension(.decimal), ip = ValidationType.extension(.ip)
        let datetime = ValidationType.extension(.datetime), duration = ValidationType.extension(.duration)
        let result: ValidationType? = switch (function, types) {
        case (.lessThan, [decimal, decimal]), (.lessThanOrEqual, [decimal, decimal]), (.greaterThan, [decimal, decimal]),
             (.greaterThanOrEqual, [decimal, decimal]), (.isIpv4, [ip]), (.isIpv6, [ip]), (.isLoopback, [ip]),
             (.isMulticast, [ip]), (.isInRange, [ip, ip]): .bool(.any)
        case (.offset, [datetime, duration]), (.toDate, [datetime]): datetime
        case (.durationSince, [datetime, datetime]), (.toTime, [datetime]): duration
        case (.toMilliseconds, [duration]), (.toSeconds, [duration]), (.toMinutes, [duration]), (.toHours, [duration]),
             (.toDays, [duration]): .long
        default: nil
        }
        guard let result else { throw Failure("\(function.rawValue) does not take \(types.map(\.description))") }
        return (result, [])
    }

    /// An entity type's attributes as validation types.
    private static func members(of declared: CedarSchema.EntityType) -> [String: ValidationType.Member] {
        declared.attributes.mapValues { .init(type: ValidationType($0.type), required: $0.required) }
    }

    /// `expression` with the `action` variable replaced by the environment's action, as the Lean model substitutes it.
    private func substituted(_ expression: CedarExpression) -> CedarExpression {
        if case .variable(.action) = expression { return .literal(.entity(environment.action)) }
        return expression
    }

    /// The action `expression` names literally (the `action` variable included).
    private func actionUID(_ expression: CedarExpression) -> EntityUID? {
        guard case .literal(.entity(let uid)) = substituted(expression), schema.actions[uid] != nil else { return nil }
        return uid
    }

    private func isAction(_ uid: EntityUID, within ancestor: EntityUID) -> Bool {
        uid == ancestor || schema.actions[uid]?.ancestors.contains(ancestor) == true
    }

    private func isEntityType(_ child: String, within parent: String) -> Bool {
        child == parent || schema.entityTypes[child]?.parents.contains(parent) == true
    }
}

extension CedarValue {
    /// A boolean, long, string or entity: what the Lean model calls a primitive literal.
    var isPrimitive: Bool {
        switch self {
        case .bool, .long, .string, .entity: true
        default: false
        }
    }
}
