import Cedar
import FoundationEssentials
import GatehouseTesting
import Glibc
import Transport

/// `cedar.authorize.<app>.<n>`: median nanoseconds of one authorization on Cedar's OOPSLA apps (policies, entities
/// and requests parsed first), and in the same run `cedar.rust.<app>.<n>`: Rust's Cedar (`cedarpy`, pre-parsed
/// `PolicySet` and `Entities`) by its own engine-only timer, `metrics['authz_duration_micros']` — whole microseconds,
/// so its median is interpolated within the median's microsecond. Rounds alternate between the two engines.
/// `cedar.speedup.*` is Rust's time over ours; `cedar.parse.*` the one-time costs.
let cedarBenchmarks = Benchmark(name: "cedar") { _ in
    let folder = Repository.path("Packages/Policy/Tests/CedarTests/OOPSLA")
    let cases = ["gdrive", "github", "tinytodo"].flatMap { app in [5, 20, 50].map { (app, $0) } }
    var lines: [BenchLine] = []
    var ours: [String: [Double]] = [:], rust: [String: [Double]] = [:]
    var loaded: [String: (CedarPolicySet, CedarEntities, [CedarRequest])] = [:]
    for (app, size) in cases {
        let read = { (name: String) in Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))) }
        let schema = try CedarSchema(json: try read("\(app).cedarschema.json"))
        let text = String(decoding: try read("\(app).cedar"), as: UTF8.self)
        let entityBytes = try read("\(app)-\(size).entities.json")
        let start = monotonicNanoseconds()
        let policies = try CedarPolicySet(text: text)
        let parsed = monotonicNanoseconds()
        let entities = try CedarJSON.entities(entityBytes, schema: schema)
        let done = monotonicNanoseconds()
        if size == 5 {
            lines.append(BenchLine(name: "cedar.parse.policies.\(app)", value: formatted(Double(parsed - start) / 1000), unit: "us"))
        }
        lines.append(BenchLine(name: "cedar.parse.entities.\(app).\(size)", value: formatted(Double(done - parsed) / 1000),
                               unit: "us"))
        let requests = try read("\(app)-\(size).requests.jsonl").split(separator: UInt8(ascii: "\n")).map {
            try CedarJSON.request(Array($0), schema: schema)
        }
        loaded["\(app).\(size)"] = (policies, entities, requests)
    }
    let python = PythonPeer.find(module: "cedarpy")
    for _ in 0..<3 {
        for (key, (policies, entities, requests)) in loaded {
            // Each request once per round, as Rust's timer sees it (no loop over one request to warm it).
            ours[key, default: []] += requests.map { request in
                let start = monotonicNanoseconds()
                _ = policies.authorize(request, entities: entities)
                return Double(monotonicNanoseconds() - start)
            }
        }
        if let python, let output = try? PythonPeer.output(python, script: rustTimer, arguments: [folder]) {
            for line in output.split(separator: "\n") {
                let words = line.split(separator: " ")
                rust[String(words[0]), default: []] += words.dropFirst().compactMap { Double($0) }
            }
        }
    }
    var ratios: [Double] = []
    for (app, size) in cases {
        let key = "\(app).\(size)"
        let mine = median(ours[key] ?? [])
        lines.append(BenchLine(name: "cedar.authorize.\(key)", value: formatted(mine), unit: "ns"))
        guard let theirs = rust[key], !theirs.isEmpty else { continue }
        let reference = interpolatedMedianMicroseconds(theirs) * 1000
        lines.append(BenchLine(name: "cedar.rust.\(key)", value: formatted(reference), unit: "ns"))
        lines.append(BenchLine(name: "cedar.speedup.\(key)", value: formatted(reference / mine, digits: 2), unit: "x"))
        ratios.append(reference / mine)
    }
    if !ratios.isEmpty {
        let geometricMean = exp(ratios.map { log($0) }.reduce(0, +) / Double(ratios.count))
        lines.append(BenchLine(name: "cedar.speedup.geomean", value: formatted(geometricMean, digits: 2), unit: "x"))
    } else {
        print("cedar.rust skipped: \(PythonPeer.skipReason(module: "cedarpy"))")
    }
    return lines
}

/// The median of whole-microsecond samples, each read as a microsecond-wide bin [v, v+1): the median's bin's lower
/// edge plus the fraction of that bin the median reaches into.
func interpolatedMedianMicroseconds(_ samples: [Double]) -> Double {
    let sorted = samples.sorted()
    let half = Double(sorted.count) / 2
    let bin = sorted[sorted.count / 2]
    let below = Double(sorted.prefix { $0 < bin }.count)
    let within = Double(sorted.filter { $0 == bin }.count)
    return bin + (half - below) / within
}

/// Rust's engine-only time per request, microseconds, one line per app and size: `APP.N t1 t2 …`.
private let rustTimer = #"""
    import cedarpy, json, sys
    folder = sys.argv[1]
    for app in ["gdrive", "github", "tinytodo"]:
        schema = open(f"{folder}/{app}.cedarschema.json").read()
        policies = cedarpy.PolicySet.from_str(open(f"{folder}/{app}.cedar").read())
        for size in [5, 20, 50]:
            entities = cedarpy.Entities.from_json_str(open(f"{folder}/{app}-{size}.entities.json").read(), schema)
            requests = [json.loads(line) for line in open(f"{folder}/{app}-{size}.requests.jsonl")]
            for request in requests[:20]:
                cedarpy.is_authorized(request, policies, entities)
            times = [cedarpy.is_authorized(request, policies, entities).metrics["authz_duration_micros"]
                     for request in requests]
            print(f"{app}.{size} " + " ".join(str(t) for t in times))
    """#
