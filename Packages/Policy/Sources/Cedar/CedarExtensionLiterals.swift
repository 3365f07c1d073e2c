import Glibc

extension CedarValue {
    /// For an extension value, its constructor's name as Verified Permissions' `AttributeValue` names it (`decimal`,
    /// `ipaddr`, `datetime`, `duration`) and the string that constructor reads back as the same value; nil otherwise.
    public var extensionLiteral: (name: String, text: String)? {
        switch self {
        case .decimal(let scaled):
            let magnitude = scaled.magnitude
            let fraction = String(magnitude % 10_000)
            return ("decimal", (scaled < 0 ? "-" : "") + "\(magnitude / 10_000)."
                + String(repeating: "0", count: 4 - fraction.count) + fraction)
        case .ip(let network):
            let address: String
            if network.isV6 {
                address = (0..<8).reversed().map { String(UInt16(truncatingIfNeeded: network.address >> UInt128($0 * 16)), radix: 16) }
                    .joined(separator: ":")
            } else {
                address = (0..<4).reversed().map { String(UInt8(truncatingIfNeeded: network.address >> UInt128($0 * 8))) }
                    .joined(separator: ".")
            }
            return ("ipaddr", address + (network.prefix == network.width ? "" : "/\(network.prefix)"))
        case .datetime(let milliseconds):
            var seconds = time_t(milliseconds.floorDivided(by: 1000))
            var parts = tm()
            gmtime_r(&seconds, &parts)
            let millis = Int(milliseconds - Int64(seconds) * 1000)
            func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
            let millisText = millis == 0 ? "" : "." + String(String(millis + 1000).dropFirst())
            return ("datetime", "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))"
                + "T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))\(millisText)Z")
        case .duration(let milliseconds):
            return ("duration", "\(milliseconds)ms")
        case .bool, .long, .string, .entity, .set, .record:
            return nil
        }
    }
}

private extension Int64 {
    /// The quotient rounded toward negative infinity.
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
