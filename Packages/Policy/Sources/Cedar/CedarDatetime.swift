/// `datetime` and `duration` strings, read as the cedar-spec Lean model reads them.
enum CedarDatetime {
    /// Milliseconds since the epoch of `YYYY-MM-DD`, `YYYY-MM-DDThh:mm:ss[.SSS](Z|(+|-)hhmm)`.
    static func parse(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for index in range {
                guard (48...57).contains(bytes[index]) else { return nil }
                value = value * 10 + Int(bytes[index] - 48)
            }
            return value
        }
        guard bytes.count >= 10, bytes[4] == 45, bytes[7] == 45, let year = number(0..<4), let month = number(5..<7),
              let day = number(8..<10), (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year)
        else { return nil }
        var milliseconds = Int64(daysFromEpoch(year: year, month: month, day: day)) * 86_400_000
        guard bytes.count > 10 else { return milliseconds }
        guard bytes.count >= 20, bytes[10] == 84, bytes[13] == 58, bytes[16] == 58, let hour = number(11..<13),
              let minute = number(14..<16), let second = number(17..<19), hour < 24, minute < 60, second < 60
        else { return nil }
        milliseconds += Int64((hour * 60 + minute) * 60 + second) * 1000
        var index = 19
        if bytes[index] == 46 {
            guard let millis = number(20..<23) else { return nil }
            milliseconds += Int64(millis)
            index = 23
        }
        guard index < bytes.count else { return nil }
        if bytes[index] == 90 { return index + 1 == bytes.count ? milliseconds : nil }
        guard bytes[index] == 43 || bytes[index] == 45, bytes.count == index + 5, let hours = number((index + 1)..<(index + 3)),
              let minutes = number((index + 3)..<(index + 5)), minutes < 60 else { return nil }
        let offset = (hours * 60 + minutes) * 60
        guard offset < 86_400 else { return nil }
        // Local time minus the offset is UTC.
        return milliseconds - Int64(bytes[index] == 43 ? offset : -offset) * 1000
    }

    /// Milliseconds of `[-]NdNhNmNsNms` (units largest first, each at most once, at least one).
    static func duration(_ text: String) -> Int64? {
        var rest = Substring(text)
        let negative = rest.hasPrefix("-")
        if negative { rest = rest.dropFirst() }
        guard !rest.isEmpty else { return nil }
        var total: Int64 = 0
        for (suffix, unit) in [("ms", Int64(1)), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)] {
            guard rest.hasSuffix(suffix) else { continue }
            let withoutUnit = rest.dropLast(suffix.count)
            let digits = withoutUnit.reversed().prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let magnitude = UInt64(String(digits.reversed())),
                  magnitude <= (negative ? UInt64(Int64.max) + 1 : UInt64(Int64.max)) else { return nil }
            let count = magnitude == UInt64(Int64.max) + 1 ? Int64.min : (negative ? -Int64(magnitude) : Int64(magnitude))
            let (amount, o1) = count.multipliedReportingOverflow(by: unit)
            let (sum, o2) = total.addingReportingOverflow(amount)
            guard !o1, !o2 else { return nil }
            total = sum
            rest = withoutUnit.dropLast(digits.count)
        }
        return rest.isEmpty ? total : nil
    }

    private static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to the date (proleptic Gregorian calendar).
    private static func daysFromEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
