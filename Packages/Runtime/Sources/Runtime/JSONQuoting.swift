/// Writes `text` as a JSON string literal (RFC 8259 escaping) onto `output`.
func appendJSONString(_ text: String, to output: inout String) {
    output.append("\"")
    // Most text needs no escape: copied whole, not scalar by scalar.
    if !text.utf8.contains(where: { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 }) {
        output.append(text)
        output.append("\"")
        return
    }
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": output.append("\\\"")
        case "\\": output.append("\\\\")
        case "\n": output.append("\\n")
        case "\r": output.append("\\r")
        case "\t": output.append("\\t")
        case _ where scalar.value < 0x20:
            let hex = String(scalar.value, radix: 16)
            output.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
        default: output.unicodeScalars.append(scalar)
        }
    }
    output.append("\"")
}
