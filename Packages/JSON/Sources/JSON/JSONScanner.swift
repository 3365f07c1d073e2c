import Glibc

/// One forward pass over a JSON document that builds only what its caller reads: an object's members are visited in
/// order and each value is read as text, a number, a flag or a `JSONValue`, or checked and skipped. The document is
/// checked as strictly as `JSONValue.object(parsing:)` checks it (RFC 8259, nesting bounded, nothing after it, a name
/// twice in one object refused) — except inside values that are skipped, which are checked but not built.
///
/// A scanner exists only inside `JSONScanner.scan`; it points into the document's bytes.
@_spi(Gatehouse) public struct JSONScanner {
    /// What the value at the cursor is.
    public enum Kind: Sendable, Equatable {
        case object, array, string, number, bool, null
    }

    private var reader: JSONReader
    private var depth: Int

    private init(reader: JSONReader, depth: Int) {
        self.reader = reader
        self.depth = depth
    }

    /// Runs `body` on a scanner at the start of `bytes`; `body` must read or skip exactly one value (the document),
    /// after which only whitespace may follow. Documents nested deeper than `maxDepth` (16 unless told) are refused.
    public static func scan<T>(_ bytes: [UInt8], maxDepth: Int = JSONReader.defaultMaxDepth,
                               _ body: (inout JSONScanner) throws -> T) throws -> T {
        try bytes.withUnsafeBytes { buffer in
            var reader = JSONReader(bytes: buffer)
            reader.maxDepth = maxDepth
            var scanner = JSONScanner(reader: reader, depth: 0)
            let result = try body(&scanner)
            scanner.reader.skipWhitespace()
            guard scanner.reader.index == buffer.count else { throw JSONValue.ParseError(reason: "trailing data after JSON") }
            return result
        }
    }

    /// The kind of the value at the cursor.
    public mutating func kind() throws -> Kind {
        reader.skipWhitespace()
        switch reader.peek() {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case nil: throw JSONValue.ParseError(reason: "truncated JSON")
        default: return .number
        }
    }

    /// True, having moved past it, when the value at the cursor is `null`.
    public mutating func null() throws -> Bool {
        guard try kind() == .null else { return false }
        try skip()
        return true
    }

    /// Calls `member` with each member's name, the scanner at its value; `member` must read or skip that value.
    /// Throws when the value at the cursor is not an object, or names a member twice.
    public mutating func members(_ member: (JSONMemberName, inout JSONScanner) throws -> Void) throws {
        guard try kind() == .object else { throw JSONValue.ParseError(reason: "expected an object") }
        var names: [JSONMemberName] = []
        names.reserveCapacity(16)
        try sequence(closing: UInt8(ascii: "}")) { scanner in
            scanner.reader.skipWhitespace()
            guard scanner.reader.peek() == UInt8(ascii: "\"") else { throw JSONValue.ParseError(reason: "expected a member name") }
            let token = try scanner.translating { reader throws(JSONReader.Failure) in
                let token = try reader.scanString()
                try reader.colon()
                return token
            }
            let name = JSONMemberName(token, in: scanner.reader)
            if names.contains(where: { $0.isSame(as: name) }) {
                throw JSONValue.ParseError(reason: "duplicate member \"\(name.text.prefix(40))\"")
            }
            names.append(name)
            try member(name, &scanner)
        }
    }

    /// Calls `element` with the scanner at each element, which `element` must read or skip. Throws when the value
    /// at the cursor is not an array.
    public mutating func elements(_ element: (inout JSONScanner) throws -> Void) throws {
        guard try kind() == .array else { throw JSONValue.ParseError(reason: "expected an array") }
        try sequence(closing: UInt8(ascii: "]"), element)
    }

    /// Steps into the object or array at the cursor and calls `item` at each member or element, up to `closing`.
    private mutating func sequence(closing: UInt8, _ item: (inout JSONScanner) throws -> Void) throws {
        try nested { scanner in
            scanner.reader.index += 1
            scanner.reader.skipWhitespace()
            if scanner.reader.peek() == closing {
                scanner.reader.index += 1
                return
            }
            while true {
                try item(&scanner)
                scanner.reader.skipWhitespace()
                switch scanner.reader.peek() {
                case UInt8(ascii: ","): scanner.reader.index += 1
                case closing: scanner.reader.index += 1; return
                default: throw JSONValue.ParseError(reason: "expected ',' or '\(Character(Unicode.Scalar(closing)))'")
                }
            }
        }
    }

    /// The string at the cursor; throws when it is another kind.
    public mutating func string() throws -> String {
        guard try kind() == .string else { throw JSONValue.ParseError(reason: "expected a string") }
        return try translating { reader throws(JSONReader.Failure) in reader.decodeString(try reader.scanString()) }
    }

    /// The number at the cursor; throws when it is another kind.
    public mutating func number() throws -> Double {
        guard try kind() == .number else { throw JSONValue.ParseError(reason: "expected a number") }
        return try translating { reader throws(JSONReader.Failure) in try reader.number(in: try reader.scanNumber()) }
    }

