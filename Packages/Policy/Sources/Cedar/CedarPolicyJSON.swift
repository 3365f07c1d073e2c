@_spi(Gatehouse) import JSON

/// Cedar's JSON policy format (the form Verified Permissions and the Rust reference exchange): a policy set as
/// `{"staticPolicies":{ID: POLICY}, "templates":{ID: POLICY}, "templateLinks":[{"templateId","newId","values"}]}`,
/// each policy `{"effect","principal","action","resource","conditions","annotations"}`, expressions as one-member
/// objects (`{"==":{"left","right"}}`, `{"Var":"principal"}`, `{"Value":…}`, `{"decimal":[…]}`, …).
extension CedarPolicySet {
    /// Reads the JSON policy format; static policies and templates in id order, then the links.
    public init(json bytes: [UInt8]) throws(CedarJSON.Failure) {
        var statics: [String: CedarPolicy] = [:], templates: [String: CedarPolicy] = [:]
        var links: [(template: String, id: String, values: [CedarExpression.Slot: EntityUID])] = []
        try CedarJSON.wrap {
            // Each level of an expression is two of JSON: as deep as policy text may nest (CedarParser.maxHeight).
            try JSONScanner.scan(bytes, maxDepth: 2 * CedarParser.maxHeight + 8) { scanner in
                try scanner.members { name, scanner in
                    switch name.text {
                    case "staticPolicies", "templates":
                        let isTemplate = name.text == "templates"
                        try scanner.members { id, scanner in
                            let policy = try CedarPolicyJSONReader.policy(&scanner, id: id.text)
                            if isTemplate { templates[id.text] = policy } else { statics[id.text] = policy }
                        }
                    case "templateLinks":
                        try scanner.elements { scanner in links.append(try CedarPolicyJSONReader.link(&scanner)) }
                    default: throw CedarJSON.Failure("unknown policy set member \(name.text.prefix(40))")
                    }
                }
            }
        }
        self.init(policies: statics.sorted { $0.key < $1.key }.map(\.value) + templates.sorted { $0.key < $1.key }.map(\.value))
        for link in links {
            do { try self.link(template: link.template, as: link.id, principal: link.values[.principal], resource: link.values[.resource]) }
            catch { throw CedarJSON.Failure("\(error)") }
        }
    }

    /// The set in the JSON policy format (compact, members sorted): static policies, templates, and the links.
    public var jsonBytes: [UInt8] {
        var statics: [String: CedarJSONOut] = [:], templates: [String: CedarJSONOut] = [:], links: [CedarJSONOut] = []
        for policy in policies {
            if let link = policy.link {
                var values: [String: CedarJSONOut] = [:]
                for (slot, uid) in link.values { values[slot.rawValue] = CedarPolicyJSONWriter.entity(uid) }
                links.append(.object(["templateId": .string(link.template), "newId": .string(policy.id), "values": .object(values)]))
            } else if policy.isTemplate {
                templates[policy.id] = CedarPolicyJSONWriter.policy(policy)
            } else {
                statics[policy.id] = CedarPolicyJSONWriter.policy(policy)
            }
        }
        return CedarJSONOut.object(["staticPolicies": .object(statics), "templates": .object(templates),
                                    "templateLinks": .array(links)]).bytes
    }
}

/// Reads policies and expressions of the JSON policy format.
enum CedarPolicyJSONReader {
    typealias Failure = CedarJSON.Failure

