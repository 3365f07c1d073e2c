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
        var line = JSONLine()
        line.raw("{\"_aws\":{\"Timestamp\":")
        line.raw(String(milliseconds ?? wallClockMilliseconds()))
        line.raw(",\"CloudWatchMetrics\":[{\"Namespace\":")
        line.string(namespace)
        line.raw(",\"Dimensions\":[[")
        for (index, dimension) in dimensions.enumerated() {
            if index > 0 { line.raw(",") }
            line.string(dimension.name)
        }
        line.raw("]],\"Metrics\":[")
        for (index, metric) in metrics.enumerated() {
            line.raw(index > 0 ? ",{\"Name\":" : "{\"Name\":")
            line.string(metric.name)
            line.raw(",\"Unit\":\"")
            line.raw(metric.unit.rawValue)
            line.raw("\"}")
        }
        line.raw("]}]}")
        for (name, value) in dimensions { line.member(name, value) }
        for metric in metrics {
            line.raw(",")
            line.string(metric.name)
            line.raw(":")
            line.raw(number(metric.value))
        }
        for (name, value) in properties.sorted(by: { $0.key < $1.key }) { line.member(name, value) }
        line.raw("}")
        sink(line.text)
    }

    private func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
