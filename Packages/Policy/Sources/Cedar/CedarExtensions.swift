/// Cedar's extension functions (`decimal`, `ipaddr`, `datetime`, `duration`), as the cedar-spec Lean model defines
/// them: a malformed argument string is an evaluation error, never a parse error.
enum CedarExtensions {
    static func call(_ function: CedarFunction, _ arguments: [CedarValue]) throws(CedarEvaluationError) -> CedarValue {
        guard arguments.count == function.arity else {
            throw .typeError("\(function.rawValue) takes \(function.arity) argument(s), got \(arguments.count)")
        }
        switch (function, arguments.first, arguments.count > 1 ? arguments[1] : nil) {
        case (.decimal, .string(let text)?, nil):
            guard let value = decimal(text) else { throw .extensionError("malformed decimal \(text.prefix(40))") }
            return .decimal(value)
        case (.lessThan, .decimal(let a)?, .decimal(let b)?): return .bool(a < b)
        case (.lessThanOrEqual, .decimal(let a)?, .decimal(let b)?): return .bool(a <= b)
        case (.greaterThan, .decimal(let a)?, .decimal(let b)?): return .bool(a > b)
        case (.greaterThanOrEqual, .decimal(let a)?, .decimal(let b)?): return .bool(a >= b)
        case (.ip, .string(let text)?, nil):
            guard let value = ip(text) else { throw .extensionError("malformed ip \(text.prefix(60))") }
            return .ip(value)
        case (.isIpv4, .ip(let net)?, nil): return .bool(!net.isV6)
        case (.isIpv6, .ip(let net)?, nil): return .bool(net.isV6)
        case (.isLoopback, .ip(let net)?, nil):
            return .bool(net.isInRange(net.isV6 ? IPNet(isV6: true, address: 1, prefix: 128)
                                                : IPNet(isV6: false, address: 0x7F00_0000, prefix: 8)))
        case (.isMulticast, .ip(let net)?, nil):
            return .bool(net.isInRange(net.isV6 ? IPNet(isV6: true, address: UInt128(0xFF00) << 112, prefix: 8)
                                                : IPNet(isV6: false, address: 0xE000_0000, prefix: 4)))
        case (.isInRange, .ip(let a)?, .ip(let b)?): return .bool(a.isInRange(b))
        case (.datetime, .string(let text)?, nil):
            guard let value = CedarDatetime.parse(text) else { throw .extensionError("malformed datetime \(text.prefix(40))") }
            return .datetime(value)
        case (.duration, .string(let text)?, nil):
            guard let value = CedarDatetime.duration(text) else { throw .extensionError("malformed duration \(text.prefix(40))") }
            return .duration(value)
        case (.offset, .datetime(let a)?, .duration(let b)?):
            let (sum, overflow) = a.addingReportingOverflow(b)
            guard !overflow else { throw .extensionError("offset overflows") }
            return .datetime(sum)
        case (.durationSince, .datetime(let a)?, .datetime(let b)?):
            let (difference, overflow) = a.subtractingReportingOverflow(b)
            guard !overflow else { throw .extensionError("durationSince overflows") }
            return .duration(difference)
        case (.toDate, .datetime(let value)?, nil):
            let day: Int64 = 86_400_000
            if value >= 0 { return .datetime(day * (value / day)) }
            if value % day == 0 { return .datetime(value) }
            let (date, overflow) = ((value / day) - 1).multipliedReportingOverflow(by: day)
            guard !overflow else { throw .extensionError("toDate overflows") }
            return .datetime(date)
        case (.toTime, .datetime(let value)?, nil):
            let remainder = value % 86_400_000
            return .duration(value >= 0 || remainder == 0 ? remainder : remainder + 86_400_000)
        case (.toMilliseconds, .duration(let value)?, nil): return .long(value)
        case (.toSeconds, .duration(let value)?, nil): return .long(value / 1000)
        case (.toMinutes, .duration(let value)?, nil): return .long(value / 1000 / 60)
        case (.toHours, .duration(let value)?, nil): return .long(value / 1000 / 60 / 60)
        case (.toDays, .duration(let value)?, nil): return .long(value / 1000 / 60 / 60 / 24)
        default:
            throw .typeError("\(function.rawValue) does not take \(arguments.map(\.typeName).joined(separator: ", "))")
        }
    }

