/// A strict JSON reader (RFC 8259) over UTF-8 bytes. It can build values (`JSONValue`) or only check and skip
/// them, so the hot path can index an object's members without allocating for the ones it never reads.
@_spi(Gatehouse) public struct JSONReader {
    /// Why a document could not be read.
    public typealias Failure = JSONValue.ParseError

    /// The nesting documents may have by default: enough for tokens and events, and a bound on recursion.
    public static let defaultMaxDepth = 16
    /// The nesting this reader accepts.
    var maxDepth = JSONReader.defaultMaxDepth

    let bytes: UnsafeRawBufferPointer
    var index: Int

    init(bytes: UnsafeRawBufferPointer, index: Int = 0) {
        self.bytes = bytes
        self.index = index
    }

    // MARK: - Documents

    /// Parses a complete document that must be an object.
    static func object(_ bytes: [UInt8]) throws(Failure) -> [String: JSONValue] {
        let index = try JSONObjectIndex(bytes)
        return try index.allMembers()
    }

    // MARK: - Values

    /// Checks the value at the cursor and moves past it, building nothing.
    mutating func skipValue(depth: Int) throws(Failure) {
        guard depth <= maxDepth else { throw Failure(reason: "JSON nested too deeply") }
        skipWhitespace()
        guard let byte = peek() else { throw Failure(reason: "truncated JSON") }
        switch byte {
        case UInt8(ascii: "{"):
            try forEachMember { reader throws(Failure) in _ = try reader.scanString(); try reader.colon(); try reader.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["):
            try forEachElement { reader throws(Failure) in try reader.skipValue(depth: depth + 1) }
        case UInt8(ascii: "\""): _ = try scanString()
        case UInt8(ascii: "t"): try expect("true")
        case UInt8(ascii: "f"): try expect("false")
        case UInt8(ascii: "n"): try expect("null")
        default: _ = try scanNumber()
        }
    }

    /// Parses a complete document that must be an object, building only the `selection`'s members.
    static func object(_ bytes: [UInt8], selecting selection: [String: JSONSelection]) throws(Failure) -> [String: JSONValue] {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(Failure) -> JSONValue in
                var reader = JSONReader(bytes: buffer)
                reader.skipWhitespace()
                guard reader.peek() == UInt8(ascii: "{") else { throw Failure(reason: "not a JSON object") }
                let value = try reader.parseValue(depth: 0, selection: .members(selection))
                reader.skipWhitespace()
                guard reader.index == buffer.count else { throw Failure(reason: "trailing data after JSON") }
                return value
            }
        }
        return try result.get().objectValue ?? [:]
    }

