/// Reads Cedar policy text (Cedar 4's grammar) into policies; ids are `policy0`, `policy1`, … by position.
struct CedarParser {
    private let tokens: [CedarToken]
    private var position = 0

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

    // MARK: - Tokens

    private var current: CedarToken { tokens[position] }
    private var next: CedarToken { tokens[min(position + 1, tokens.count - 1)] }

    private func error(_ reason: String, at token: CedarToken? = nil) -> CedarParseError {
        let token = token ?? current
        return CedarParseError(line: token.line, column: token.column, reason: reason)
    }

    private func isSymbol(_ symbol: String) -> Bool { current.kind == .symbol(symbol) }
    private func isWord(_ word: String) -> Bool { current.kind == .identifier(word) }

    private mutating func take(_ symbol: String) -> Bool {
        guard isSymbol(symbol) else { return false }
        position += 1
        return true
    }

    private mutating func takeWord(_ word: String) -> Bool {
        guard isWord(word) else { return false }
        position += 1
        return true
    }

    private mutating func expect(_ symbol: String) throws(CedarParseError) {
        guard take(symbol) else { throw error("expected '\(symbol)'") }
    }

    private mutating func expectWord(_ word: String) throws(CedarParseError) {
        guard takeWord(word) else { throw error("expected '\(word)'") }
    }

    private mutating func identifier() throws(CedarParseError) -> String {
        guard case .identifier(let name) = current.kind else { throw error("expected an identifier") }
        position += 1
        return name
    }