    /// `-?digits.digits` with one to four fractional digits, in range of a 64-bit integer times 10,000.
    static func decimal(_ text: String) -> Int64? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0] != "-", (1...4).contains(parts[1].count),
              parts[1].utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        let negative = parts[0].hasPrefix("-")
        let digits = negative ? parts[0].dropFirst() : parts[0]
        guard !digits.isEmpty, digits.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        var integer: Int64 = 0
        for digit in digits.utf8 {
            let (times, o1) = integer.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(Int64(digit - 48) * (negative ? -1 : 1))
            guard !o1, !o2 else { return nil }
            integer = sum
        }
        var fraction = Int64(parts[1])!
        for _ in parts[1].count..<4 { fraction *= 10 }
        let (scaled, o3) = integer.multipliedReportingOverflow(by: 10_000)
        let (value, o4) = negative ? scaled.subtractingReportingOverflow(fraction) : scaled.addingReportingOverflow(fraction)
        guard !o3, !o4 else { return nil }
        return value
    }

    /// IPv4 (`a.b.c.d[/n]`, no leading zeros) or IPv6 (hex groups, one `::`, `[/n]`).
    static func ip(_ text: String) -> IPNet? {
        let pieces = text.split(separator: "/", omittingEmptySubsequences: false)
        guard pieces.count <= 2 else { return nil }
        func prefix(maxDigits: Int, size: Int) -> Int?? {
            guard pieces.count == 2 else { return .some(size) }
            let digits = pieces[1]
            guard (1...maxDigits).contains(digits.count), digits.utf8.allSatisfy({ (48...57).contains($0) }),
                  !(digits.hasPrefix("0") && digits != "0"), let value = Int(digits), value <= size else { return .some(nil) }
            return .some(value)
        }
        if let v4 = ipv4(pieces[0]) {
            guard case .some(let bits?) = prefix(maxDigits: 2, size: 32) else { return nil }
            return IPNet(isV6: false, address: UInt128(v4), prefix: bits)
        }
        guard let v6 = ipv6(pieces[0]), case .some(let bits?) = prefix(maxDigits: 3, size: 128) else { return nil }
        return IPNet(isV6: true, address: v6, prefix: bits)
    }

    private static func ipv4(_ text: Substring) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var address: UInt32 = 0
        for octet in octets {
            guard (1...3).contains(octet.count), octet.utf8.allSatisfy({ (48...57).contains($0) }),
                  !(octet.hasPrefix("0") && octet != "0"), let value = UInt32(octet), value <= 255 else { return nil }
            address = address << 8 | value
        }
        return address
    }

    private static func ipv6(_ text: Substring) -> UInt128? {
        func groups(_ part: Substring) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            for group in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard (1...4).contains(group.count), group.unicodeScalars.allSatisfy({ $0.hexValue != nil }),
                      let value = UInt16(group, radix: 16) else { return nil }
                result.append(value)
            }
            return result
        }
        let halves = text.ranges(of: "::")
        var all: [UInt16]
        switch halves.count {
        case 0:
            guard let only = groups(text) else { return nil }
            all = only
        case 1:
            guard let head = groups(text[..<halves[0].lowerBound]), let tail = groups(text[halves[0].upperBound...]),
                  head.count + tail.count < 8 else { return nil }
            all = head + [UInt16](repeating: 0, count: 8 - head.count - tail.count) + tail
        default: return nil
        }
        guard all.count == 8 else { return nil }
        return all.reduce(UInt128(0)) { $0 << 16 | UInt128($1) }
    }
}
