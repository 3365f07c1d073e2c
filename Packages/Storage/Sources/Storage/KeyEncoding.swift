/// Key attribute values as bytes whose `memcmp` order is DynamoDB's order: strings by UTF-8 bytes, numbers by
/// value, binary by bytes. A leading type tag keeps values of different types apart.
enum KeyEncoding {
    static func bytes(_ value: AttributeValue) -> [UInt8] {
        switch value {
        case .string(let text): return [1] + Array(text.utf8)
        case .number(let text): return [2] + sortableNumber(Double(text) ?? 0)
        case .binary(let bytes): return [3] + bytes
        default: return [0]
        }
    }

    static func value(_ bytes: [UInt8]) -> AttributeValue? {
        guard let tag = bytes.first else { return nil }
        let body = Array(bytes.dropFirst())
        switch tag {
        case 1: return .string(String(decoding: body, as: UTF8.self))
        case 2:
            guard body.count == 8 else { return nil }
            let number = numberFromSortable(body)
            return .number(number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number))
        case 3: return .binary(body)
        default: return nil
        }
    }

    /// IEEE 754 bits, big-endian, with the sign bit flipped for positives and every bit flipped for negatives.
    private static func sortableNumber(_ number: Double) -> [UInt8] {
        let bits = number.bitPattern
        let ordered = bits & (1 << 63) == 0 ? bits | (1 << 63) : ~bits
        return (0..<8).map { UInt8(truncatingIfNeeded: ordered >> (56 - 8 * UInt64($0))) }
    }

    private static func numberFromSortable(_ bytes: [UInt8]) -> Double {
        let ordered = bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return Double(bitPattern: ordered & (1 << 63) != 0 ? ordered & ~(1 << 63) : ~ordered)
    }

    /// Whether an encoded sort key satisfies `condition`.
    static func matches(_ sort: [UInt8], _ condition: SortKeyCondition) -> Bool {
        switch condition {
        case .equals(let value): return sort == bytes(value)
        case .lessThan(let value): return sort.lexicographicallyPrecedes(bytes(value))
        case .lessThanOrEqual(let value): return !bytes(value).lexicographicallyPrecedes(sort)
        case .greaterThan(let value): return bytes(value).lexicographicallyPrecedes(sort)
        case .greaterThanOrEqual(let value): return !sort.lexicographicallyPrecedes(bytes(value))
        case .between(let low, let high):
            return !sort.lexicographicallyPrecedes(bytes(low)) && !bytes(high).lexicographicallyPrecedes(sort)
        case .beginsWith(let prefix): return sort.starts(with: bytes(.string(prefix)))
        }
    }
}
