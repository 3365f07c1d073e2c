import Glibc

/// A checked JSON object whose top-level members are located but not built: the claims hot path reads the few
/// members it needs (`iss`, `aud`, `exp`, …) without allocating for the rest. Duplicate names are refused,
/// escaped spellings included (`"iss"` and `"\u0069ss"` are the same name).
@_spi(Gatehouse) public struct JSONObjectIndex: Sendable {
    /// One top-level member: its name (unescaped bytes) and its value's byte range.
    private struct Member: Sendable {
        let name: Range<Int>
        /// Index into `unescapedNames` when the name holds escapes, else -1 (keeps members plain values).
        let unescaped: Int
        let value: Range<Int>
        /// The name's length and first eight bytes, so most lookups are decided without comparing bytes.
        let fingerprint: UInt64
        /// The value is a string without escapes: its text is the bytes between the quotes, already checked.
        let isPlainString: Bool

        /// The bytes between the quotes of a plain string value.
        var plainText: Range<Int> { (value.lowerBound + 1)..<(value.upperBound - 1) }
    }

    private static func fingerprint(_ name: UnsafeRawBufferPointer) -> UInt64 {
        var value = UInt64(name.count) << 56
        for index in 0..<min(7, name.count) { value |= UInt64(name[index]) << (UInt64(index) * 8) }
        return value
    }

    /// The object's bytes.
    public let bytes: [UInt8]
    private let members: [Member]
    private let unescapedNames: [[UInt8]]

