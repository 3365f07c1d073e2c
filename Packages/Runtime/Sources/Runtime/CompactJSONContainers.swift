/// The containers of `CompactJSONEncoder`: each scalar goes through `EncodingScratch`'s writers; the many overloads
/// below are the `Encodable` protocols' requirements, one line each.

struct CompactKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let object: EncodedObject
    let scratch: EncodingScratch
    let codingPath: [any CodingKey]

    private func add(_ key: Key, _ node: EncodedNode) { object.members.append((key.stringValue, node)) }

    mutating func encodeNil(forKey key: Key) throws { add(key, scratch.null()) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { add(key, scratch.text(value)) }
    mutating func encode(_ value: String, forKey key: Key) throws { add(key, scratch.text(value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws { add(key, try scratch.text(value, at: codingPath + [key])) }
    mutating func encode(_ value: Float, forKey key: Key) throws { add(key, try scratch.text(value, at: codingPath + [key])) }
    mutating func encode(_ value: Int, forKey key: Key) throws { add(key, scratch.text(value)) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { add(key, scratch.text(value)) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { add(key, scratch.text(value)) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { add(key, scratch.text(value)) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { add(key, scratch.text(value)) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { add(key, scratch.text(value)) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { add(key, scratch.text(value)) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { add(key, scratch.text(value)) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { add(key, scratch.text(value)) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { add(key, scratch.text(value)) }
    mutating func encode<Value: Encodable>(_ value: Value, forKey key: Key) throws {
        add(key, try scratch.nestedNode(for: value, in: codingPath, key: key))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let nested = EncodedObject()
        add(key, .object(nested))
        return KeyedEncodingContainer(CompactKeyedContainer<NestedKey>(object: nested, scratch: scratch,
                                                                       codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = EncodedArray()
        add(key, .array(nested))
        return CompactUnkeyedContainer(array: nested, scratch: scratch, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder { superEncoder(for: CompactIndexKey(name: "super")) }

    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(for: key) }

    /// An encoder whose value becomes member `key` (an empty object if it encodes nothing).
    private func superEncoder(for key: any CodingKey) -> any Encoder {
        let encoder = CompactEncoder(scratch: scratch, parentPath: codingPath, key: key)
        object.members.append((key.stringValue, .encoder(encoder)))
        return encoder
    }
}

struct CompactUnkeyedContainer: UnkeyedEncodingContainer {
    let array: EncodedArray
    let scratch: EncodingScratch
    let codingPath: [any CodingKey]
    var count: Int { array.elements.count }

    private func add(_ node: EncodedNode) { array.elements.append(node) }
    private var nextPath: [any CodingKey] { codingPath + [CompactIndexKey(index: count)] }

    mutating func encodeNil() throws { add(scratch.null()) }
    mutating func encode(_ value: Bool) throws { add(scratch.text(value)) }
    mutating func encode(_ value: String) throws { add(scratch.text(value)) }
    mutating func encode(_ value: Double) throws { add(try scratch.text(value, at: nextPath)) }
    mutating func encode(_ value: Float) throws { add(try scratch.text(value, at: nextPath)) }
    mutating func encode(_ value: Int) throws { add(scratch.text(value)) }
    mutating func encode(_ value: Int8) throws { add(scratch.text(value)) }
    mutating func encode(_ value: Int16) throws { add(scratch.text(value)) }
    mutating func encode(_ value: Int32) throws { add(scratch.text(value)) }
    mutating func encode(_ value: Int64) throws { add(scratch.text(value)) }
    mutating func encode(_ value: UInt) throws { add(scratch.text(value)) }
    mutating func encode(_ value: UInt8) throws { add(scratch.text(value)) }
    mutating func encode(_ value: UInt16) throws { add(scratch.text(value)) }
    mutating func encode(_ value: UInt32) throws { add(scratch.text(value)) }
    mutating func encode(_ value: UInt64) throws { add(scratch.text(value)) }
    mutating func encode<Value: Encodable>(_ value: Value) throws {
        add(try scratch.nestedNode(for: value, in: codingPath, key: CompactIndexKey(index: count)))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = EncodedObject()
        let path = nextPath
        add(.object(nested))
        return KeyedEncodingContainer(CompactKeyedContainer<NestedKey>(object: nested, scratch: scratch, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = EncodedArray()
        let path = nextPath
        add(.array(nested))
        return CompactUnkeyedContainer(array: nested, scratch: scratch, codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        let encoder = CompactEncoder(scratch: scratch, parentPath: codingPath, key: CompactIndexKey(index: count))
        add(.encoder(encoder))
        return encoder
    }
}

struct CompactSingleValueContainer: SingleValueEncodingContainer {
    let encoder: CompactEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }
    private var scratch: EncodingScratch { encoder.scratch }

    private func set(_ node: EncodedNode) { encoder.node = node }

    mutating func encodeNil() throws { set(scratch.null()) }
    mutating func encode(_ value: Bool) throws { set(scratch.text(value)) }
    mutating func encode(_ value: String) throws { set(scratch.text(value)) }
    mutating func encode(_ value: Double) throws { set(try scratch.text(value, at: codingPath)) }
    mutating func encode(_ value: Float) throws { set(try scratch.text(value, at: codingPath)) }
    mutating func encode(_ value: Int) throws { set(scratch.text(value)) }
    mutating func encode(_ value: Int8) throws { set(scratch.text(value)) }
    mutating func encode(_ value: Int16) throws { set(scratch.text(value)) }
    mutating func encode(_ value: Int32) throws { set(scratch.text(value)) }
    mutating func encode(_ value: Int64) throws { set(scratch.text(value)) }
    mutating func encode(_ value: UInt) throws { set(scratch.text(value)) }
    mutating func encode(_ value: UInt8) throws { set(scratch.text(value)) }
    mutating func encode(_ value: UInt16) throws { set(scratch.text(value)) }
    mutating func encode(_ value: UInt32) throws { set(scratch.text(value)) }
    mutating func encode(_ value: UInt64) throws { set(scratch.text(value)) }
    mutating func encode<Value: Encodable>(_ value: Value) throws {
        set(try scratch.node(for: value, in: codingPath, key: nil) ?? .object(EncodedObject()))
    }
}

/// A coding-path entry for an array index or the `super` member.
struct CompactIndexKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(index: Int) { (stringValue, intValue) = ("Index \(index)", index) }
    init(name: String) { (stringValue, intValue) = (name, nil) }
    init?(stringValue: String) { self.init(name: stringValue) }
    init?(intValue: Int) { self.init(index: intValue) }
}
