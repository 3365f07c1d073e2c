/// Writing JSON text into byte buffers: the one escaper and number writer every JSON writer of the house uses
/// (`JSONValue.jsonText`, `CompactJSONEncoder`, log lines), so the same string is the same bytes everywhere.
@_spi(Gatehouse) public enum JSONText {
    /// Appends `text` as a JSON string literal, escaped as `JSONEncoder` escapes (RFC 8259: `"`, `\\`, and controls
    /// as `\n`-style or `\u00XX`; `/` and non-ASCII as they are); runs of bytes that need no escape are copied whole.
    public static func appendString(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(0x22)
        var text = text
        text.withUTF8 { utf8 in
            var plainFrom = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == 0x22 || byte == 0x5C else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainFrom..<index]))
                plainFrom = index + 1
                bytes.append(0x5C)
                switch byte {
                case 0x22, 0x5C: bytes.append(byte)
                case 0x0A: bytes.append(0x6E)
                case 0x0D: bytes.append(0x72)
                case 0x09: bytes.append(0x74)
                case 0x08: bytes.append(0x62)
                case 0x0C: bytes.append(0x66)
                default: bytes.append(contentsOf: [0x75, 0x30, 0x30, hexDigit(byte >> 4), hexDigit(byte & 0xF)])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainFrom...]))
        }
        bytes.append(0x22)
    }

    /// `value` as JSON writes a number, the one way every package formats one: an integer the double holds
    /// exactly (below 2^53) without a fraction, any other in the shortest form that reads back the same;
    /// `null` for NaN and the infinities, which JSON cannot hold.
    public static func number(_ value: Double) -> String {
        var bytes: [UInt8] = []
        appendNumber(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `value` as `number(_:)` writes it; an integer digit by digit, with no `String` made.
    public static func appendNumber(_ value: Double, to bytes: inout [UInt8]) {
        guard value.isFinite else { return bytes.append(contentsOf: "null".utf8) }
        guard value == value.rounded(), abs(value) < 9_007_199_254_740_992 else {
            return bytes.append(contentsOf: String(value).utf8)
        }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDecimal(UInt64(abs(value)), to: &bytes)
    }

    /// Appends the decimal digits of `value`.
    public static func appendDecimal(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        let start = bytes.count
        repeat {
            bytes.append(UInt8(truncatingIfNeeded: value % 10) + 0x30)
            value /= 10
        } while value > 0
        bytes[start...].reverse()
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 { value < 10 ? 0x30 + value : 0x61 + value - 10 }
}
