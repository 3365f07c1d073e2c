import FoundationEssentials
import Glibc

/// Encodes a value as compact JSON with object members sorted by name (their UTF-8 bytes) and `/` unescaped: the
/// bytes `JSONEncoder` writes with `[.sortedKeys, .withoutEscapingSlashes]` and its default strategies (a `Date` as
/// seconds since 2001, `Data` as Base64), at a fraction of its cost per call — scalars are written straight into one
/// buffer, containers are lists, not dictionaries of boxed values.
public struct CompactJSONEncoder: Sendable {
    /// An encoder.
    public init() {}

    /// `value` as JSON bytes; throws `EncodingError.invalidValue` for a non-finite number or a value that encodes
    /// nothing.
    public func encode<Value: Encodable>(_ value: Value) throws -> [UInt8] {
        let scratch = EncodingScratch()
        guard let node = try scratch.node(for: value, in: [], key: nil) else {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "Top-level \(Value.self) did not encode any values."))
        }
        var output: [UInt8] = []
        output.reserveCapacity(scratch.bytes.count + 64)
        scratch.render(node, into: &output)
        return output
    }
}

/// What one value encoded to: JSON text in the scratch buffer, a container its encoder may still add to, or what a
/// super-encoder holds once encoding ends.
enum EncodedNode {
    case text(Range<Int>)
    case object(EncodedObject)
    case array(EncodedArray)
    case encoder(CompactEncoder)
}

/// An object's members in the order they were encoded; a name encoded twice keeps its last value.
final class EncodedObject {
    var members: [(name: String, value: EncodedNode)] = []

    init() { members.reserveCapacity(8) }
}

/// An array's elements.
final class EncodedArray {
    var elements: [EncodedNode] = []
}

/// The text every scalar of one `encode` call is written into, and the rendering of the finished tree.
final class EncodingScratch {
    private(set) var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(256) }

    /// The node `value` encodes to; nil when it encoded nothing. Types `JSONEncoder` writes as scalars are written
    /// here (a metatype compare each, no dynamic cast); anything else encodes itself.
    /// `key` is the value's place in the container at `parentPath` (nil at the top).
    func node<Value: Encodable>(for value: Value, in parentPath: [any CodingKey], key: (any CodingKey)?) throws -> EncodedNode? {
        if Value.self == String.self { return text(unsafeBitCast(value, to: String.self)) }
        if Value.self == Int.self { return text(unsafeBitCast(value, to: Int.self)) }
        if Value.self == Bool.self { return text(unsafeBitCast(value, to: Bool.self)) }
        let path = { key.map { parentPath + [$0] } ?? parentPath }
        if Value.self == Double.self { return try text(unsafeBitCast(value, to: Double.self), at: path()) }
        if Value.self == Date.self { return try text(unsafeBitCast(value, to: Date.self).timeIntervalSinceReferenceDate, at: path()) }
        if Value.self == Data.self { return text(unsafeBitCast(value, to: Data.self).base64EncodedString()) }
        if Value.self == URL.self { return text(unsafeBitCast(value, to: URL.self).absoluteString) }
        if Value.self == Decimal.self { return write { $0.append(contentsOf: unsafeBitCast(value, to: Decimal.self).description.utf8) } }
        let encoder = CompactEncoder(scratch: self, parentPath: parentPath, key: key)
        try value.encode(to: encoder)
        return encoder.node
    }

    /// A nested value's node: one that encoded nothing is an empty object, as `JSONEncoder` writes it.
    func nestedNode<Value: Encodable>(for value: Value, in parentPath: [any CodingKey], key: (any CodingKey)?) throws
        -> EncodedNode
    {
        try node(for: value, in: parentPath, key: key) ?? .object(EncodedObject())
    }

    /// Text written by `body` into the buffer.
    func write(_ body: (inout [UInt8]) -> Void) -> EncodedNode {
        let start = bytes.count
        body(&bytes)
        return .text(start..<bytes.count)
    }

    func null() -> EncodedNode { write { $0.append(contentsOf: "null".utf8) } }

    func text(_ value: String) -> EncodedNode { write { JSONText.appendString(value, to: &$0) } }

    func text(_ value: Bool) -> EncodedNode { write { $0.append(contentsOf: value ? "true".utf8 : "false".utf8) } }

    func text<Integer: FixedWidthInteger>(_ value: Integer) -> EncodedNode {
        write { bytes in
            if value < 0 { bytes.append(0x2D) }
            JSONText.appendDecimal(UInt64(value.magnitude), to: &bytes)
        }
    }

    /// A finite number as `JSONEncoder` writes it: its shortest description, without a trailing `.0`.
    func text<Number: BinaryFloatingPoint & LosslessStringConvertible>(_ value: Number,
                                                                        at path: @autoclosure () -> [any CodingKey]) throws
        -> EncodedNode
    {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: path(), debugDescription:
                "Unable to encode \(Number.self).\(value) directly in JSON."))
        }
        var description = value.description
        if description.hasSuffix(".0") { description.removeLast(2) }
        return write { $0.append(contentsOf: description.utf8) }
    }

    /// Writes `node` as JSON: members sorted by name, a repeated name's last value kept.
    func render(_ node: EncodedNode, into output: inout [UInt8]) {
        switch node {
        case .text(let range):
            output.append(contentsOf: bytes[range])
        case .array(let array):
            output.append(0x5B)
            for (index, element) in array.elements.enumerated() {
                if index > 0 { output.append(0x2C) }
                render(element, into: &output)
            }
            output.append(0x5D)
        case .object(let object):
            let members = object.members
            output.append(0x7B)
            var first = true
            let order = Self.sortedByName(members)
            for (position, index) in order.enumerated() {
                if position + 1 < order.count, members[order[position + 1]].name == members[index].name { continue }
                if !first { output.append(0x2C) }
                first = false
                JSONText.appendString(members[index].name, to: &output)
                output.append(0x3A)
                render(members[index].value, into: &output)
            }
            output.append(0x7D)
        case .encoder(let encoder):
            render(encoder.node ?? .object(EncodedObject()), into: &output)
        }
    }
}