    static func policy(_ scanner: inout JSONScanner, id: String) throws -> CedarPolicy {
        var effect: CedarPolicy.Effect?
        var principal = CedarPolicy.Scope.any, resource = CedarPolicy.Scope.any, action = CedarPolicy.ActionScope.any
        var conditions: [(isWhen: Bool, body: CedarExpression)] = []
        var annotations: [(String, String?)] = []
        try scanner.members { name, scanner in
            switch name.text {
            case "effect": effect = CedarPolicy.Effect(rawValue: try scanner.string())
            case "principal": principal = try scope(&scanner, slot: .principal)
            case "resource": resource = try scope(&scanner, slot: .resource)
            case "action": action = try actionScope(&scanner)
            case "conditions":
                try scanner.elements { scanner in
                    var kind: String?, body: CedarExpression?
                    try scanner.members { name, scanner in
                        switch name.text {
                        case "kind": kind = try scanner.string()
                        case "body": body = try expression(&scanner)
                        default: throw Failure("unknown condition member \(name.text.prefix(40))")
                        }
                    }
                    guard let kind, kind == "when" || kind == "unless", let body else {
                        throw Failure("a condition needs kind (when or unless) and body")
                    }
                    conditions.append((kind == "when", body))
                }
            case "annotations":
                try scanner.members { key, scanner in
                    annotations.append((key.text, try scanner.null() ? nil : try scanner.string()))
                }
            default: throw Failure("unknown policy member \(name.text.prefix(40))")
            }
        }
        guard let effect else { throw Failure("policy \(id) needs effect permit or forbid") }
        return CedarPolicy(id: id, effect: effect, annotations: annotations.sorted { $0.0 < $1.0 }, principal: principal,
                           action: action, resource: resource, conditions: conditions, line: 0)
    }

    static func link(_ scanner: inout JSONScanner) throws -> (template: String, id: String, values: [CedarExpression.Slot: EntityUID]) {
        var template: String?, id: String?, values: [CedarExpression.Slot: EntityUID] = [:]
        try scanner.members { name, scanner in
            switch name.text {
            case "templateId": template = try scanner.string()
            case "newId": id = try scanner.string()
            case "values":
                try scanner.members { slot, scanner in
                    guard let key = CedarExpression.Slot(rawValue: slot.text) else { throw Failure("unknown slot \(slot.text.prefix(40))") }
                    values[key] = try CedarJSON.entityUID(&scanner)
                }
            default: throw Failure("unknown template link member \(name.text.prefix(40))")
            }
        }
        guard let template, let id else { throw Failure("a template link needs templateId and newId") }
        return (template, id, values)
    }

    private static func target(_ scanner: inout JSONScanner, slot: CedarExpression.Slot) throws -> CedarPolicy.ScopeTarget {
        var found: CedarPolicy.ScopeTarget?
        try scanner.members { name, scanner in
            switch name.text {
            case "entity": found = .entity(try CedarJSON.entityUID(&scanner))
            case "slot":
                guard try scanner.string() == slot.rawValue else { throw Failure("a scope may use only its own slot") }
                found = .slot(slot)
            default: throw Failure("unknown scope member \(name.text.prefix(40))")
            }
        }
        guard let found else { throw Failure("a scope needs entity or slot") }
        return found
    }

    private static func scope(_ scanner: inout JSONScanner, slot: CedarExpression.Slot) throws -> CedarPolicy.Scope {
        var op: String?, entity: EntityUID?, slotted = false, type: String?, within: CedarPolicy.ScopeTarget?
        try scanner.members { name, scanner in
            switch name.text {
            case "op": op = try scanner.string()
            case "entity": entity = try CedarJSON.entityUID(&scanner)
            case "slot":
                guard try scanner.string() == slot.rawValue else { throw Failure("a scope may use only its own slot") }
                slotted = true
            case "entity_type": type = try scanner.string()
            case "in": within = try target(&scanner, slot: slot)
            default: throw Failure("unknown scope member \(name.text.prefix(40))")
            }
        }
        let scopeTarget: CedarPolicy.ScopeTarget? = slotted ? .slot(slot) : entity.map { .entity($0) }
        switch (op, scopeTarget, type) {
        case ("All"?, nil, nil): return .any
        case ("=="?, let wanted?, nil): return .equal(wanted)
        case ("in"?, let wanted?, nil): return .in(wanted)
        case ("is"?, nil, let type?): return within.map { .isIn(type, $0) } ?? .is(type)
        default: throw Failure("a principal or resource scope is op All, ==, in or is with what it needs")
        }
    }

