/// Policy text as written — every operator, parenthesis and `!` kept — which the formatter lays out. Each node knows
/// its first and last token, which is how comments find their place again.
struct CedarSyntax {
    indirect enum Kind {
        case policy(annotations: [CedarSyntax], effect: CedarSyntax, scope: [CedarSyntax], conditions: [CedarSyntax])
        case annotation(key: CedarSyntax, value: CedarSyntax?)
        case scopeVariable(variable: CedarSyntax, type: CedarSyntax?, constraint: (op: String, CedarSyntax)?)
        case condition(keyword: CedarSyntax, body: CedarSyntax?)
        case ifThenElse(CedarSyntax, CedarSyntax, CedarSyntax)
        /// `||` or `&&` between two or more operands.
        case logical(op: String, [CedarSyntax])
        case relation(CedarSyntax, op: String, CedarSyntax)
        case has(CedarSyntax, CedarSyntax)
        case like(CedarSyntax, CedarSyntax)
        case isType(CedarSyntax, type: CedarSyntax, in: CedarSyntax?)
        /// `+ -` (additive) or `*` (multiplicative): a first operand and (operator, operand) pairs.
        case arithmetic(CedarSyntax, [(op: String, CedarSyntax)])
        case negation(op: String, count: Int, CedarSyntax)
        case member(CedarSyntax, accesses: [CedarSyntax])
        case field(CedarSyntax)
        case call([CedarSyntax])
        case index(CedarSyntax)
        /// A literal, an identifier, a string or a slot: one token written as it reads.
        case word(String)
        case name(path: [CedarSyntax], CedarSyntax)
        case entity(type: CedarSyntax, id: CedarSyntax)
        case parenthesized(CedarSyntax)
        case list([CedarSyntax])
        case record([CedarSyntax])
        case recordEntry(CedarSyntax, CedarSyntax)
    }

    let kind: Kind
    let first: Int
    let last: Int

    /// A node from token `first` up to (not including) token `end`. Pass the reader's position as `end` after the
    /// kind, whose reading moves it: arguments are evaluated in order, the receiver of a method call before them.
    init(_ kind: Kind, from first: Int, to end: Int) {
        self.kind = kind
        self.first = first
        self.last = end - 1
    }

    init(_ kind: Kind, first: Int, last: Int) {
        self.kind = kind
        self.first = first
        self.last = last
    }
}

/// Reads policy text into `CedarSyntax`, following the grammar of Rust's Cedar (its concrete syntax tree). Text that
/// `CedarPolicySet` accepts is expected here; anything else is refused, not guessed at.
struct CedarSyntaxReader: CedarTokenReading {
    let tokens: [CedarToken]
    var position = 0

    init(tokens: [CedarToken]) { self.tokens = tokens }

    mutating func policies() throws(CedarParseError) -> [CedarSyntax] {
        var policies: [CedarSyntax] = []
        while current.kind != .end { policies.append(try policy()) }
        return policies
    }

    private mutating func word() throws(CedarParseError) -> CedarSyntax {
        let text: String
        switch current.kind {
        case .identifier(let name): text = name
        case .integer(let value): text = String(value)
        case .string(let body): text = "\"\(body)\""
        case .slot(let name): text = "?\(name)"
        case .symbol, .end: throw error("expected a word")
        }
        position += 1
        return CedarSyntax(.word(text), from: position - 1, to: position)
    }

    private mutating func policy() throws(CedarParseError) -> CedarSyntax {
        let first = position
        var annotations: [CedarSyntax] = []
        while isSymbol("@") {
            let start = position
            position += 1
            let key = try word()
            var value: CedarSyntax?
            if take("(") {
                value = try word()
                try expect(")")
            }
            annotations.append(CedarSyntax(.annotation(key: key, value: value), from: start, to: position))
        }
        let effect = try word()
        try expect("(")
        var scope = [try scopeVariable()]
        while take(",") { scope.append(try scopeVariable()) }
        try expect(")")
        var conditions: [CedarSyntax] = []
        while isWord("when") || isWord("unless") {
            let start = position
            let keyword = try word()
            try expect("{")
            let body = isSymbol("}") ? nil : try expression()
            try expect("}")
            conditions.append(CedarSyntax(.condition(keyword: keyword, body: body), from: start, to: position))
        }
        try expect(";")
        let kind = CedarSyntax.Kind.policy(annotations: annotations, effect: effect, scope: scope,
                                           conditions: conditions)
        return CedarSyntax(kind, from: first, to: position)
    }

    private mutating func scopeVariable() throws(CedarParseError) -> CedarSyntax {
        let first = position
        let variable = try word()
        var type: CedarSyntax?
        if takeWord("is") { type = try additive() }
        var constraint: (op: String, CedarSyntax)?
        if let op = relationOperator() {
            position += 1
            constraint = (op, try expression())
        }
        return CedarSyntax(.scopeVariable(variable: variable, type: type, constraint: constraint), from: first,
                           to: position)
    }

    private func relationOperator() -> String? {
        if isWord("in") { return "in" }
        for op in ["==", "!=", "<", "<=", ">", ">="] where isSymbol(op) { return op }
        return nil
    }

    mutating func expression() throws(CedarParseError) -> CedarSyntax {
        let first = position
        guard takeWord("if") else { return try logical("||") }
        let condition = try expression()
        try expectWord("then")
        let then = try expression()
        try expectWord("else")
        let otherwise = try expression()
        return CedarSyntax(.ifThenElse(condition, then, otherwise), from: first, to: position)
    }