extension EncodingScratch {
    /// The members' indices ordered by name bytes, equal names in encoding order. Objects are small and often
    /// nearly sorted: an insertion sort up to 16 members.
    static func sortedByName(_ members: [(name: String, value: EncodedNode)]) -> [Int] {
        func precedes(_ a: Int, _ b: Int) -> Bool {
            var (first, second) = (members[a].name, members[b].name)
            let order = first.withUTF8 { x in
                second.withUTF8 { y in
                    let common = min(x.count, y.count)
                    let compared = common == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, common)
                    return compared != 0 ? Int(compared) : x.count - y.count
                }
            }
            return order != 0 ? order < 0 : a < b
        }
        var order = Array(members.indices)
        guard order.count > 16 else {
            for next in order.indices.dropFirst() {
                var index = next
                while index > 0, precedes(order[index], order[index - 1]) {
                    order.swapAt(index, index - 1)
                    index -= 1
                }
            }
            return order
        }
        return order.sorted(by: precedes)
    }
}

/// The `Encoder` a value encodes itself into; it holds what the value made of it.
final class CompactEncoder: Encoder {
    let scratch: EncodingScratch
    /// The path is only made when asked for: most values never ask.
    private let parentPath: [any CodingKey]
    private let key: (any CodingKey)?
    var codingPath: [any CodingKey] { key.map { parentPath + [$0] } ?? parentPath }
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    /// The container or scalar the value encoded to, if any yet.
    var node: EncodedNode?

    init(scratch: EncodingScratch, parentPath: [any CodingKey], key: (any CodingKey)?) {
        self.scratch = scratch
        self.parentPath = parentPath
        self.key = key
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let object: EncodedObject
        if case .object(let existing) = node { object = existing } else { object = EncodedObject(); node = .object(object) }
        return KeyedEncodingContainer(CompactKeyedContainer(object: object, scratch: scratch, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let array: EncodedArray
        if case .array(let existing) = node { array = existing } else { array = EncodedArray(); node = .array(array) }
        return CompactUnkeyedContainer(array: array, scratch: scratch, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        CompactSingleValueContainer(encoder: self)
    }
}
