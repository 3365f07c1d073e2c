/// Reads Cedar's human schema format (`.cedarschema`): namespaces, entity types (with `in`, attributes, `tags`,
/// `enum`), actions (with `in` and `appliesTo`) and common types.
struct CedarSchemaParser {
    private let tokens: [CedarToken]
    private var position = 0
    private var namespace = ""
    private var builder = CedarSchemaBuilder()
    typealias UnresolvedType = CedarSchemaBuilder.UnresolvedType

    init(_ text: String) throws(CedarParseError) {
        tokens = try CedarLexer.tokens(text)
    }

    mutating func schema() throws(CedarParseError) -> CedarSchema {
        while current.kind != .end {
            skipAnnotations()
            if takeWord("namespace") {
                namespace = try path()
                try expect("{")
                while !isSymbol("}") { try declaration() }
                try expect("}")
                namespace = ""
            } else {
                try declaration()
            }
        }
        return builder.build()
    }

    // MARK: - Declarations

    private mutating func declaration() throws(CedarParseError) {
        skipAnnotations()
        if takeWord("entity") {
            var names = [qualified(try identifier())]
            while take(",") { names.append(qualified(try identifier())) }
            if takeWord("enum") {
                try expect("[")
                while !isSymbol("]") {
                    _ = try string()
                    guard take(",") else { break }
                }
                try expect("]")
                try expect(";")
                for name in names { builder.entities.append((name, [:], nil)) }
                return
            }
            if takeWord("in") { _ = try typeList() }
            var attributes: [String: UnresolvedType] = [:]
            _ = take("=")
            if isSymbol("{"), case .record(let members) = try type() { attributes = members }
            let tags = takeWord("tags") ? try type() : nil
            try expect(";")
            for name in names { builder.entities.append((name, attributes, tags)) }
        } else if takeWord("action") {
            var names = [try name()]
            while take(",") { names.append(try name()) }
            var parents: [EntityUID] = []
            if takeWord("in") {
                if take("[") {
                    while !isSymbol("]") {
                        parents.append(try actionReference())
                        guard take(",") else { break }
                    }
                    try expect("]")
                } else {
                    parents.append(try actionReference())
                }
            }
            var context: UnresolvedType?
            if takeWord("appliesTo") {
                try expect("{")
                while !isSymbol("}") {
                    let part = try identifier()
                    try expect(":")
                    if part == "context" { context = try type() } else { _ = try typeList() }
                    guard take(",") else { break }
                }
                try expect("}")
            }
            if takeWord("attributes") { _ = try type() }
            try expect(";")
            for name in names { builder.actions.append((EntityUID(type: qualified("Action"), id: name), parents, context)) }
        } else if takeWord("type") {
            let name = qualified(try identifier())
            try expect("=")
            builder.commonTypes[name] = try type()
            try expect(";")
        } else {
            throw error("expected entity, action, type or namespace")
        }
    }

    /// `"name"` (an action of this namespace) or `Path::"name"`.
    private mutating func actionReference() throws(CedarParseError) -> EntityUID {
        if case .string = current.kind { return EntityUID(type: qualified("Action"), id: try string()) }
        var parts = [try identifier()]
        while take("::") {
            if case .string = current.kind {
                let path = parts.joined(separator: "::")
                return EntityUID(type: parts.count == 1 ? qualified(path) : path, id: try string())
            }
            parts.append(try identifier())
        }
        return EntityUID(type: qualified("Action"), id: parts.joined(separator: "::"))
    }

    private mutating func typeList() throws(CedarParseError) -> [String] {
        guard take("[") else { return [try path()] }
        var names: [String] = []
        while !isSymbol("]") {
            names.append(try path())
            guard take(",") else { break }
        }
        try expect("]")
        return names
    }

    private mutating func type() throws(CedarParseError) -> UnresolvedType {
        if take("{") {
            var members: [String: UnresolvedType] = [:]
            while !isSymbol("}") {
                skipAnnotations()
                let member = try name()
                _ = take("?")
                try expect(":")
                members[member] = try type()
                guard take(",") else { break }
            }
            try expect("}")
            return .record(members)
        }
        let named = try path()
        if named == "Set" && take("<") {
            let element = try type()
            try expect(">")
            return .set(element)
        }
        return .named(named, namespace: namespace)
    }

    // MARK: - Tokens

    private var current: CedarToken { tokens[position] }

    private func error(_ reason: String) -> CedarParseError {
        CedarParseError(line: current.line, column: current.column, reason: reason)
    }

    private func qualified(_ name: String) -> String { namespace.isEmpty ? name : namespace + "::" + name }
    private func isSymbol(_ symbol: String) -> Bool { current.kind == .symbol(symbol) }

    private mutating func take(_ symbol: String) -> Bool {
        guard isSymbol(symbol) else { return false }
        position += 1
        return true
    }

    private mutating func takeWord(_ word: String) -> Bool {
        guard current.kind == .identifier(word) else { return false }
        position += 1
        return true
    }

    private mutating func expect(_ symbol: String) throws(CedarParseError) {
        guard take(symbol) else { throw error("expected '\(symbol)'") }
    }

    private mutating func identifier() throws(CedarParseError) -> String {
        guard case .identifier(let name) = current.kind else { throw error("expected an identifier") }
        position += 1
        return name
    }

    private mutating func string() throws(CedarParseError) -> String {
        guard case .string(let body) = current.kind, let text = CedarText.string(body) else {
            throw error("expected a string literal")
        }
        position += 1
        return text
    }

    private mutating func name() throws(CedarParseError) -> String {
        if case .string = current.kind { return try string() }
        return try identifier()
    }

    private mutating func path() throws(CedarParseError) -> String {
        var parts = [try identifier()]
        while isSymbol("::"), case .identifier = tokens[position + 1].kind {
            position += 1
            parts.append(try identifier())
        }
        return parts.joined(separator: "::")
    }

    private mutating func skipAnnotations() {
        while take("@") {
            _ = try? identifier()
            if take("(") {
                _ = try? string()
                _ = take(")")
            }
        }
    }
}