    /// The integer at the cursor, exactly (a `Double` loses digits past 2^53); throws for another kind, a fraction,
    /// an exponent or a value outside `Int64`.
    public mutating func integer() throws -> Int64 {
        guard try kind() == .number else { throw JSONValue.ParseError(reason: "expected a number") }
        return try translating { reader throws(JSONReader.Failure) in try reader.integer(in: try reader.scanNumber()) }
    }

    /// The flag at the cursor; throws when it is another kind.
    public mutating func bool() throws -> Bool {
        guard try kind() == .bool, case .bool(let flag) = try value() else {
            throw JSONValue.ParseError(reason: "expected true or false")
        }
        return flag
    }

    /// The value at the cursor, built (duplicate member names inside it refused).
    public mutating func value() throws -> JSONValue {
        let depth = depth
        return try translating { reader throws(JSONReader.Failure) in try reader.parseValue(depth: depth) }
    }

    /// Checks the value at the cursor and moves past it.
    public mutating func skip() throws {
        let depth = depth
        try translating { reader throws(JSONReader.Failure) in try reader.skipValue(depth: depth) }
    }

    /// Where the value at the cursor starts, to come back to it once later members have told whether it is needed.
    public struct Bookmark: Sendable {
        fileprivate let index: Int
        fileprivate let depth: Int
    }

    /// A bookmark of the value at the cursor.
    public mutating func bookmark() -> Bookmark {
        reader.skipWhitespace()
        return Bookmark(index: reader.index, depth: depth)
    }

    /// Runs `body` on the value at `bookmark` (of this document), then returns to where the scanner was.
    public mutating func reading<T>(at bookmark: Bookmark, _ body: (inout JSONScanner) throws -> T) throws -> T {
        let (index, depth) = (reader.index, self.depth)
        defer { (reader.index, self.depth) = (index, depth) }
        (reader.index, self.depth) = (bookmark.index, bookmark.depth)
        return try body(&self)
    }

    private mutating func nested(_ body: (inout JSONScanner) throws -> Void) throws {
        guard depth < reader.maxDepth else { throw JSONValue.ParseError(reason: "JSON nested too deeply") }
        depth += 1
        defer { depth -= 1 }
        try body(&self)
    }

    private mutating func translating<T>(_ step: (inout JSONReader) throws(JSONReader.Failure) -> T) throws -> T {
        do {
            return try step(&reader)
        } catch {
            throw JSONValue.ParseError(reason: error.reason)
        }
    }
}

/// A member name as `JSONScanner` meets it, compared with literals without building a `String`
/// (`switch name { case "headers": … }`); escaped spellings compare by their text.
@_spi(Gatehouse) public struct JSONMemberName {
    private let raw: UnsafeRawBufferPointer
    private let unescaped: [UInt8]?
    /// The length and the first and last eight bytes of the text, so most names differ without a byte comparison.
    private let fingerprint: UInt64

    init(_ token: JSONReader.StringToken, in reader: JSONReader) {
        raw = UnsafeRawBufferPointer(rebasing: reader.bytes[token.range])
        unescaped = token.hasEscapes ? reader.unescaped(token) : nil
        fingerprint = unescaped?.withUnsafeBytes(Self.fingerprint) ?? Self.fingerprint(raw)
    }

    private static func fingerprint(_ text: UnsafeRawBufferPointer) -> UInt64 {
        guard text.count >= 8 else {
            return text.reduce(UInt64(text.count)) { $0 << 8 | UInt64($1) }
        }
        let first = text.loadUnaligned(as: UInt64.self)
        let last = text.loadUnaligned(fromByteOffset: text.count - 8, as: UInt64.self)
        return first ^ (last << 7 | last >> 57) ^ UInt64(text.count) << 56
    }

    /// Whether both are the same text.
    func isSame(as other: JSONMemberName) -> Bool {
        guard fingerprint == other.fingerprint else { return false }
        return withText { mine in other.withText { $0.elementsEqual(mine) } }
    }

    private func withText<T>(_ body: (UnsafeRawBufferPointer) -> T) -> T {
        if let unescaped { return unescaped.withUnsafeBytes(body) }
        return body(raw)
    }

    /// The name's text.
    public var text: String {
        if let unescaped { return String(decoding: unescaped, as: UTF8.self) }
        return String(decoding: raw, as: UTF8.self)
    }

    /// True when the name is `literal`.
    public static func == (name: JSONMemberName, literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        func same(_ bytes: UnsafeRawBufferPointer) -> Bool {
            bytes.count == count && (count == 0 || memcmp(bytes.baseAddress!, literal.utf8Start, count) == 0)
        }
        // Most names are unescaped and most literals of a `switch` differ in length: decided without a closure.
        guard name.unescaped != nil else { return same(name.raw) }
        return name.withText(same)
    }

    /// Lets a `switch` over a name use string literals as its cases.
    public static func ~= (literal: StaticString, name: JSONMemberName) -> Bool { name == literal }
}