    private static func actionScope(_ scanner: inout JSONScanner) throws -> CedarPolicy.ActionScope {
        var op: String?, entity: EntityUID?, entities: [EntityUID]?
        try scanner.members { name, scanner in
            switch name.text {
            case "op": op = try scanner.string()
            case "entity": entity = try CedarJSON.entityUID(&scanner)
            case "entities":
                var list: [EntityUID] = []
                try scanner.elements { list.append(try CedarJSON.entityUID(&$0)) }
                entities = list
            default: throw Failure("unknown action scope member \(name.text.prefix(40))")
            }
        }
        switch (op, entity, entities) {
        case ("All"?, nil, nil): return .any
        case ("=="?, let uid?, nil): return .equal(uid)
        case ("in"?, let uid?, nil): return .in(uid)
        case ("in"?, nil, let uids?): return .inAny(uids)
        default: throw Failure("an action scope is op All, == or in with what it needs")
        }
    }

    static let binaryOperators: [String: CedarExpression.BinaryOperator] = [
        "==": .equal, "!=": .notEqual, "<": .less, "<=": .lessOrEqual, ">": .greater, ">=": .greaterOrEqual, "in": .in,
        "+": .add, "-": .subtract, "*": .multiply, "contains": .contains, "containsAll": .containsAll,
        "containsAny": .containsAny, "hasTag": .hasTag, "getTag": .getTag,
    ]

    /// One expression: an object with one member naming its form. Nesting is bounded by the JSON reader.
    static func expression(_ scanner: inout JSONScanner) throws -> CedarExpression {
        var result: CedarExpression?
        try scanner.members { name, scanner in
            guard result == nil else { throw Failure("an expression object has one member") }
            result = try form(name.text, &scanner)
        }
        guard let result else { throw Failure("an empty expression object") }
        return result
    }

    private static func form(_ name: String, _ scanner: inout JSONScanner) throws -> CedarExpression {
        switch name {
        case "Value": return .literal(try CedarJSON.value(&scanner))
        case "Var":
            guard let variable = CedarExpression.Variable(rawValue: try scanner.string()) else { throw Failure("unknown variable") }
            return .variable(variable)
        case "Slot":
            guard let slot = CedarExpression.Slot(rawValue: try scanner.string()) else { throw Failure("unknown slot") }
            return .slot(slot)
        case "!", "neg", "isEmpty":
            let operand = try members(&scanner)["arg"] ?? { throw Failure("\(name) needs arg") }()
            return name == "!" ? .not(operand) : name == "neg" ? .negate(operand) : .isEmpty(operand)
        case "&&", "||":
            let parts = try members(&scanner)
            guard let left = parts["left"], let right = parts["right"] else { throw Failure("\(name) needs left and right") }
            return name == "&&" ? .and(left, right) : .or(left, right)
        case ".", "has":
            var operand: CedarExpression?, attribute: String?
            try scanner.members { member, scanner in
                switch member.text {
                case "left": operand = try expression(&scanner)
                case "attr": attribute = try scanner.string()
                default: throw Failure("unknown member \(member.text.prefix(40)) of \(name)")
                }
            }
            guard let operand, let attribute else { throw Failure("\(name) needs left and attr") }
            return name == "." ? .attribute(operand, attribute) : .has(operand, attribute)
        case "like":
            var operand: CedarExpression?, pattern: [PatternElement]?
            try scanner.members { member, scanner in
                switch member.text {
                case "left": operand = try expression(&scanner)
                case "pattern":
                    var elements: [PatternElement] = []
                    try scanner.elements { scanner in
                        if try scanner.kind() == .string {
                            guard try scanner.string() == "Wildcard" else { throw Failure("a pattern element is Wildcard or Literal") }
                            elements.append(.star)
                        } else {
                            try scanner.members { key, scanner in
                                guard key.text == "Literal" else { throw Failure("a pattern element is Wildcard or Literal") }
                                elements += try scanner.string().unicodeScalars.map { .scalar($0) }
                            }
                        }
                    }
                    pattern = elements
                default: throw Failure("unknown member \(member.text.prefix(40)) of like")
                }
            }
            guard let operand, let pattern else { throw Failure("like needs left and pattern") }
            return .like(operand, pattern)
        case "is":
            var operand: CedarExpression?, type: String?, within: CedarExpression?
            try scanner.members { member, scanner in
                switch member.text {
                case "left": operand = try expression(&scanner)
                case "entity_type": type = try scanner.string()
                case "in": within = try expression(&scanner)
                default: throw Failure("unknown member \(member.text.prefix(40)) of is")
                }
            }
            guard let operand, let type else { throw Failure("is needs left and entity_type") }
            let check = CedarExpression.isType(operand, type)
            return within.map { .and(check, .binary(.in, operand, $0)) } ?? check
        case "if-then-else":
            let parts = try members(&scanner)
            guard let condition = parts["if"], let then = parts["then"], let otherwise = parts["else"] else {
                throw Failure("if-then-else needs if, then and else")
            }
            return .ifThenElse(condition, then, otherwise)
        case "Set":
            var elements: [CedarExpression] = []
            try scanner.elements { elements.append(try expression(&$0)) }
            return .set(elements)
        case "Record":
            var members: [(String, CedarExpression)] = []
            try scanner.members { key, scanner in members.append((key.text, try expression(&scanner))) }
            return .record(members)
        default:
            if let op = binaryOperators[name] {
                let parts = try members(&scanner)
                guard let left = parts["left"], let right = parts["right"] else { throw Failure("\(name) needs left and right") }
                return .binary(op, left, right)
            }
            guard let function = CedarFunction(rawValue: name) else { throw Failure("unknown expression \(name.prefix(40))") }
            var arguments: [CedarExpression] = []
            try scanner.elements { arguments.append(try expression(&$0)) }
            return .call(function, arguments)
        }
    }

