/// Reads Cedar policy text (Cedar 4's grammar) into policies; ids are `policy0`, `policy1`, … by position.
struct CedarParser: CedarTokenReading {
    let tokens: [CedarToken]
    var position = 0
    /// Expressions being read inside one another (parentheses, brackets, arguments): bounded like the height.
    private var nesting = 0

    static let reserved: Set<String> = ["true", "false", "if", "then", "else", "in", "is", "like", "has", "__cedar"]
    static let variables: Set<String> = ["principal", "action", "resource", "context"]

    init(_ text: String) throws(CedarParseError) {
        tokens = try CedarLexer.tokens(text)
    }

    /// Every policy of the text, in order.
    mutating func policies() throws(CedarParseError) -> [CedarPolicy] {
        var policies: [CedarPolicy] = []
        while current.kind != .end { policies.append(try policy(id: "policy\(policies.count)")) }
        return policies
    }

    // MARK: - Policies

    private mutating func policy(id: String) throws(CedarParseError) -> CedarPolicy {
        var annotations: [(String, String?)] = []
        while take("@") {
            let nameToken = current
            let name = try identifier()
            guard !annotations.contains(where: { $0.0 == name }) else {
                throw error("duplicate annotation @\(name)", at: nameToken)
            }
            var value: String?
            if take("(") {
                value = try stringLiteral()
                try expect(")")
            }
            annotations.append((name, value))
        }
        let start = current
        let effect: CedarPolicy.Effect
        if takeWord("permit") { effect = .permit } else if takeWord("forbid") { effect = .forbid } else {
            throw error("expected 'permit' or 'forbid'")
        }
        try expect("(")
        try expectWord("principal")
        let principal = try scope(slot: .principal)
        try expect(",")
        try expectWord("action")
        let action = try actionScope()
        try expect(",")
        try expectWord("resource")
        let resource = try scope(slot: .resource)
        try expect(")")
        var conditions: [(isWhen: Bool, body: CedarExpression)] = []
        while isWord("when") || isWord("unless") {
            let isWhen = isWord("when")
            position += 1
            try expect("{")
            guard !isSymbol("}") else { throw error("a condition needs an expression") }
            conditions.append((isWhen, try expression()))
            try expect("}")
        }
        try expect(";")
        return CedarPolicy(id: id, effect: effect, annotations: annotations, principal: principal, action: action,
                           resource: resource, conditions: conditions, line: start.line)
    }

    private mutating func scope(slot: CedarExpression.Slot) throws(CedarParseError) -> CedarPolicy.Scope {
        if take("==") { return .equal(try scopeTarget(slot)) }
        if takeWord("in") { return .in(try scopeTarget(slot)) }
        if takeWord("is") {
            let type = try path()
            return takeWord("in") ? .isIn(type, try scopeTarget(slot)) : .is(type)
        }
        return .any
    }

    private mutating func scopeTarget(_ slot: CedarExpression.Slot) throws(CedarParseError) -> CedarPolicy.ScopeTarget {
        if case .slot(let name) = current.kind {
            guard "?" + name == slot.rawValue else { throw error("?\(name) cannot appear in this scope") }
            position += 1
            return .slot(slot)
        }
        return .entity(try entityLiteral())
    }

    private mutating func actionScope() throws(CedarParseError) -> CedarPolicy.ActionScope {
        if take("==") { return .equal(try entityLiteral()) }
        guard takeWord("in") else { return .any }
        guard take("[") else { return .in(try entityLiteral()) }
        var entities: [EntityUID] = []
        while !isSymbol("]") {
            entities.append(try entityLiteral())
            guard take(",") else { break }
        }
        try expect("]")
        return .inAny(entities)
    }

    /// `Path::"id"`.
    private mutating func entityLiteral() throws(CedarParseError) -> EntityUID {
        var parts = [try identifier()]
        while take("::") {
            if case .string = current.kind { return EntityUID(type: parts.joined(separator: "::"), id: try stringLiteral()) }
            parts.append(try identifier())
        }
        throw error("expected an entity literal (Type::\"id\")")
    }


    // MARK: - Expressions

    /// An expression and its height (the longest path to a leaf): the evaluator recurses that deep.
    typealias Tree = (expression: CedarExpression, height: Int)

    /// The tallest expression accepted: deeper ones are refused here rather than exhaust a thread's stack later.
    static let maxHeight = 200

    private func node(_ expression: CedarExpression, _ children: Int...) throws(CedarParseError) -> Tree {
        let height = (children.max() ?? 0) + 1
        guard height <= Self.maxHeight else { throw error("expression nested too deeply (more than \(Self.maxHeight) levels)") }
        return (expression, height)
    }

