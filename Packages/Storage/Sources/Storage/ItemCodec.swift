/// A compact binary form of items for the SQLite file: a tag per value, varint lengths, no field names repeated
/// beyond the item's own. Reading checks every length, so a damaged row is an error, never a crash.
enum ItemCodec {
    static func encode(_ item: Item) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(64)
        writeMap(item, into: &output)
        return output
    }

    static func decode(_ bytes: UnsafeRawBufferPointer) throws(StorageError) -> Item {
        var reader = Reader(bytes: bytes)
        let item = try reader.map(depth: 0)
        guard reader.index == bytes.count else { throw StorageError(.unavailable, "stored item has trailing bytes") }
        return item
    }

    private static func writeVarint(_ value: Int, into output: inout [UInt8]) {
        var value = UInt64(value)
        while value >= 0x80 {
            output.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        output.append(UInt8(value))
    }

    private static func writeText(_ text: String, into output: inout [UInt8]) {
        writeVarint(text.utf8.count, into: &output)
        output.append(contentsOf: text.utf8)
    }

    private static func writeMap(_ map: [String: AttributeValue], into output: inout [UInt8]) {
        writeVarint(map.count, into: &output)
        for (name, value) in map {
            writeText(name, into: &output)
            write(value, into: &output)
        }
    }

    private static func write(_ value: AttributeValue, into output: inout [UInt8]) {
        switch value {
        case .string(let text): output.append(1); writeText(text, into: &output)
        case .number(let text): output.append(2); writeText(text, into: &output)
        case .bool(let flag): output.append(flag ? 4 : 3)
        case .null: output.append(5)
        case .binary(let bytes):
            output.append(6)
            writeVarint(bytes.count, into: &output)
            output.append(contentsOf: bytes)
        case .list(let values):
            output.append(7)
            writeVarint(values.count, into: &output)
            values.forEach { write($0, into: &output) }
        case .map(let map): output.append(8); writeMap(map, into: &output)
        case .stringSet(let strings):
            output.append(9)
            writeVarint(strings.count, into: &output)
            strings.sorted().forEach { writeText($0, into: &output) }
        }
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var index = 0

        static let corrupt = StorageError(.unavailable, "stored item is damaged")

        mutating func byte() throws(StorageError) -> UInt8 {
            guard index < bytes.count else { throw Self.corrupt }
            defer { index += 1 }
            return bytes[index]
        }

        mutating func varint() throws(StorageError) -> Int {
            var value: UInt64 = 0
            for shift in stride(from: 0, to: 63, by: 7) {
                let next = try byte()
                value |= UInt64(next & 0x7F) << UInt64(shift)
                if next & 0x80 == 0 {
                    guard value <= UInt64(bytes.count) else { throw Self.corrupt }
                    return Int(value)
                }
            }
            throw Self.corrupt
        }

        mutating func raw() throws(StorageError) -> UnsafeRawBufferPointer {
            let count = try varint()
            guard index + count <= bytes.count else { throw Self.corrupt }
            defer { index += count }
            return UnsafeRawBufferPointer(rebasing: bytes[index..<(index + count)])
        }

        mutating func text() throws(StorageError) -> String { String(decoding: try raw(), as: UTF8.self) }

        mutating func map(depth: Int) throws(StorageError) -> [String: AttributeValue] {
            guard depth < 32 else { throw Self.corrupt }
            let count = try varint()
            var map = [String: AttributeValue](minimumCapacity: count)
            for _ in 0..<count { map[try text()] = try value(depth: depth) }
            return map
        }

        mutating func value(depth: Int) throws(StorageError) -> AttributeValue {
            switch try byte() {
            case 1: return .string(try text())
            case 2: return .number(try text())
            case 3: return .bool(false)
            case 4: return .bool(true)
            case 5: return .null
            case 6: return .binary(Array(try raw()))
            case 7:
                let count = try varint()
                var values: [AttributeValue] = []
                for _ in 0..<count { values.append(try value(depth: depth + 1)) }
                return .list(values)
            case 8: return .map(try map(depth: depth + 1))
            case 9:
                let count = try varint()
                var strings: Set<String> = []
                for _ in 0..<count { strings.insert(try text()) }
                return .stringSet(strings)
            default: throw Self.corrupt
            }
        }
    }
}
