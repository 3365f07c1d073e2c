import JWT
import FoundationEssentials
import HTTP

/// A function's CloudWatch EMF line made readable for the local stack's output: `metric Service=wish-list
/// Route=GET /wish-list Requests=1 Latency=0.42ms`; nil for any other line.
func readableMetricLine(_ line: String) -> String? {
    guard line.hasPrefix("{\"_aws\""),
          let object = try? JSONDecoder().decode([String: JSONValue].self, from: Data(line.utf8)),
          case .array(let directives)? = object["_aws"]?.objectValue?["CloudWatchMetrics"],
          let directive = directives.first?.objectValue else { return nil }
    var parts = ["metric"]
    if case .array(let sets)? = directive["Dimensions"], case .array(let names)? = sets.first {
        parts += names.compactMap(\.text).map { "\($0)=\(object[$0]?.text ?? "")" }
    }
    if case .array(let metrics)? = directive["Metrics"] {
        for metric in metrics.compactMap(\.objectValue) {
            guard let name = metric["Name"]?.text else { continue }
            let unit = metric["Unit"]?.text == "Milliseconds" ? "ms" : ""
            parts.append("\(name)=\(object[name]?.text ?? "")\(unit)")
        }
    }
    return parts.joined(separator: " ")
}
