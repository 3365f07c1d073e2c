/// Cedar's string literals: escapes read and written as the reference does.
enum CedarText {
    /// `text` as a Cedar string literal.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\0": result += "\\0"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                result += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// The text of a string literal's body (between its quotes), or nil for a malformed escape. In a `like`
    /// pattern (`pattern`), `\*` is a literal star and a bare `*` a wildcard.
    static func unescape(_ body: Substring, pattern: Bool = false) -> [PatternElement]? {
        var result: [PatternElement] = []
        var scalars = body.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "\\" else {
                result.append(pattern && scalar == "*" ? .star : .scalar(scalar))
                continue
            }
            guard let escaped = scalars.next() else { return nil }
            switch escaped {
            case "n": result.append(.scalar("\n"))
            case "r": result.append(.scalar("\r"))
            case "t": result.append(.scalar("\t"))
            case "\\": result.append(.scalar("\\"))
            case "0": result.append(.scalar("\0"))
            case "'": result.append(.scalar("'"))
            case "\"": result.append(.scalar("\""))
            case "*" where pattern: result.append(.scalar("*"))
            case "x":
                guard let high = scalars.next()?.hexValue, let low = scalars.next()?.hexValue, high <= 7 else { return nil }
                result.append(.scalar(Unicode.Scalar(UInt8(high * 16 + low))))
            case "u":
                guard scalars.next() == "{" else { return nil }
                var value: UInt32 = 0, digits = 0
                while let next = scalars.next() {
                    if next == "}" { break }
                    guard let digit = next.hexValue, digits < 6 else { return nil }
                    value = value * 16 + UInt32(digit)
                    digits += 1
                }
                guard digits > 0, let decoded = Unicode.Scalar(value) else { return nil }
                result.append(.scalar(decoded))
            default: return nil
            }
        }
        return result
    }

    /// The plain text of a string literal's body, or nil for a malformed escape.
    static func string(_ body: Substring) -> String? {
        guard let elements = unescape(body) else { return nil }
        var text = String.UnicodeScalarView()
        for case .scalar(let scalar) in elements { text.append(scalar) }
        return String(text)
    }
}

/// One element of a `like` pattern.
enum PatternElement: Hashable, Sendable {
    case scalar(Unicode.Scalar)
    case star
}

extension Unicode.Scalar {
    var hexValue: Int? {
        switch value {
        case 48...57: Int(value - 48)
        case 65...70: Int(value - 55)
        case 97...102: Int(value - 87)
        default: nil
        }
    }
}