    /// An object whose members are all expressions.
    private static func members(_ scanner: inout JSONScanner) throws -> [String: CedarExpression] {
        var result: [String: CedarExpression] = [:]
        try scanner.members { name, scanner in result[name.text] = try expression(&scanner) }
        return result
    }
}

/// Writes policies and expressions in the JSON policy format.
enum CedarPolicyJSONWriter {
    static func entity(_ uid: EntityUID) -> CedarJSONOut { .object(["type": .string(uid.type), "id": .string(uid.id)]) }

    static func policy(_ policy: CedarPolicy) -> CedarJSONOut {
        func target(_ target: CedarPolicy.ScopeTarget) -> (String, CedarJSONOut) {
            switch target {
            case .entity(let uid): ("entity", entity(uid))
            case .slot(let slot): ("slot", .string(slot.rawValue))
            }
        }
        func scope(_ scope: CedarPolicy.Scope) -> CedarJSONOut {
            switch scope {
            case .any: return .object(["op": "All"])
            case .equal(let wanted): let (key, value) = target(wanted); return .object(["op": "==", key: value])
            case .in(let wanted): let (key, value) = target(wanted); return .object(["op": "in", key: value])
            case .is(let type): return .object(["op": "is", "entity_type": .string(type)])
            case .isIn(let type, let wanted):
                let (key, value) = target(wanted)
                return .object(["op": "is", "entity_type": .string(type), "in": .object([key: value])])
            }
        }
        let action: CedarJSONOut = switch policy.action {
        case .any: .object(["op": "All"])
        case .equal(let uid): .object(["op": "==", "entity": entity(uid)])
        case .in(let uid): .object(["op": "in", "entity": entity(uid)])
        case .inAny(let uids): .object(["op": "in", "entities": .array(uids.map(entity))])
        }
        var members: [String: CedarJSONOut] = [
            "effect": .string(policy.effect.rawValue), "principal": scope(policy.principal), "action": action,
            "resource": scope(policy.resource),
            "conditions": .array(policy.conditions.map { condition in
                .object(["kind": .string(condition.isWhen ? "when" : "unless"), "body": expression(condition.body)])
            }),
        ]
        if !policy.annotations.isEmpty {
            members["annotations"] = .object(Dictionary(policy.annotations.map { ($0.0, $0.1.map { CedarJSONOut.string($0) } ?? .null) },
                                                        uniquingKeysWith: { first, _ in first }))
        }
        return .object(members)
    }