    /// Builds the value at the cursor; of an object, only the members `selection` names (the others are checked
    /// and skipped, so a duplicate among them goes unnoticed: nothing reads them).
    mutating func parseValue(depth: Int, selection: JSONSelection = .everything) throws(Failure) -> JSONValue {
        guard depth <= maxDepth else { throw Failure(reason: "JSON nested too deeply") }
        skipWhitespace()
        guard let byte = peek() else { throw Failure(reason: "truncated JSON") }
        switch byte {
        case UInt8(ascii: "{"):
            // Gathered first, so the dictionary is sized once (growing it rehashes every name again).
            var gathered: [(name: String, value: JSONValue)] = []
            try forEachMember { reader throws(Failure) in
                let name = reader.decodeString(try reader.scanString())
                try reader.colon()
                var inner = JSONSelection.everything
                if case .members(let wanted) = selection {
                    guard let selected = wanted[name] else { return try reader.skipValue(depth: depth + 1) }
                    inner = selected
                }
                gathered.append((name, try reader.parseValue(depth: depth + 1, selection: inner)))
            }
            var members = [String: JSONValue](minimumCapacity: gathered.count)
            for (name, value) in gathered where members.updateValue(value, forKey: name) != nil {
                throw Failure(reason: "duplicate member \"\(name.prefix(40))\"")
            }
            return .object(members)
        case UInt8(ascii: "["):
            var elements: [JSONValue] = []
            try forEachElement { reader throws(Failure) in elements.append(try reader.parseValue(depth: depth + 1)) }
            return .array(elements)
        case UInt8(ascii: "\""): return .string(decodeString(try scanString()))
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "n"): try expect("null"); return .null
        default: return .number(try number(in: try scanNumber()))
        }
    }

    // MARK: - Structure

    /// Calls `member` at each member name of the object at the cursor, then consumes the closing brace.
    mutating func forEachMember(_ member: (inout JSONReader) throws(Failure) -> Void) throws(Failure) {
        index += 1
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw Failure(reason: "expected a member name") }
            try member(&self)
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): index += 1; return
            default: throw Failure(reason: "expected ',' or '}'")
            }
        }
    }

    mutating func forEachElement(_ element: (inout JSONReader) throws(Failure) -> Void) throws(Failure) {
        index += 1
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            return
        }
        while true {
            try element(&self)
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): index += 1; return
            default: throw Failure(reason: "expected ',' or ']'")
            }
        }
    }

    mutating func colon() throws(Failure) {
        skipWhitespace()
        guard peek() == UInt8(ascii: ":") else { throw Failure(reason: "expected ':'") }
        index += 1
    }

    func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func expect(_ literal: StaticString) throws(Failure) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw Failure(reason: "truncated JSON") }
        for offset in 0..<count where bytes[index + offset] != literal.utf8Start[offset] {
            throw Failure(reason: "invalid JSON literal")
        }
        index += count
    }

    // MARK: - Strings

    /// A checked string token: the bytes between the quotes, and whether they hold escapes.
    struct StringToken {
        let range: Range<Int>
        let hasEscapes: Bool
    }

    /// Checks the string at the cursor (escapes, control characters, UTF-8) and moves past it.
    mutating func scanString() throws(Failure) -> StringToken {
        index += 1
        let start = index
        var hasEscapes = false
        var isASCII = true
        while index < bytes.count {
            // Eight bytes at a time up to the first byte that needs a look, found in the word itself.
            var position = index
            while position + 8 <= bytes.count {
                let special = Self.specialBytes(bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self))
                guard special == 0 else {
                    position += special.trailingZeroBitCount >> 3
                    break
                }
                position += 8
            }
            index = position
            guard index < bytes.count else { break }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                let range = start..<index
                index += 1
                if !isASCII, !Self.isValidUTF8(UnsafeRawBufferPointer(rebasing: bytes[range])) {
                    throw Failure(reason: "invalid UTF-8")
                }
                return StringToken(range: range, hasEscapes: hasEscapes)
            case UInt8(ascii: "\\"):
                hasEscapes = true
                index += 1
                guard let escape = peek() else { throw Failure(reason: "truncated JSON") }
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    break
                case UInt8(ascii: "u"):
                    _ = try unicodeEscape()
                default:
                    throw Failure(reason: "invalid escape")
                }
            case 0..<0x20:
                throw Failure(reason: "control character in string")
            default:
                if byte >= 0x80 { isASCII = false }
                index += 1
            }
        }
        throw Failure(reason: "unterminated string")
    }

    /// The high bit of each of the eight bytes in `word` (little-endian) that needs a look inside a string: a quote,
    /// backslash, control character or non-ASCII byte. Bit tricks that may mark a plain byte only after a marked one,
    /// so the lowest mark is always exact.
    static func specialBytes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        func below(_ limit: UInt64, _ value: UInt64) -> UInt64 { (value &- ones &* limit) & ~value & high }
        return below(0x20, word) | below(1, word ^ (ones &* 0x22)) | below(1, word ^ (ones &* 0x5C)) | word & high
    }

    /// The text of a checked string token.
    func decodeString(_ token: StringToken) -> String {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[token.range])
        guard token.hasEscapes else { return String(decoding: raw, as: UTF8.self) }
        return String(decoding: unescaped(token), as: UTF8.self)
    }

    /// The UTF-8 bytes of a checked string token with escapes resolved.
    func unescaped(_ token: StringToken) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(token.range.count)
        var reader = JSONReader(bytes: bytes, index: token.range.lowerBound)
        while reader.index < token.range.upperBound {
            let byte = bytes[reader.index]
            reader.index += 1
            guard byte == UInt8(ascii: "\\") else {
                output.append(byte)
                continue
            }
            let escape = bytes[reader.index]
            reader.index += 1
            switch escape {
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"): output.append(contentsOf: String((try? reader.unicodeEscape()) ?? "\u{FFFD}").utf8)
            default: output.append(escape)
            }
        }
        return output
    }

    /// Reads `XXXX` (and a following `\uXXXX` low surrogate when needed) after `\u`.
    private mutating func unicodeEscape() throws(Failure) -> Unicode.Scalar {
        var code = try hex4()
        if (0xD800...0xDBFF).contains(code) {
            guard index + 2 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
            else { throw Failure(reason: "lone surrogate") }
            index += 2
            let low = try hex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw Failure(reason: "lone surrogate") }
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(code) {
            throw Failure(reason: "lone surrogate")
        }
        guard let scalar = Unicode.Scalar(code) else { throw Failure(reason: "invalid \\u escape") }
        return scalar
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard index + 4 <= bytes.count else { throw Failure(reason: "truncated escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index] | 0x20  // lower-case letters; digits are unchanged
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            default: throw Failure(reason: "invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// Well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
    static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let count: Int
            let minimum: UInt32
            var scalar: UInt32
            switch lead {
            case 0..<0x80: index += 1; continue
            case 0xC2...0xDF: count = 1; minimum = 0x80; scalar = UInt32(lead & 0x1F)
            case 0xE0...0xEF: count = 2; minimum = 0x800; scalar = UInt32(lead & 0x0F)
            case 0xF0...0xF4: count = 3; minimum = 0x10000; scalar = UInt32(lead & 0x07)
            default: return false
            }
            guard index + count < bytes.count else { return false }
            for offset in 1...count {
                let next = bytes[index + offset]
                guard next & 0xC0 == 0x80 else { return false }
                scalar = scalar << 6 | UInt32(next & 0x3F)
            }
            guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else { return false }
            index += count + 1
        }
        return true
    }

    // MARK: - Numbers

    /// Checks the number at the cursor and moves past it; returns its bytes.
    mutating func scanNumber() throws(Failure) -> Range<Int> {
        let start = index
        if peek() == UInt8(ascii: "-") { index += 1 }
        guard let first = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            throw Failure(reason: "invalid JSON value")
        }
        if first == UInt8(ascii: "0") {
            index += 1
        } else {
            skipDigits()
        }
        if peek() == UInt8(ascii: ".") {
            index += 1
            guard skipDigits() > 0 else { throw Failure(reason: "invalid number") }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard skipDigits() > 0 else { throw Failure(reason: "invalid number") }
        }
        return start..<index
    }

    /// The exact value of a checked number token that is an integer in `Int64`'s range.
    func integer(in range: Range<Int>) throws(Failure) -> Int64 {
        var value: Int64 = 0
        let negative = bytes[range.lowerBound] == UInt8(ascii: "-")
        for position in range.dropFirst(negative ? 1 : 0) {
            let byte = bytes[position]
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { throw Failure(reason: "expected an integer") }
            let digit = Int64(byte - UInt8(ascii: "0"))
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
            guard !o1, !o2 else { throw Failure(reason: "integer out of range") }
            value = next
        }
        return value
    }

    /// The value of a checked number token; integers of up to 16 bytes (15 digits and a sign, or 16 digits) are
    /// read without text conversion.
    func number(in range: Range<Int>) throws(Failure) -> Double {
        var integer: Int64 = 0
        var negative = false
        var simple = range.count <= 16
        for position in range where simple {
            let byte = bytes[position]
            if position == range.lowerBound && byte == UInt8(ascii: "-") {
                negative = true
            } else if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                integer = integer * 10 + Int64(byte - UInt8(ascii: "0"))
            } else {
                simple = false
            }
        }
        if simple { return Double(negative ? -integer : integer) }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw Failure(reason: "invalid number") }
        return value
    }

    @discardableResult
    private mutating func skipDigits() -> Int {
        let start = index
        while let byte = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { index += 1 }
        return index - start
    }
}
