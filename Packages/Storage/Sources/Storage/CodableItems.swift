@_spi(Gatehouse) import JSON
import FoundationEssentials

/// Your own `Codable` types as items: encoded through JSON (strings, numbers, booleans, null, arrays, objects become
/// S, N, BOOL, NULL, L, M), so any type that round-trips through `JSONEncoder` can be stored.
extension Table {
    /// Stores `value` as an item, if `condition` holds.
    public func put<Value: Encodable>(_ value: Value, condition: WriteCondition = .none) async throws {
        guard case .map(let item) = try ItemJSON.attribute(value) else {
            throw StorageError(.invalidRequest, "a stored value must encode as a JSON object")
        }
        try await put(item, condition: condition)
    }

    /// The items of `partition`, in sort-key order, each decoded as `type`.
    public func query<Value: Decodable>(_ type: Value.Type, partition: AttributeValue) async throws -> [Value] {
        try await query(partition: partition).map { try ItemJSON.decode(type, from: $0) }
    }

    /// The item with `key` decoded as `type`, if any.
    public func get<Value: Decodable>(_ type: Value.Type, _ key: ItemKey) async throws -> Value? {
        guard let item = try await get(key) else { return nil }
        return try ItemJSON.decode(type, from: item)
    }
}

/// An attribute value read from or written as plain JSON: S, N, BOOL, NULL, L and M as JSON's own kinds (B as
/// base64 text, SS as an array), which is how `Codable` types reach a table.
struct PlainJSON: Codable {
    var value: AttributeValue

    init(_ value: AttributeValue) { self.value = value }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            value = .null
        } else if let flag = try? container.decode(Bool.self) {
            value = .bool(flag)
        } else if let number = try? container.decode(Double.self) {
            value = .number(JSONText.number(number))
        } else if let text = try? container.decode(String.self) {
            value = .string(text)
        } else if let values = try? container.decode([PlainJSON].self) {
            value = .list(values.map(\.value))
        } else {
            value = .map(try container.decode([String: PlainJSON].self).mapValues(\.value))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch value {
        case .string(let text): try container.encode(text)
        case .number(let text): try container.encode(Double(text) ?? 0)
        case .bool(let flag): try container.encode(flag)
        case .null: try container.encodeNil()
        case .binary(let bytes): try container.encode(Data(bytes).base64EncodedString())
        case .list(let values): try container.encode(values.map(PlainJSON.init))
        case .map(let members): try container.encode(members.mapValues(PlainJSON.init))
        case .stringSet(let strings): try container.encode(strings.sorted())
        }
    }
}

enum ItemJSON {
    static func attribute<Value: Encodable>(_ value: Value) throws -> AttributeValue {
        try JSONDecoder().decode(PlainJSON.self, from: JSONEncoder().encode(value)).value
    }

    static func decode<Value: Decodable>(_ type: Value.Type, from item: Item) throws -> Value {
        try JSONDecoder().decode(Value.self, from: JSONEncoder().encode(PlainJSON(.map(item))))
    }
}
