import FoundationEssentials
import HTTP

/// Your own `Codable` types as items: encoded through JSON (strings, numbers, booleans, null, arrays, objects become
/// S, N, BOOL, NULL, L, M), so any type that round-trips through `JSONEncoder` can be stored.
extension Table {
    /// Stores `value` as an item, if `condition` holds.
    public func put<Value: Encodable>(_ value: Value, condition: WriteCondition = .none) async throws {
        let json = try JSONDecoder().decode(JSONAny.self, from: JSONEncoder().encode(value))
        guard case .map(let item) = ItemJSON.attribute(json) else {
            throw StorageError(.invalidRequest, "a stored value must encode as a JSON object")
        }
        try await put(item, condition: condition)
    }

    /// The item with `key` decoded as `type`, if any.
    public func get<Value: Decodable>(_ type: Value.Type, _ key: ItemKey) async throws -> Value? {
        guard let item = try await get(key) else { return nil }
        return try ItemJSON.decode(type, from: item)
    }
}

enum ItemJSON {
    static func attribute(_ json: JSONAny) -> AttributeValue {
        switch json {
        case .string(let text): .string(text)
        case .number: .number(json.text ?? "0")
        case .bool(let flag): .bool(flag)
        case .null: .null
        case .array(let values): .list(values.map(attribute))
        case .object(let members): .map(members.mapValues(attribute))
        }
    }

    static func json(_ value: AttributeValue) -> JSONAny {
        switch value {
        case .string(let text): .string(text)
        case .number(let text): .number(Double(text) ?? 0)
        case .bool(let flag): .bool(flag)
        case .null: .null
        case .binary(let bytes): .string(Data(bytes).base64EncodedString())
        case .list(let values): .array(values.map(json))
        case .map(let members): .object(members.mapValues(json))
        case .stringSet(let strings): .array(strings.sorted().map { .string($0) })
        }
    }

    static func decode<Value: Decodable>(_ type: Value.Type, from item: Item) throws -> Value {
        try JSONDecoder().decode(Value.self, from: JSONEncoder().encode(json(.map(item))))
    }
}
