/// One JSON line built as UTF-8 bytes: log, metric and error documents are written per invocation, and appending to a
/// `String` piece by piece cost several times more than appending bytes.
struct JSONLine {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    /// Appends `text` as it is (JSON punctuation, numbers, already valid text).
    mutating func raw(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Appends bytes already rendered as JSON.
    mutating func raw(_ rendered: [UInt8]) {
        bytes.append(contentsOf: rendered)
    }

    /// Appends `text` as a JSON string literal (RFC 8259 escaping); runs of bytes that need no escape are copied
    /// whole.
    mutating func string(_ text: String) {
        bytes.append(0x22)
        var text = text
        text.withUTF8 { utf8 in
            var plainFrom = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainFrom..<index]))
                plainFrom = index + 1
                switch byte {
                case 0x22: raw("\\\"")
                case 0x5C: raw("\\\\")
                case 0x0A: raw("\\n")
                case 0x0D: raw("\\r")
                case 0x09: raw("\\t")
                default:
                    raw("\\u00")
                    bytes.append(Self.hexDigit(byte >> 4))
                    bytes.append(Self.hexDigit(byte & 0xF))
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainFrom...]))
        }
        bytes.append(0x22)
    }

    /// Appends `,"name":"value"`.
    mutating func member(_ name: String, _ value: String) {
        raw(",")
        string(name)
        raw(":")
        string(value)
    }

    /// The line as text.
    var text: String { String(decoding: bytes, as: UTF8.self) }

    private static func hexDigit(_ value: UInt8) -> UInt8 { value < 10 ? 0x30 + value : 0x61 + value - 10 }
}