    private mutating func stringLiteral() throws(CedarParseError) -> String {
        guard case .string(let body) = current.kind else { throw error("expected a string literal") }
        guard let text = CedarText.string(body) else { throw error("invalid escape in string literal") }
        position += 1
        return text
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

    private mutating func path() throws(CedarParseError) -> String {
        var parts = [try identifier()]
        while isSymbol("::"), case .identifier = next.kind {
            position += 1
            parts.append(try identifier())
        }
        return parts.joined(separator: "::")
    }

    // MARK: - Expressions

    mutating func expression() throws(CedarParseError) -> CedarExpression {
        if takeWord("if") {
            let condition = try expression()
            try expectWord("then")
            let then = try expression()
            try expectWord("else")
            return .ifThenElse(condition, then, try expression())
        }
        var left = try conjunction()
        while take("||") { left = .or(left, try conjunction()) }
        return left
    }

    private mutating func conjunction() throws(CedarParseError) -> CedarExpression {
        var left = try relation()
        while take("&&") { left = .and(left, try relation()) }
        return left
    }

    private mutating func relation() throws(CedarParseError) -> CedarExpression {
        let left = try sum()
        for (symbol, op) in [("==", CedarExpression.BinaryOperator.equal), ("!=", .notEqual), ("<=", .lessOrEqual),
                             (">=", .greaterOrEqual), ("<", .less), (">", .greater)] where take(symbol) {
            return .binary(op, left, try sum())
        }
        if takeWord("in") { return .binary(.in, left, try sum()) }
        if takeWord("has") {
            var names = [try attributeName()]
            while take(".") { names.append(try attributeName()) }
            // `e has a.b` is `e has a && e.a has b`.
            var result = CedarExpression.has(left, names[0])
            var reached = left
            for index in 1..<names.count {
                reached = .attribute(reached, names[index - 1])
                result = .and(result, .has(reached, names[index]))
            }
            return result
        }
        if takeWord("like") {
            guard case .string(let body) = current.kind, let pattern = CedarText.unescape(body, pattern: true) else {
                throw error("expected a pattern string after 'like'")
            }
            position += 1
            return .like(left, pattern)
        }
        if takeWord("is") {
            let type = try path()
            let check = CedarExpression.isType(left, type)
            return takeWord("in") ? .and(check, .binary(.in, left, try sum())) : check
        }
        return left
    }

    private mutating func attributeName() throws(CedarParseError) -> String {
        if case .string = current.kind { return try stringLiteral() }
        return try identifier()
    }

    private mutating func sum() throws(CedarParseError) -> CedarExpression {
        var left = try product()
        while true {
            if take("+") { left = .binary(.add, left, try product()) } else if take("-") {
                left = .binary(.subtract, left, try product())
            } else { return left }
        }
    }

    private mutating func product() throws(CedarParseError) -> CedarExpression {
        var left = try unary()
        while take("*") { left = .binary(.multiply, left, try unary()) }
        return left
    }

    private mutating func unary() throws(CedarParseError) -> CedarExpression {
        if isSymbol("!") {
            var count = 0
            while take("!") { count += 1 }
            var operand = try member()
            for _ in 0..<count { operand = .not(operand) }
            return operand
        }
        guard isSymbol("-") else { return try member() }
        var count = 0
        while take("-") { count += 1 }
        // A literal takes the first minus itself, so that -9223372036854775808 can be written.
        if case .integer(let magnitude) = current.kind, !isMemberAccess(after: position + 1) {
            position += 1
            var operand = CedarExpression.literal(.long(magnitude == UInt64(Int64.max) + 1 ? .min : -Int64(magnitude)))
            for _ in 1..<count { operand = .negate(operand) }
            return operand
        }
        var operand = try member()
        for _ in 0..<count { operand = .negate(operand) }
        return operand
    }

    private func isMemberAccess(after index: Int) -> Bool {
        tokens[index].kind == .symbol(".") || tokens[index].kind == .symbol("[")
    }

    private mutating func member() throws(CedarParseError) -> CedarExpression {
        var value = try primary()
        while true {
            if take("[") {
                let name = try stringLiteral()
                try expect("]")
                value = .attribute(value, name)
            } else if take(".") {
                let nameToken = current
                let name = try identifier()
                guard take("(") else {
                    value = .attribute(value, name)
                    continue
                }
                let arguments = try expressions(until: ")")
                value = try method(name, receiver: value, arguments, at: nameToken)
            } else {
                return value
            }
        }
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

    private mutating func expressions(until closing: String) throws(CedarParseError) -> [CedarExpression] {
        var list: [CedarExpression] = []
        while !isSymbol(closing) {
            list.append(try expression())
            guard take(",") else { break }
        }
        try expect(closing)
        return list
    }

    private mutating func primary() throws(CedarParseError) -> CedarExpression {
        let token = current
        switch token.kind {
        case .integer(let value):
            guard value <= UInt64(Int64.max) else { throw error("integer literal out of range") }
            position += 1
            return .literal(.long(Int64(value)))
        case .string(let body):
            guard let text = CedarText.string(body) else { throw error("invalid escape in string literal") }
            position += 1
            return .literal(.string(text))
        case .slot(let name):
            throw error("the slot ?\(name) can appear only in a scope")
        case .symbol("("):
            position += 1
            let inner = try expression()
            try expect(")")
            return inner
        case .symbol("["):
            position += 1
            return .set(try expressions(until: "]"))
        case .symbol("{"):
            position += 1
            var members: [(String, CedarExpression)] = []
            while !isSymbol("}") {
                let name = try attributeName()
                guard !members.contains(where: { $0.0 == name }) else { throw error("duplicate key \(name) in record") }
                try expect(":")
                members.append((name, try expression()))
                guard take(",") else { break }
            }
            try expect("}")
            return .record(members)
        case .identifier(let name):
            if name == "true" || name == "false" {
                position += 1
                return .literal(.bool(name == "true"))
            }
            if Self.variables.contains(name), !(next.kind == .symbol("::")) {
                position += 1
                return .variable(CedarExpression.Variable(rawValue: name)!)
            }
            if next.kind == .symbol("(") {
                position += 2
                let arguments = try expressions(until: ")")
                guard let function = CedarFunction(rawValue: name), CedarFunction.constructors.contains(function) else {
                    throw error("unknown function \(name)", at: token)
                }
                return .call(function, arguments)
            }
            guard !Self.reserved.contains(name) else { throw error("unexpected '\(name)'") }
            return .literal(.entity(try entityLiteral()))
        default:
            throw error("expected an expression")
        }
    }
}
