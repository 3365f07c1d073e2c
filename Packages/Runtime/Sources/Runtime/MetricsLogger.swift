@_spi(Gatehouse) import JSON
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

    /// The CloudWatch namespace.
    public let namespace: String
    private let sink: @Sendable (String) -> Void

    /// Metrics under `namespace`, written to `sink` (standard output by default).
    public init(namespace: String = "Gatehouse", sink: @escaping @Sendable (String) -> Void = Logger.standardOutput) {
        self.namespace = namespace
        self.sink = sink
    }

    /// What one kind of record declares to CloudWatch — its metrics with their units, and one dimension set — so
    /// that each record writes only its values: the declaration is rendered once, not on every invocation.
    public final class Directive: Sendable {
        /// The metric names, in the order `emit` takes their values.
        public let metrics: [String]
        /// The dimension names, in the order `emit` takes their values.
        public let dimensions: [String]
        /// `{"Namespace":…,"Dimensions":[[…]],"Metrics":[…]}`, rendered once.
        fileprivate let declaration: [UInt8]
        fileprivate let metricMembers: [[UInt8]]
        fileprivate let dimensionMembers: [[UInt8]]

        fileprivate init(metrics: [String], dimensions: [String], declaration: [UInt8], metricMembers: [[UInt8]],
                         dimensionMembers: [[UInt8]]) {
            self.metrics = metrics
            self.dimensions = dimensions
            self.declaration = declaration
            self.metricMembers = metricMembers
            self.dimensionMembers = dimensionMembers
        }
    }

    /// The directive of records carrying `metrics` (name and unit, in order) under the dimension set `dimensions`.
    public func directive(metrics: [(name: String, unit: Unit)], dimensions: [String]) -> Directive {
        var line = JSONLine()
        line.raw("{\"Namespace\":")
        line.string(namespace)
        line.raw(",\"Dimensions\":[[")
        for (index, dimension) in dimensions.enumerated() {
            if index > 0 { line.raw(",") }
            line.string(dimension)
        }
        line.raw("]],\"Metrics\":[")
        for (index, metric) in metrics.enumerated() {
            line.raw(index > 0 ? ",{\"Name\":" : "{\"Name\":")
            line.string(metric.name)
            line.raw(",\"Unit\":")
            line.string(metric.unit.rawValue)
            line.raw("}")
        }
        line.raw("]}")
        func member(_ name: String) -> [UInt8] {
            var member = JSONLine(capacity: name.utf8.count + 4)
            member.raw(",")
            member.string(name)
            member.raw(":")
            return member.bytes
        }
        return Directive(metrics: metrics.map(\.name), dimensions: dimensions, declaration: line.bytes,
                         metricMembers: metrics.map { member($0.name) }, dimensionMembers: dimensions.map(member))
    }

    /// Writes one record of `directive`: a value per metric and per dimension, in the directive's order; `properties`
    /// ride along for searching (a request id, a reason) without becoming dimensions, which keeps the metric count
    /// CloudWatch bills for small.
    public func emit(_ directive: Directive, values: [Double], dimensions: [String], properties: [String: String] = [:],
                     at milliseconds: Int64? = nil) {
        emit([(directive, values, dimensions)], properties: properties, at: milliseconds)
    }

    /// Writes the records of several directives as one line (EMF allows one `CloudWatchMetrics` entry per
    /// directive): what one request reports, in one `write`. A dimension two directives share (`Service`) is written
    /// once, with the first record's value.
    public func emit(_ records: [(directive: Directive, values: [Double], dimensions: [String])],
                     properties: [String: String] = [:], at milliseconds: Int64? = nil) {
        var line = JSONLine()
        line.raw("{\"_aws\":{\"Timestamp\":")
        line.number(Double(milliseconds ?? wallClockMilliseconds()))
        line.raw(",\"CloudWatchMetrics\":[")
        for (index, record) in records.enumerated() {
            precondition(record.values.count == record.directive.metrics.count
                         && record.dimensions.count == record.directive.dimensions.count,
                         "one value per metric and per dimension of the directive")
            if index > 0 { line.raw(",") }
            line.raw(record.directive.declaration)
        }
        line.raw("]}")
        var written: [String] = []  // only filled when there are several records: a few names, searched in order
        for record in records {
            for (index, value) in record.dimensions.enumerated() {
                if records.count > 1 {
                    let name = record.directive.dimensions[index]
                    if written.contains(name) { continue }
                    written.append(name)
                }
                line.raw(record.directive.dimensionMembers[index])
                line.string(value)
            }
            for (member, value) in zip(record.directive.metricMembers, record.values) {
                line.raw(member)
                line.number(value)
            }
        }
        for (name, value) in properties.sorted(by: { $0.key < $1.key }) { line.member(name, value) }
        line.raw("}")
        sink(line.text)
    }
}
