import Transport
import Glibc

/// One measured figure.
struct BenchLine {
    var name: String
    var value: String
    var unit: String
}

/// A named group of measurements.
struct Benchmark: Sendable {
    var name: String
    var run: @Sendable (_ productsDirectory: String) async throws -> [BenchLine]
}

let allBenchmarks: [Benchmark] = [
    runtimeBenchmarks, jwtBenchmarks, storageBenchmarks, httpBenchmarks, httpServerBenchmark, appBenchmarks,
    gatewayBenchmarks, authBenchmarks, reloadBenchmarks, lambdaCPUBenchmarks, cedarBenchmarks, policyBenchmarks,
]

/// The median of `samples`.
func median(_ samples: [Double]) -> Double {
    let sorted = samples.sorted()
    return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
}

/// `value` rounded to `digits` decimals, as text.
func formatted(_ value: Double, digits: Int = 0) -> String {
    guard digits > 0 else { return String(Int(value.rounded())) }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = Int((value * scale).rounded())
    let whole = String(scaled / Int(scale))
    let fraction = String(abs(scaled % Int(scale)))
    return whole + "." + String(repeating: "0", count: digits - fraction.count) + fraction
}
