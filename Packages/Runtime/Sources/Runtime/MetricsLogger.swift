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
        var text = "{\"_aws\":{\"Timestamp\":"
        text.reserveCapacity(256)
        text += String(milliseconds ?? wallClockMilliseconds())
        text += ",\"CloudWatchMetrics\":[{\"Namespace\":"
        appendJSONString(namespace, to: &text)
        text += ",\"Dimensions\":[["
        for (index, dimension) in dimensions.enumerated() {
            if index > 0 { text += "," }
            appendJSONString(dimension.name, to: &text)
        }
        text += "]],\"Metrics\":["
        for (index, metric) in metrics.enumerated() {
            text += index > 0 ? ",{\"Name\":" : "{\"Name\":"
            appendJSONString(metric.name, to: &text)
            text += ",\"Unit\":\""
            text += metric.unit.rawValue
            text += "\"}"
        }
        text += "]}]}"
        for (name, value) in dimensions { append(name, value, to: &text) }
        for metric in metrics {
            text += ","
            appendJSONString(metric.name, to: &text)
            text += ":"
            text += number(metric.value)
        }
        for (name, value) in properties.sorted(by: { $0.key < $1.key }) { append(name, value, to: &text) }
        text += "}"
        sink(text)
    }

    /// `,"name":"value"`.
    private func append(_ name: String, _ value: String, to text: inout String) {
        text += ","
        appendJSONString(name, to: &text)
        text += ":"
        appendJSONString(value, to: &text)
    }

    private func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