    mutating func expression() throws(CedarParseError) -> CedarExpression { try tree().expression }

    private mutating func tree() throws(CedarParseError) -> Tree {
        nesting += 1
        defer { nesting -= 1 }
        guard nesting <= Self.maxHeight else { throw error("expression nested too deeply (more than \(Self.maxHeight) levels)") }
        if takeWord("if") {
            let condition = try tree()
            try expectWord("then")
            let then = try tree()
            try expectWord("else")
            let otherwise = try tree()
            return try node(.ifThenElse(condition.expression, then.expression, otherwise.expression),
                            condition.height, then.height, otherwise.height)
        }
        var left = try conjunction()
        while take("||") {
            let right = try conjunction()
            left = try node(.or(left.expression, right.expression), left.height, right.height)
        }
        return left
    }

    private mutating func conjunction() throws(CedarParseError) -> Tree {
        var left = try relation()
        while take("&&") {
            let right = try relation()
            left = try node(.and(left.expression, right.expression), left.height, right.height)
        }
        return left
    }

    private mutating func relation() throws(CedarParseError) -> Tree {
        let left = try sum()
        for (symbol, op) in [("==", CedarExpression.BinaryOperator.equal), ("!=", .notEqual), ("<=", .lessOrEqual),
                             (">=", .greaterOrEqual), ("<", .less), (">", .greater)] where take(symbol) {
            let right = try sum()
            return try node(.binary(op, left.expression, right.expression), left.height, right.height)
        }
        if takeWord("in") {
            let right = try sum()
            return try node(.binary(.in, left.expression, right.expression), left.height, right.height)
        }
        if takeWord("has") {
            var names = [try attributeName()]
            while take(".") { names.append(try attributeName()) }
            // `e has a.b` is `e has a && e.a has b`.
            var result = try node(.has(left.expression, names[0]), left.height)
            var reached = left
            for index in 1..<names.count {
                reached = try node(.attribute(reached.expression, names[index - 1]), reached.height)
                let step = try node(.has(reached.expression, names[index]), reached.height)
                result = try node(.and(result.expression, step.expression), result.height, step.height)
            }
            return result
        }
        if takeWord("like") {
            guard case .string(let body) = current.kind, let pattern = CedarText.unescape(body, pattern: true) else {
                throw error("expected a pattern string after 'like'")
            }
            position += 1
            return try node(.like(left.expression, pattern), left.height)
        }
        if takeWord("is") {
            let type = try path()
            let check = try node(.isType(left.expression, type), left.height)
            guard takeWord("in") else { return check }
            let ancestor = try sum()
            let membership = try node(.binary(.in, left.expression, ancestor.expression), left.height, ancestor.height)
            return try node(.and(check.expression, membership.expression), check.height, membership.height)
        }
        return left
    }

    private mutating func attributeName() throws(CedarParseError) -> String {
        if case .string = current.kind { return try stringLiteral() }
        return try identifier()
    }

    private mutating func sum() throws(CedarParseError) -> Tree {
        var left = try product()
        while isSymbol("+") || isSymbol("-") {
            let op: CedarExpression.BinaryOperator = take("+") ? .add : (take("-") ? .subtract : .add)
            let right = try product()
            left = try node(.binary(op, left.expression, right.expression), left.height, right.height)
        }
        return left
    }

    private mutating func product() throws(CedarParseError) -> Tree {
        var left = try unary()
        while take("*") {
            let right = try unary()
            left = try node(.binary(.multiply, left.expression, right.expression), left.height, right.height)
        }
        return left
    }

    private mutating func unary() throws(CedarParseError) -> Tree {
        if isSymbol("!") {
            var count = 0
            while take("!") { count += 1 }
            var operand = try member()
            for _ in 0..<count { operand = try node(.not(operand.expression), operand.height) }
            return operand
        }
        guard isSymbol("-") else { return try member() }
        var count = 0
        while take("-") { count += 1 }
        // A literal takes the first minus itself, so that -9223372036854775808 can be written.
        if case .integer(let magnitude) = current.kind, !isMemberAccess(after: position + 1) {
            position += 1
            var operand = try node(.literal(.long(magnitude == UInt64(Int64.max) + 1 ? .min : -Int64(magnitude))))
            for _ in 1..<count { operand = try node(.negate(operand.expression), operand.height) }
            return operand
        }
        var operand = try member()
        for _ in 0..<count { operand = try node(.negate(operand.expression), operand.height) }
        return operand
    }

