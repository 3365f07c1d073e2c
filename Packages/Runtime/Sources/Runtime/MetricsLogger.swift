import Transport

/// CloudWatch metrics in Embedded Metric Format: one plain JSON line on standard output per record, which CloudWatch
/// Logs turns into metrics — no SDK, no API call, nothing on the invocation's path but a `write`.
///
/// `{"_aws":{"Timestamp":…,"CloudWatchMetrics":[{"Namespace":N,"Dimensions":[[D…]],"Metrics":[{"Name":M,"Unit":U}]}]},
/// D: value…, M: value…, property: value…}`
public struct MetricsLogger: Sendable {
    /// A metric's unit, as CloudWatch names it.
    public enum Unit: String, Sendable {
        case count = "Count"
        case milliseconds = "Milliseconds"
    }

    /// One metric value.
    public struct Metric: Sendable {
        /// The metric's name.
        public var name: String
        /// Its value.
        public var value: Double
        /// Its unit.
        public var unit: Unit

        /// A metric.
        public init(_ name: String, _ value: Double, _ unit: Unit) {
            self.name = name
            self.value = value
            self.unit = unit
        }
    }

    /// The CloudWatch namespace.
    public let namespace: String
    private let sink: @Sendable (String) -> Void

    /// Metrics under `namespace`, written to `sink` (standard output by default).
    public init(namespace: String = "Gatehouse", sink: @escaping @Sendable (String) -> Void = Logger.standardOutput) {
        self.namespace = namespace
        self.sink = sink
    }

    /// Writes `metrics` under one dimension set, in its order; `properties` ride along for searching (a request id,
    /// a reason) without becoming dimensions, which keeps the metric count CloudWatch bills for small.
    public func emit(_ metrics: [Metric], dimensions: [(name: String, value: String)], properties: [String: String] = [:],
                     at milliseconds: Int64? = nil) {
        var text = "{\"_aws\":{\"Timestamp\":\(milliseconds ?? wallClockMilliseconds()),\"CloudWatchMetrics\":[{\"Namespace\":"
        appendJSONString(namespace, to: &text)
        text += ",\"Dimensions\":[[" + dimensions.map { quoted($0.name) }.joined(separator: ",") + "]],\"Metrics\":["
        text += metrics.map { "{\"Name\":\(quoted($0.name)),\"Unit\":\"\($0.unit.rawValue)\"}" }.joined(separator: ",")
        text += "]}]}"
        for (name, value) in dimensions { text += "," + quoted(name) + ":" + quoted(value) }
        for metric in metrics { text += "," + quoted(metric.name) + ":" + number(metric.value) }
        for (name, value) in properties.sorted(by: { $0.key < $1.key }) { text += "," + quoted(name) + ":" + quoted(value) }
        sink(text + "}")
    }

    private func quoted(_ text: String) -> String {
        var output = ""
        appendJSONString(text, to: &output)
        return output
    }

    private func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
