import Glibc

/// Appends `2024-05-01T12:00:00.123Z` for `milliseconds` to `bytes`: digit by digit, as every log line writes one.
func appendISO8601(milliseconds: Int64, to bytes: inout [UInt8]) {
    var seconds = time_t(milliseconds / 1000)
    var parts = tm()
    gmtime_r(&seconds, &parts)
    func digits(_ value: Int32, _ width: Int, then separator: UInt8) {
        var divisor: Int32 = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
            rest %= divisor
            divisor /= 10
        }
        bytes.append(separator)
    }
    digits(parts.tm_year + 1900, 4, then: UInt8(ascii: "-"))
    digits(parts.tm_mon + 1, 2, then: UInt8(ascii: "-"))
    digits(parts.tm_mday, 2, then: UInt8(ascii: "T"))
    digits(parts.tm_hour, 2, then: UInt8(ascii: ":"))
    digits(parts.tm_min, 2, then: UInt8(ascii: ":"))
    digits(parts.tm_sec, 2, then: UInt8(ascii: "."))
    digits(Int32(milliseconds % 1000), 3, then: UInt8(ascii: "Z"))
}