    private func isMemberAccess(after index: Int) -> Bool {
        tokens[index].kind == .symbol(".") || tokens[index].kind == .symbol("[")
    }

    private mutating func member() throws(CedarParseError) -> Tree {
        var value = try primary()
        while true {
            if take("[") {
                let name = try stringLiteral()
                try expect("]")
                value = try node(.attribute(value.expression, name), value.height)
            } else if take(".") {
                let nameToken = current
                let name = try identifier()
                guard take("(") else {
                    value = try node(.attribute(value.expression, name), value.height)
                    continue
                }
                let arguments = try trees(until: ")")
                let called = try method(name, receiver: value.expression, arguments.map(\.expression), at: nameToken)
                value = try node(called, [value.height] + arguments.map(\.height))
            } else {
                return value
            }
        }
    }

    private func node(_ expression: CedarExpression, _ children: [Int]) throws(CedarParseError) -> Tree {
        let height = (children.max() ?? 0) + 1
        guard height <= Self.maxHeight else { throw error("expression nested too deeply (more than \(Self.maxHeight) levels)") }
        return (expression, height)
    }

    private func method(_ name: String, receiver: CedarExpression, _ arguments: [CedarExpression],
                        at token: CedarToken) throws(CedarParseError) -> CedarExpression {
        func one() throws(CedarParseError) -> CedarExpression {
            guard arguments.count == 1 else { throw error("\(name) takes one argument", at: token) }
            return arguments[0]
        }
        switch name {
        case "contains": return .binary(.contains, receiver, try one())
        case "containsAll": return .binary(.containsAll, receiver, try one())
        case "containsAny": return .binary(.containsAny, receiver, try one())
        case "hasTag": return .binary(.hasTag, receiver, try one())
        case "getTag": return .binary(.getTag, receiver, try one())
        case "isEmpty":
            guard arguments.isEmpty else { throw error("isEmpty takes no argument", at: token) }
            return .isEmpty(receiver)
        default:
            guard let function = CedarFunction(rawValue: name), !CedarFunction.constructors.contains(function) else {
                throw error("unknown method \(name)", at: token)
            }
            // A wrong count is an evaluation error, as in the reference.
            return .call(function, [receiver] + arguments)
        }
    }

    private mutating func trees(until closing: String) throws(CedarParseError) -> [Tree] {
        var list: [Tree] = []
        while !isSymbol(closing) {
            list.append(try tree())
            guard take(",") else { break }
        }
        try expect(closing)
        return list
    }

    private mutating func primary() throws(CedarParseError) -> Tree {
        let token = current
        switch token.kind {
        case .integer(let value):
            guard value <= UInt64(Int64.max) else { throw error("integer literal out of range") }
            position += 1
            return try node(.literal(.long(Int64(value))))
        case .string(let body):
            guard let text = CedarText.string(body) else { throw error("invalid escape in string literal") }
            position += 1
            return try node(.literal(.string(text)))
        case .slot(let name):
            throw error("the slot ?\(name) can appear only in a scope")
        case .symbol("("):
            position += 1
            let inner = try tree()
            try expect(")")
            return inner
        case .symbol("["):
            position += 1
            let elements = try trees(until: "]")
            return try node(.set(elements.map(\.expression)), elements.map(\.height))
        case .symbol("{"):
            position += 1
            var members: [(String, CedarExpression)] = []
            var heights: [Int] = []
            while !isSymbol("}") {
                let name = try attributeName()
                guard !members.contains(where: { $0.0 == name }) else { throw error("duplicate key \(name) in record") }
                try expect(":")
                let value = try tree()
                members.append((name, value.expression))
                heights.append(value.height)
                guard take(",") else { break }
            }
            try expect("}")
            return try node(.record(members), heights)
        case .identifier(let name):
            if name == "true" || name == "false" {
                position += 1
                return try node(.literal(.bool(name == "true")))
            }
            if Self.variables.contains(name), !(next.kind == .symbol("::")) {
                position += 1
                return try node(.variable(CedarExpression.Variable(rawValue: name)!))
            }
            if next.kind == .symbol("(") {
                position += 2
                let arguments = try trees(until: ")")
                guard let function = CedarFunction(rawValue: name), CedarFunction.constructors.contains(function) else {
                    throw error("unknown function \(name)", at: token)
                }
                return try node(.call(function, arguments.map(\.expression)), arguments.map(\.height))
            }
            guard !Self.reserved.contains(name) else { throw error("unexpected '\(name)'") }
            return try node(.literal(.entity(try entityLiteral())))
        default:
            throw error("expected an expression")
        }
    }
}
