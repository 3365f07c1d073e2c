@_spi(Gatehouse) import JSON

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

    /// Appends `text` as a JSON string literal.
    mutating func string(_ text: String) {
        JSONText.appendString(text, to: &bytes)
    }

    /// Appends `,"name":"value"`.
    mutating func member(_ name: String, _ value: String) {
        raw(",")
        string(name)
        raw(":")
        string(value)
    }

    /// Appends a metric value as `JSONText` writes numbers; NaN and the infinities, which JSON cannot hold (and
    /// CloudWatch would refuse the whole line for), as 0.
    mutating func number(_ value: Double) {
        JSONText.appendNumber(value.isFinite ? value : 0, to: &bytes)
    }

    /// Appends `2024-05-01T12:00:00.123Z` for a wall-clock time in milliseconds (unquoted).
    mutating func timestamp(milliseconds: Int64) {
        appendISO8601(milliseconds: milliseconds, to: &bytes)
    }

    /// The line as text.
    var text: String { String(decoding: bytes, as: UTF8.self) }
}
