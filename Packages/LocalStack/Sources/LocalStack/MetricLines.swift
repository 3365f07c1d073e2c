@_spi(Gatehouse) import JSON
import FoundationEssentials
import HTTP
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

    /// The records of `line`, one per directive (a request and its decision share a line); none for any line that
    /// is not EMF. (Read in one pass, building only the declared names and the top-level strings and numbers: this
    /// runs for every line of every request the stack serves.)
    static func records(in line: String) -> [MetricRecord] {
        guard line.hasPrefix("{\"_aws\"") else { return [] }
        var directives: [(dimensions: [String], metrics: [(name: String, milliseconds: Bool)])] = []
        var texts = [String: String](minimumCapacity: 8), numbers = [String: Double](minimumCapacity: 8)
        do {
            try JSONScanner.scan(Array(line.utf8)) { scanner in
                try scanner.members { name, scanner in
                    switch try scanner.kind() {
                    case .object where name == "_aws": directives = try Self.directives(&scanner)
                    case .string: texts[name.text] = try scanner.string()
                    case .number: numbers[name.text] = try scanner.number()
                    default: try scanner.skip()
                    }
                }
            }
        } catch {
            return []
        }
        return directives.filter { !$0.metrics.isEmpty || !$0.dimensions.isEmpty }.map { directive in
            MetricRecord(dimensions: directive.dimensions.map { ($0, texts[$0] ?? "") },
                         metrics: directive.metrics.map { ($0.name, numbers[$0.name] ?? 0, $0.milliseconds) })
        }
    }

    /// The directives of `_aws.CloudWatchMetrics`: each one's first dimension set, and its metrics' names and units.
    private static func directives(_ scanner: inout JSONScanner) throws
        -> [(dimensions: [String], metrics: [(name: String, milliseconds: Bool)])]
    {
        var directives: [(dimensions: [String], metrics: [(name: String, milliseconds: Bool)])] = []
        try scanner.members { name, scanner in
            guard name == "CloudWatchMetrics", try scanner.kind() == .array else { return try scanner.skip() }
            try scanner.elements { scanner in
                guard try scanner.kind() == .object else { return try scanner.skip() }
                var dimensions: [String] = [], metrics: [(name: String, milliseconds: Bool)] = []
                try scanner.members { name, scanner in
                    switch name {
                    case "Dimensions" where try scanner.kind() == .array:
                        var firstSet = true
                        try scanner.elements { scanner in
                            guard firstSet, try scanner.kind() == .array else { return try scanner.skip() }
                            firstSet = false
                            try scanner.elements { scanner in
                                if try scanner.kind() == .string { dimensions.append(try scanner.string()) } else { try scanner.skip() }
                            }
                        }
                    case "Metrics" where try scanner.kind() == .array:
                        try scanner.elements { scanner in
                            guard try scanner.kind() == .object else { return try scanner.skip() }
                            var metricName: String?, unit: String?
                            try scanner.members { name, scanner in
                                let isText = try scanner.kind() == .string
                                if name == "Name", isText { metricName = try scanner.string() }
                                else if name == "Unit", isText { unit = try scanner.string() }
                                else { try scanner.skip() }
                            }
                            if let metricName { metrics.append((metricName, unit == "Milliseconds")) }
                        }
                    default: try scanner.skip()
                    }
                }
                directives.append((dimensions, metrics))
            }
        }
        return directives
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
