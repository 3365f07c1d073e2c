/// One attribute value of DynamoDB's item model. Numbers are kept as their decimal text, as DynamoDB does.
public enum AttributeValue: Sendable, Hashable {
    case string(String)
    case number(String)
    case bool(Bool)
    case null
    case binary([UInt8])
    case list([AttributeValue])
    case map([String: AttributeValue])
    case stringSet(Set<String>)

    /// A number attribute from an integer.
    public static func number(_ value: Int) -> AttributeValue { .number(String(value)) }

    /// The string, when this is one.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The number as a `Double`, when this is one.
    public var numberValue: Double? {
        if case .number(let text) = self { return Double(text) }
        return nil
    }
}

/// An item: attribute names to values.
public typealias Item = [String: AttributeValue]

extension AttributeValue: Codable {
    /// DynamoDB's JSON form: `{"S": "…"}`, `{"N": "1"}`, `{"BOOL": true}`, `{"NULL": true}`, `{"B": base64}`,
    /// `{"L": […]}`, `{"M": {…}}`, `{"SS": […]}`.
    private enum Key: String, CodingKey {
        case s = "S", n = "N", bool = "BOOL", null = "NULL", b = "B", l = "L", m = "M", ss = "SS"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "an attribute value has exactly one type key"))
        }
        switch key {
        case .s: self = .string(try container.decode(String.self, forKey: .s))
        case .n:
            let text = try container.decode(String.self, forKey: .n)
            guard Double(text) != nil else {
                throw DecodingError.dataCorruptedError(forKey: .n, in: container, debugDescription: "not a number")
            }
            self = .number(text)
        case .bool: self = .bool(try container.decode(Bool.self, forKey: .bool))
        case .null: self = .null
        case .b:
            guard let bytes = Base64.decode(try container.decode(String.self, forKey: .b)) else {
                throw DecodingError.dataCorruptedError(forKey: .b, in: container, debugDescription: "not base64")
            }
            self = .binary(bytes)
        case .l: self = .list(try container.decode([AttributeValue].self, forKey: .l))
        case .m: self = .map(try container.decode([String: AttributeValue].self, forKey: .m))
        case .ss: self = .stringSet(Set(try container.decode([String].self, forKey: .ss)))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        switch self {
        case .string(let value): try container.encode(value, forKey: .s)
        case .number(let value): try container.encode(value, forKey: .n)
        case .bool(let value): try container.encode(value, forKey: .bool)
        case .null: try container.encode(true, forKey: .null)
        case .binary(let value): try container.encode(Base64.encode(value), forKey: .b)
        case .list(let value): try container.encode(value, forKey: .l)
        case .map(let value): try container.encode(value, forKey: .m)
        case .stringSet(let value): try container.encode(value.sorted(), forKey: .ss)
        }
    }
}

/// Standard base64 (with padding), as DynamoDB's JSON protocol carries binary values.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let block = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
            for position in 0..<4 {
                output.append(position <= chunk.count ? alphabet[Int(block >> (18 - 6 * UInt32(position)) & 63)] : UInt8(ascii: "="))
            }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
        let bytes = Array(text.utf8)
        guard bytes.count % 4 == 0 else { return nil }
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            var block: UInt32 = 0
            var padding = 0
            for position in 0..<4 {
                let byte = bytes[index + position]
                let value: UInt32
                if byte == UInt8(ascii: "=") && index + 4 == bytes.count && position >= 2 {
                    padding += 1
                    value = 0
                } else if let found = alphabet.firstIndex(of: byte), padding == 0 {
                    value = UInt32(found)
                } else {
                    return nil
                }
                block = block << 6 | value
            }
            output.append(UInt8(block >> 16 & 0xFF))
            if padding < 2 { output.append(UInt8(block >> 8 & 0xFF)) }
            if padding < 1 { output.append(UInt8(block & 0xFF)) }
            index += 4
        }
        return output
    }
}
