/// Base64url without padding (RFC 7515 §2), decoded strictly: only `A–Z a–z 0–9 - _`, no `=`, no whitespace,
/// no impossible length, and the unused trailing bits must be zero so every value has exactly one encoding.
@_spi(Gatehouse) public enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }()

    /// Encodes bytes.
    public static func encode<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        var output = [UInt8]()
        output.reserveCapacity((bytes.count * 4 + 2) / 3)
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next(), third = iterator.next()
            let block = UInt32(first) << 16 | UInt32(second ?? 0) << 8 | UInt32(third ?? 0)
            output.append(alphabet[Int(block >> 18 & 63)])
            output.append(alphabet[Int(block >> 12 & 63)])
            if second != nil { output.append(alphabet[Int(block >> 6 & 63)]) }
            if third != nil { output.append(alphabet[Int(block & 63)]) }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes strictly; nil for any deviation.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        var text = String(text)
        return text.withUTF8 { decode(UnsafeRawBufferPointer($0)) }
    }

    static func decode(_ input: UnsafeRawBufferPointer) -> [UInt8]? {
        let remainder = input.count % 4
        guard remainder != 1 else { return nil }
        let outputCount = input.count / 4 * 3 + (remainder == 0 ? 0 : remainder - 1)
        var valid = true
        let output = [UInt8](unsafeUninitializedCapacity: outputCount) { output, initialized in
            values.withUnsafeBufferPointer { table in
                var index = 0, written = 0
                while index + 4 <= input.count {
                    let a = table[Int(input[index])], b = table[Int(input[index + 1])]
                    let c = table[Int(input[index + 2])], d = table[Int(input[index + 3])]
                    if (a | b | c | d) & 0xC0 != 0 { valid = false; break }
                    output[written] = a << 2 | b >> 4
                    output[written + 1] = (b & 0x0F) << 4 | c >> 2
                    output[written + 2] = (c & 0x03) << 6 | d
                    index += 4
                    written += 3
                }
                if valid && remainder == 2 {
                    let a = table[Int(input[index])], b = table[Int(input[index + 1])]
                    if (a | b) & 0xC0 != 0 || b & 0x0F != 0 { valid = false } else { output[written] = a << 2 | b >> 4 }
                } else if valid && remainder == 3 {
                    let a = table[Int(input[index])], b = table[Int(input[index + 1])], c = table[Int(input[index + 2])]
                    if (a | b | c) & 0xC0 != 0 || c & 0x03 != 0 {
                        valid = false
                    } else {
                        output[written] = a << 2 | b >> 4
                        output[written + 1] = (b & 0x0F) << 4 | c >> 2
                    }
                }
            }
            initialized = outputCount
        }
        return valid ? output : nil
    }
}