    /// Checks that `bytes` is exactly one JSON object (whitespace around it allowed) and indexes its members.
    public init(_ bytes: [UInt8]) throws(JSONReader.Failure) {
        self.bytes = bytes
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONReader.Failure) -> ([Member], [[UInt8]]) in try Self.index(buffer) }
        }
        (members, unescapedNames) = try result.get()
    }

    private static func index(_ buffer: UnsafeRawBufferPointer) throws(JSONReader.Failure) -> ([Member], [[UInt8]]) {
        var reader = JSONReader(bytes: buffer)
        reader.skipWhitespace()
        guard reader.peek() == UInt8(ascii: "{") else { throw JSONReader.Failure(reason: "not a JSON object") }
        var members: [Member] = []
        var unescapedNames: [[UInt8]] = []
        members.reserveCapacity(24)
        try reader.forEachMember { reader throws(JSONReader.Failure) in
            let name = try reader.scanString()
            try reader.colon()
            reader.skipWhitespace()
            let start = reader.index
            var isPlainString = false
            if reader.peek() == UInt8(ascii: "\"") {
                isPlainString = !(try reader.scanString()).hasEscapes
            } else {
                try reader.skipValue(depth: 1)
            }
            var unescaped = -1
            let print: UInt64
            if name.hasEscapes {
                unescapedNames.append(reader.unescaped(name))
                unescaped = unescapedNames.count - 1
                print = unescapedNames[unescaped].withUnsafeBytes(fingerprint)
            } else {
                print = fingerprint(UnsafeRawBufferPointer(rebasing: buffer[name.range]))
            }
            members.append(Member(name: name.range, unescaped: unescaped, value: start..<reader.index, fingerprint: print,
                                  isPlainString: isPlainString))
        }
        reader.skipWhitespace()
        guard reader.index == buffer.count else { throw JSONReader.Failure(reason: "trailing data after JSON") }
        for (position, member) in members.enumerated() {
            for earlier in members[..<position]
            where earlier.fingerprint == member.fingerprint && sameName(earlier, member, buffer, unescapedNames) {
                let text = withName(of: member, buffer, unescapedNames) { String(decoding: $0, as: UTF8.self) }
                throw JSONReader.Failure(reason: "duplicate member \"\(text.prefix(40))\"")
            }
        }
        return (members, unescapedNames)
    }

    private static func withName<T>(of member: Member, _ buffer: UnsafeRawBufferPointer, _ unescapedNames: [[UInt8]],
                                    _ body: (UnsafeRawBufferPointer) -> T) -> T {
        if member.unescaped >= 0 { return unescapedNames[member.unescaped].withUnsafeBytes(body) }
        return body(UnsafeRawBufferPointer(rebasing: buffer[member.name]))
    }

    private static func sameName(_ a: Member, _ b: Member, _ buffer: UnsafeRawBufferPointer, _ names: [[UInt8]]) -> Bool {
        withName(of: a, buffer, names) { first in
            withName(of: b, buffer, names) { second in
                first.count == second.count && (first.isEmpty || memcmp(first.baseAddress!, second.baseAddress!, first.count) == 0)
            }
        }
    }

    private func member(_ name: StaticString) -> Member? {
        let wanted = UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        let print = Self.fingerprint(wanted)
        return bytes.withUnsafeBytes { buffer in
            members.first { member in
                member.fingerprint == print && Self.withName(of: member, buffer, unescapedNames) { name in
                    name.count == wanted.count && memcmp(name.baseAddress!, wanted.baseAddress!, wanted.count) == 0
                }
            }
        }
    }

    /// True when the object has a member with this name.
    public func contains(_ name: StaticString) -> Bool { member(name) != nil }

    /// The first byte of a member's value (`"` string, `[` array, `{` object, digit or `-` number…).
    public func kind(of name: StaticString) -> UInt8? { member(name).map { bytes[$0.value.lowerBound] } }

    /// A member's value when it is a string.
    public func string(_ name: StaticString) -> String? {
        guard let member = member(name), bytes[member.value.lowerBound] == UInt8(ascii: "\"") else { return nil }
        if member.isPlainString { return String(decoding: bytes[member.plainText], as: UTF8.self) }
        return bytes.withUnsafeBytes { buffer in
            var reader = JSONReader(bytes: buffer, index: member.value.lowerBound)
            return (try? reader.scanString()).map(reader.decodeString)
        }
    }

    /// A member's value when it is a number.
    public func number(_ name: StaticString) -> Double? {
        guard let member = member(name) else { return nil }
        let first = bytes[member.value.lowerBound]
        guard first == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return nil }
        return bytes.withUnsafeBytes { buffer in try? JSONReader(bytes: buffer).number(in: member.value) }
    }

    /// A member's value, built.
    public func value(_ name: StaticString) -> JSONValue? {
        guard let member = member(name) else { return nil }
        return try? value(at: member.value)
    }

    /// A string-valued member, or each string of an array-valued one; nil when absent or of another shape.
    public func strings(_ name: StaticString) -> [String]? {
        if let single = string(name) { return [single] }
        guard let array = value(name)?.arrayValue else { return nil }
        let strings = array.compactMap(\.stringValue)
        return strings.count == array.count ? strings : nil
    }

    /// True when the member is a string equal to `wanted`, or an array holding such a string; reads the bytes in
    /// place without building values.
    public func hasString(_ name: StaticString, matching matches: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        guard let member = member(name) else { return false }
        return bytes.withUnsafeBytes { buffer in
            if member.isPlainString { return matches(UnsafeRawBufferPointer(rebasing: buffer[member.plainText])) }
            // `check` takes the reader it may unescape with: capturing the outer one would overlap the access
            // `forEachElement` holds on it (a runtime exclusivity trap a fuzzer found).
            func check(_ token: JSONReader.StringToken, _ reader: JSONReader) -> Bool {
                if token.hasEscapes { return reader.unescaped(token).withUnsafeBytes(matches) }
                return matches(UnsafeRawBufferPointer(rebasing: buffer[token.range]))
            }
            var reader = JSONReader(bytes: buffer, index: member.value.lowerBound)
            if buffer[member.value.lowerBound] == UInt8(ascii: "\"") {
                return (try? reader.scanString()).map { check($0, reader) } ?? false
            }
            var found = false
            try? reader.forEachElement { element throws(JSONReader.Failure) in
                element.skipWhitespace()
                guard element.peek() == UInt8(ascii: "\"") else { return try element.skipValue(depth: 2) }
                let token = try element.scanString()
                if !found && check(token, element) { found = true }
            }
            return found
        }
    }

    /// True when the member is a string or an array of strings (checked in place).
    public func isStringOrStringArray(_ name: StaticString) -> Bool {
        guard let member = member(name) else { return false }
        let first = bytes[member.value.lowerBound]
        if first == UInt8(ascii: "\"") { return true }
        guard first == UInt8(ascii: "[") else { return false }
        return bytes.withUnsafeBytes { buffer in
            var reader = JSONReader(bytes: buffer, index: member.value.lowerBound)
            var allStrings = true
            try? reader.forEachElement { reader throws(JSONReader.Failure) in
                reader.skipWhitespace()
                if reader.peek() != UInt8(ascii: "\"") { allStrings = false }
                try reader.skipValue(depth: 2)
            }
            return allStrings
        }
    }

    /// Every member, built; a duplicate name inside one of them is refused too.
    public func allMembers() throws(JSONReader.Failure) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for member in members {
            let name = bytes.withUnsafeBytes { buffer in
                Self.withName(of: member, buffer, unescapedNames) { String(decoding: $0, as: UTF8.self) }
            }
            result[name] = try value(at: member.value)
        }
        return result
    }

    private func value(at range: Range<Int>) throws(JSONReader.Failure) -> JSONValue {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONReader.Failure) -> JSONValue in
                var reader = JSONReader(bytes: buffer, index: range.lowerBound)
                return try reader.parseValue(depth: 1)
            }
        }
        return try result.get()
    }
}