    private mutating func logical(_ op: String) throws(CedarParseError) -> CedarSyntax {
        let first = position
        func operand(_ reader: inout CedarSyntaxReader) throws(CedarParseError) -> CedarSyntax {
            op == "||" ? try reader.logical("&&") : try reader.relation()
        }
        var operands = [try operand(&self)]
        while take(op) { operands.append(try operand(&self)) }
        guard operands.count > 1 else { return operands[0] }
        return CedarSyntax(.logical(op: op, operands), from: first, to: position)
    }

    private mutating func relation() throws(CedarParseError) -> CedarSyntax {
        let first = position
        let left = try additive()
        if let op = relationOperator() {
            position += 1
            return CedarSyntax(.relation(left, op: op, try additive()), from: first, to: position)
        }
        if takeWord("has") { return CedarSyntax(.has(left, try additive()), from: first, to: position) }
        if takeWord("like") { return CedarSyntax(.like(left, try additive()), from: first, to: position) }
        guard takeWord("is") else { return left }
        let type = try additive()
        let container = takeWord("in") ? try additive() : nil
        return CedarSyntax(.isType(left, type: type, in: container), from: first, to: position)
    }

    /// Additive and multiplicative levels each stay a node even with one operand: the layout groups each level.
    private mutating func additive() throws(CedarParseError) -> CedarSyntax {
        try arithmetic(["+", "-"]) { reader throws(CedarParseError) in try reader.multiplicative() }
    }

    private mutating func multiplicative() throws(CedarParseError) -> CedarSyntax {
        try arithmetic(["*"]) { reader throws(CedarParseError) in try reader.unary() }
    }

    private mutating func arithmetic(
        _ ops: [String], operand: (inout CedarSyntaxReader) throws(CedarParseError) -> CedarSyntax
    ) throws(CedarParseError) -> CedarSyntax {
        let first = position
        let head = try operand(&self)
        var rest: [(op: String, CedarSyntax)] = []
        while let op = ops.first(where: { isSymbol($0) }) {
            position += 1
            rest.append((op, try operand(&self)))
        }
        return CedarSyntax(.arithmetic(head, rest), from: first, to: position)
    }

    private mutating func unary() throws(CedarParseError) -> CedarSyntax {
        let first = position
        for op in ["!", "-"] where isSymbol(op) {
            var count = 0
            while take(op) { count += 1 }
            guard count <= 4 else { throw error("too many '\(op)' in a row") }
            return CedarSyntax(.negation(op: op, count: count, try member()), from: first, to: position)
        }
        return try member()
    }

    private mutating func member() throws(CedarParseError) -> CedarSyntax {
        let first = position
        let item = try primary()
        var accesses: [CedarSyntax] = []
        while true {
            let start = position
            if take(".") {
                accesses.append(CedarSyntax(.field(try word()), from: start, to: position))
            } else if take("(") {
                let arguments = try commaSeparated(until: ")") { reader throws(CedarParseError) in
                    try reader.expression()
                }
                accesses.append(CedarSyntax(.call(arguments), from: start, to: position))
            } else if take("[") {
                let index = try expression()
                try expect("]")
                accesses.append(CedarSyntax(.index(index), from: start, to: position))
            } else {
                break
            }
        }
        return CedarSyntax(.member(item, accesses: accesses), from: first, to: position)
    }

    private mutating func primary() throws(CedarParseError) -> CedarSyntax {
        let first = position
        if take("(") {
            let inner = try expression()
            try expect(")")
            return CedarSyntax(.parenthesized(inner), from: first, to: position)
        }
        if take("[") {
            let elements = try commaSeparated(until: "]") { reader throws(CedarParseError) in try reader.expression() }
            return CedarSyntax(.list(elements), from: first, to: position)
        }
        if take("{") {
            let entries = try commaSeparated(until: "}") { reader throws(CedarParseError) in
                let start = reader.position
                let key = try reader.expression()
                try reader.expect(":")
                return CedarSyntax(.recordEntry(key, try reader.expression()), from: start, to: reader.position)
            }
            return CedarSyntax(.record(entries), from: first, to: position)
        }
        guard case .identifier = current.kind else { return try word() }
        var parts = [try word()]
        while isSymbol("::") {
            if case .string = next.kind {
                let type = parts.count == 1 ? parts[0] : nameNode(parts, from: first)
                position += 1
                return CedarSyntax(.entity(type: type, id: try word()), from: first, to: position)
            }
            position += 1
            parts.append(try word())
        }
        return parts.count == 1 ? parts[0] : nameNode(parts, from: first)
    }

    private func nameNode(_ parts: [CedarSyntax], from first: Int) -> CedarSyntax {
        let name = parts[parts.count - 1]
        return CedarSyntax(.name(path: Array(parts.dropLast()), name), first: first, last: name.last)
    }

    private mutating func commaSeparated(
        until close: String, _ item: (inout CedarSyntaxReader) throws(CedarParseError) -> CedarSyntax
    ) throws(CedarParseError) -> [CedarSyntax] {
        var items: [CedarSyntax] = []
        while !take(close) {
            items.append(try item(&self))
            if !take(",") {
                try expect(close)
                break
            }
        }
        return items
    }
}
