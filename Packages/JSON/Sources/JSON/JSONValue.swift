/// A JSON value as the JOSE layer reads it: strictly (RFC 8259), with duplicate member names refused and
/// nesting bounded, because two parsers disagreeing about a duplicate `alg` or `iss` is an attack.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The string, when this is one.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The number, when this is one.
    public var numberValue: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The members, when this is an object.
    public var objectValue: [String: JSONValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The elements, when this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }
}


extension JSONValue {
    /// Why a document could not be read, in one line (never quoting more than a member name).
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        /// The reason.
        public let reason: String
        public var description: String { reason }
    }

    /// The members of `bytes`, a JSON object read strictly (RFC 8259; duplicate names refused, nesting bounded) by
    /// the reader the JOSE layer uses: much cheaper than `JSONDecoder` on an event of a few kilobytes.
    public static func object(parsing bytes: [UInt8]) throws(ParseError) -> [String: JSONValue] {
        try JSONReader.object(bytes)
    }
}

/// Which members of an object to build when parsing (`JSONValue.object(parsing:selecting:)`): all of them, or only
/// the named ones, each with its own selection; the others are still checked as JSON, then skipped unbuilt.
public indirect enum JSONSelection: Sendable {
    case everything
    case members([String: JSONSelection])
}

extension JSONValue {
    /// The members of `bytes` that `selection` names, read as `object(parsing:)` reads them: an event's handler needs
    /// a few of its many members, and building the rest was most of the cost of reading it.
    public static func object(parsing bytes: [UInt8], selecting selection: [String: JSONSelection])
        throws(ParseError) -> [String: JSONValue]
    {
        try JSONReader.object(bytes, selecting: selection)
    }
}
