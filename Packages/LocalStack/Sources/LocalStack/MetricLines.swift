import FoundationEssentials
import HTTP
import JWT
import Synchronization

/// One CloudWatch EMF line a function wrote: its dimensions and metric values, in the line's order.
struct MetricRecord: Sendable, CustomStringConvertible {
    var dimensions: [(name: String, value: String)]
    var metrics: [(name: String, value: Double, milliseconds: Bool)]

    /// A record of the stack's own.
    init(dimensions: [(name: String, value: String)], metrics: [(name: String, value: Double, milliseconds: Bool)]) {
        self.dimensions = dimensions
        self.metrics = metrics
    }

    /// The record of `line`; nil for any line that is not EMF. (Read by the JOSE layer's reader: this runs for every
    /// request the stack serves.)
    init?(_ line: String) {
        guard line.hasPrefix("{\"_aws\""), let object = try? JSONValue.object(parsing: Array(line.utf8)),
              let directive = object["_aws"]?.objectValue?["CloudWatchMetrics"]?.arrayValue?.first?.objectValue
        else { return nil }
        let names = directive["Dimensions"]?.arrayValue?.first?.arrayValue?.compactMap(\.stringValue) ?? []
        dimensions = names.map { ($0, object[$0]?.stringValue ?? "") }
        metrics = (directive["Metrics"]?.arrayValue ?? []).compactMap { metric in
            guard let name = metric.objectValue?["Name"]?.stringValue else { return nil }
            return (name, object[name]?.numberValue ?? 0, metric.objectValue?["Unit"]?.stringValue == "Milliseconds")
        }
    }

    /// `metric Service=wish-list Route=GET /wish-list Requests=1 Latency=0.42ms`: how the local stack prints it.
    var description: String {
        (["metric"] + dimensions.map { "\($0.name)=\($0.value)" }
            + metrics.map { "\($0.name)=\(JSONValue.number($0.value).text ?? "")\($0.milliseconds ? "ms" : "")" })
            .joined(separator: " ")
    }
}

/// The functions' counts since the stack started, summed per dimension set, for the console (`/_gatehouse/metrics`).
final class MetricCounts: Sendable {
    private let sums = Mutex<[String: [String: Double]]>([:])

    /// Adds `record`'s counts (durations are not summed).
    func add(_ record: MetricRecord) {
        let key = record.dimensions.map { "\($0.name)=\($0.value)" }.joined(separator: "\u{1}")
        sums.withLock { sums in
            for metric in record.metrics where !metric.milliseconds { sums[key, default: [:]][metric.name, default: 0] += metric.value }
        }
    }

    /// `{"counts":[{"dimensions":{…},"metrics":{…}}]}`, sorted by dimensions.
    var json: [UInt8] {
        let entries = sums.withLock { $0 }.sorted { $0.key < $1.key }.map { key, metrics -> JSONValue in
            let dimensions = key.split(separator: "\u{1}").map { pair -> (String, JSONValue) in
                let parts = pair.split(separator: "=", maxSplits: 1)
                return (String(parts[0]), .string(parts.count > 1 ? String(parts[1]) : ""))
            }
            return .object(["dimensions": .object(Dictionary(dimensions) { first, _ in first }),
                            "metrics": .object(metrics.mapValues { .number($0) })])
        }
        return Array(JSONValue.object(["counts": .array(entries)]).jsonText.utf8)
    }
}
