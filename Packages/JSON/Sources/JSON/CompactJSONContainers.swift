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

/// A container that takes one value at a time: an array's next element, or a single value. The scalar writers both
/// protocols ask for are written once, here.
protocol CompactValueContainer {
    var scratch: EncodingScratch { get }
    var codingPath: [any CodingKey] { get }
    /// Where the next value goes below `codingPath`: an index, or nil for a single value.
    var nextKey: (any CodingKey)? { get }
    func put(_ node: EncodedNode)
}

extension CompactValueContainer {
    private var nextPath: [any CodingKey] { nextKey.map { codingPath + [$0] } ?? codingPath }

    mutating func encodeNil() throws { put(scratch.null()) }
    mutating func encode(_ value: Bool) throws { put(scratch.text(value)) }
    mutating func encode(_ value: String) throws { put(scratch.text(value)) }
    mutating func encode(_ value: Double) throws { put(try scratch.text(value, at: nextPath)) }
    mutating func encode(_ value: Float) throws { put(try scratch.text(value, at: nextPath)) }
    mutating func encode(_ value: Int) throws { put(scratch.text(value)) }
    mutating func encode(_ value: Int8) throws { put(scratch.text(value)) }
    mutating func encode(_ value: Int16) throws { put(scratch.text(value)) }
    mutating func encode(_ value: Int32) throws { put(scratch.text(value)) }
    mutating func encode(_ value: Int64) throws { put(scratch.text(value)) }
    mutating func encode(_ value: UInt) throws { put(scratch.text(value)) }
    mutating func encode(_ value: UInt8) throws { put(scratch.text(value)) }
    mutating func encode(_ value: UInt16) throws { put(scratch.text(value)) }
    mutating func encode(_ value: UInt32) throws { put(scratch.text(value)) }
    mutating func encode(_ value: UInt64) throws { put(scratch.text(value)) }
    mutating func encode<Value: Encodable>(_ value: Value) throws {
        put(try scratch.nestedNode(for: value, in: codingPath, key: nextKey))
    }
}

struct CompactUnkeyedContainer: UnkeyedEncodingContainer, CompactValueContainer {
    let array: EncodedArray
    let scratch: EncodingScratch
    let codingPath: [any CodingKey]
    var count: Int { array.elements.count }
    var nextKey: (any CodingKey)? { CompactIndexKey(index: count) }

    func put(_ node: EncodedNode) { array.elements.append(node) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = EncodedObject()
        let path = codingPath + [CompactIndexKey(index: count)]
        put(.object(nested))
        return KeyedEncodingContainer(CompactKeyedContainer<NestedKey>(object: nested, scratch: scratch, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = EncodedArray()
        let path = codingPath + [CompactIndexKey(index: count)]
        put(.array(nested))
        return CompactUnkeyedContainer(array: nested, scratch: scratch, codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        let encoder = CompactEncoder(scratch: scratch, parentPath: codingPath, key: CompactIndexKey(index: count))
        put(.encoder(encoder))
        return encoder
    }
}

struct CompactSingleValueContainer: SingleValueEncodingContainer, CompactValueContainer {
    let encoder: CompactEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }
    var scratch: EncodingScratch { encoder.scratch }
    var nextKey: (any CodingKey)? { nil }

    func put(_ node: EncodedNode) { encoder.node = node }
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
