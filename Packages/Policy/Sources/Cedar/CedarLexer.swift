/// A token of Cedar's policy text, with where it starts.
struct CedarToken: Sendable {
    enum Kind: Equatable, Sendable {
        case identifier(String)
        case integer(UInt64)
        /// A string literal's body, escapes still written (a `like` pattern reads them differently).
        case string(Substring)
        case slot(String)
        case symbol(String)
        case end
    }

    let kind: Kind
    let line: Int
    let column: Int
    /// Where the token's text starts and ends, as offsets into the text's Unicode scalars.
    var start = 0, end = 0
}

/// Where and why policy text does not parse: `LINE:COL: reason`.
public struct CedarParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public let reason: String

    public var description: String { "\(line):\(column): \(reason)" }
}

/// Splits policy text into tokens; `//` comments and white space are skipped.
enum CedarLexer {
    static let symbols: [String] = ["==", "!=", "<=", ">=", "&&", "||", "::", "(", ")", "[", "]", "{", "}", ",", ";",
                                    ":", ".", "<", ">", "!", "+", "-", "*", "@", "=", "?"]

    static func tokens(_ text: String) throws(CedarParseError) -> [CedarToken] {
        var tokens: [CedarToken] = []
        let chars = Array(text.unicodeScalars)
        var index = 0, line = 1, lineStart = 0
        func error(_ reason: String) -> CedarParseError {
            CedarParseError(line: line, column: index - lineStart + 1, reason: reason)
        }
        while index < chars.count {
            let scalar = chars[index]
            if scalar == "\n" {
                index += 1
                line += 1
                lineStart = index
                continue
            }
            if scalar.properties.isWhitespace { index += 1; continue }
            if scalar == "/", index + 1 < chars.count, chars[index + 1] == "/" {
                while index < chars.count, chars[index] != "\n" { index += 1 }
                continue
            }
            let column = index - lineStart + 1, tokenStart = index, tokenLine = line
            func add(_ kind: CedarToken.Kind) {
                tokens.append(CedarToken(kind: kind, line: tokenLine, column: column, start: tokenStart, end: index))
            }
            if scalar.isIdentifierStart {
                let start = index
                while index < chars.count, chars[index].isIdentifierPart { index += 1 }
                add(.identifier(String(String.UnicodeScalarView(chars[start..<index]))))
            } else if scalar == "?", index + 1 < chars.count, chars[index + 1].isIdentifierStart {
                let start = index + 1
                index += 1
                while index < chars.count, chars[index].isIdentifierPart { index += 1 }
                let name = String(String.UnicodeScalarView(chars[start..<index]))
                guard name == "principal" || name == "resource" else { throw error("unknown slot ?\(name)") }
                add(.slot(name))
            } else if ("0"..."9").contains(scalar) {
                var value: UInt64 = 0
                while index < chars.count, ("0"..."9").contains(chars[index]) {
                    let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
                    let (sum, overflow2) = times.addingReportingOverflow(UInt64(chars[index].value - 48))
                    guard !overflow1, !overflow2, sum <= UInt64(Int64.max) + 1 else { throw error("integer literal out of range") }
                    value = sum
                    index += 1
                }
                add(.integer(value))
            } else if scalar == "\"" {
                index += 1
                let start = index
                while index < chars.count, chars[index] != "\"" {
                    if chars[index] == "\\" { index += 1 }
                    if index < chars.count, chars[index] == "\n" { line += 1; lineStart = index + 1 }
                    index += 1
                }
                guard index < chars.count else {
                    throw CedarParseError(line: tokenLine, column: column, reason: "unterminated string")
                }
                let body = String(String.UnicodeScalarView(chars[start..<index]))
                index += 1
                add(.string(Substring(body)))
            } else if let symbol = symbols.first(where: { matches($0, chars, index) }) {
                index += symbol.unicodeScalars.count
                add(.symbol(symbol))
            } else {
                throw error("unexpected character '\(scalar.escaped(asASCII: true))'")
            }
        }
        tokens.append(CedarToken(kind: .end, line: line, column: index - lineStart + 1, start: index, end: index))
        return tokens
    }

    private static func matches(_ symbol: String, _ chars: [Unicode.Scalar], _ index: Int) -> Bool {
        var position = index
        for scalar in symbol.unicodeScalars {
            guard position < chars.count, chars[position] == scalar else { return false }
            position += 1
        }
        return true
    }
}

extension Unicode.Scalar {
    var isIdentifierStart: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) || self == "_" }
    var isIdentifierPart: Bool { isIdentifierStart || ("0"..."9").contains(self) }
}