    static func expression(_ expression: CedarExpression) -> CedarJSONOut {
        func unary(_ name: String, _ operand: CedarExpression) -> CedarJSONOut { .object([name: .object(["arg": self.expression(operand)])]) }
        func binary(_ name: String, _ left: CedarExpression, _ right: CedarExpression) -> CedarJSONOut {
            .object([name: .object(["left": self.expression(left), "right": self.expression(right)])])
        }
        switch expression {
        case .literal(let value): return .object(["Value": Self.value(value)])
        case .variable(let variable): return .object(["Var": .string(variable.rawValue)])
        case .slot(let slot): return .object(["Slot": .string(slot.rawValue)])
        case .ifThenElse(let a, let b, let c):
            return .object(["if-then-else": .object(["if": self.expression(a), "then": self.expression(b), "else": self.expression(c)])])
        case .and(let a, let b): return binary("&&", a, b)
        case .or(let a, let b): return binary("||", a, b)
        case .not(let a): return unary("!", a)
        case .negate(let a): return unary("neg", a)
        case .isEmpty(let a): return unary("isEmpty", a)
        case .binary(let op, let a, let b): return binary(op.rawValue, a, b)
        case .attribute(let a, let name): return .object([".": .object(["left": self.expression(a), "attr": .string(name)])])
        case .has(let a, let name): return .object(["has": .object(["left": self.expression(a), "attr": .string(name)])])
        case .like(let a, let pattern):
            return .object(["like": .object(["left": self.expression(a), "pattern": .array(pattern.map { element in
                switch element {
                case .star: "Wildcard"
                case .scalar(let scalar): .object(["Literal": .string(String(Character(scalar)))])
                }
            })])])
        case .isType(let a, let type): return .object(["is": .object(["left": self.expression(a), "entity_type": .string(type)])])
        case .set(let elements): return .object(["Set": .array(elements.map(self.expression))])
        case .record(let members):
            return .object(["Record": .object(Dictionary(members.map { ($0.0, self.expression($0.1)) }, uniquingKeysWith: { a, _ in a }))])
        case .call(let function, let arguments): return .object([function.rawValue: .array(arguments.map(self.expression))])
        }
    }

    /// A literal value in Cedar's JSON value format.
    static func value(_ value: CedarValue) -> CedarJSONOut {
        switch value {
        case .bool(let flag): .bool(flag)
        case .long(let number): .integer(number)
        case .string(let text): .string(text)
        case .entity(let uid): .object(["__entity": entity(uid)])
        default: .null  // extension values are never literals of policy text
        }
    }
}

/// JSON as the policy writer builds it: like `JSONValue`, but with exact 64-bit integers (a `Double` loses digits past
/// 2^53, and Cedar's longs are 64-bit), members written in sorted order.
indirect enum CedarJSONOut: ExpressibleByStringLiteral {
    case object([String: CedarJSONOut])
    case array([CedarJSONOut])
    case string(String)
    case integer(Int64)
    case bool(Bool)
    case null

    init(stringLiteral value: String) { self = .string(value) }

    /// The compact JSON text.
    var bytes: [UInt8] {
        var output: [UInt8] = []
        write(to: &output)
        return output
    }

    private func write(to output: inout [UInt8]) {
        switch self {
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (index, name) in members.keys.sorted().enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                JSONText.appendString(name, to: &output)
                output.append(UInt8(ascii: ":"))
                members[name]!.write(to: &output)
            }
            output.append(UInt8(ascii: "}"))
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                element.write(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .string(let text): JSONText.appendString(text, to: &output)
        case .integer(let number):
            if number < 0 { output.append(UInt8(ascii: "-")) }
            JSONText.appendDecimal(number.magnitude, to: &output)
        case .bool(let flag): output += Array((flag ? "true" : "false").utf8)
        case .null: output += Array("null".utf8)
        }
    }
}
