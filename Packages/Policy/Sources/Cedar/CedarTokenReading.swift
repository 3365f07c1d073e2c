/// Reading a token stream: what both Cedar parsers (policies, schemas) share.
protocol CedarTokenReading {
    var tokens: [CedarToken] { get }
    var position: Int { get set }
}

extension CedarTokenReading {
    var current: CedarToken { tokens[position] }
    var next: CedarToken { tokens[min(position + 1, tokens.count - 1)] }

    func error(_ reason: String, at token: CedarToken? = nil) -> CedarParseError {
        let token = token ?? current
        return CedarParseError(line: token.line, column: token.column, reason: reason)
    }

    func isSymbol(_ symbol: String) -> Bool { current.kind == .symbol(symbol) }
    func isWord(_ word: String) -> Bool { current.kind == .identifier(word) }

    mutating func take(_ symbol: String) -> Bool {
        guard isSymbol(symbol) else { return false }
        position += 1
        return true
    }

    mutating func takeWord(_ word: String) -> Bool {
        guard isWord(word) else { return false }
        position += 1
        return true
    }

    mutating func expect(_ symbol: String) throws(CedarParseError) {
        guard take(symbol) else { throw error("expected '\(symbol)'") }
    }

    mutating func expectWord(_ word: String) throws(CedarParseError) {
        guard takeWord(word) else { throw error("expected '\(word)'") }
    }

    mutating func identifier() throws(CedarParseError) -> String {
        guard case .identifier(let name) = current.kind else { throw error("expected an identifier") }
        position += 1
        return name
    }

    mutating func stringLiteral() throws(CedarParseError) -> String {
        guard case .string(let body) = current.kind else { throw error("expected a string literal") }
        guard let text = CedarText.string(body) else { throw error("invalid escape in string literal") }
        position += 1
        return text
    }

    /// `Name{::Name}` (a type or a namespace).
    mutating func path() throws(CedarParseError) -> String {
        var parts = [try identifier()]
        while isSymbol("::"), case .identifier = next.kind {
            position += 1
            parts.append(try identifier())
        }
        return parts.joined(separator: "::")
    }
}
